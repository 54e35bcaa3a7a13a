// A small client for a node's GET /api/handoff/events (server-sent events): keeps every event
// with its arrival time (performance.now()) so a bench can wait for one, bounded.

export class HandoffEvents {
  constructor (api) {
    this.events = []
    this.waiters = []
    this.controller = new AbortController()
    this.opened = this.#read(api)
  }

  async #read (api) {
    const response = await fetch(`${api}api/handoff/events`, { signal: this.controller.signal, headers: { accept: 'text/event-stream' } })
    if (!response.ok) throw new Error(`GET ${api}api/handoff/events: ${response.status}`)
    const decoder = new TextDecoder()
    let buffer = ''
    const pump = async () => {
      try {
        for await (const chunk of response.body) {
          buffer += decoder.decode(chunk, { stream: true })
          let end
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            this.#dispatch(block)
          }
        }
      } catch (error) {
        if (error.name !== 'AbortError') this.failure = error
      }
    }
    this.pumping = pump()
  }

  #dispatch (block) {
    let kind
    let data = ''
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) kind = line.slice(6).trim()
      else if (line.startsWith('data:')) data += line.slice(5).trim()
    }
    if (!kind || !data) return // comments (keep-alives) and id-only blocks
    const event = { kind, at: performance.now(), ...JSON.parse(data) }
    this.events.push(event)
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(event)) return true
      clearTimeout(w.timer)
      w.resolve(event)
      return false
    })
  }

  /** The first event (seen or to come) matching; rejects after ms. */
  waitFor (match, ms, what) {
    const seen = this.events.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve }
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error(`no ${what} within ${ms} ms; saw ${JSON.stringify(this.events.slice(-10))}`))
      }, ms)
      this.waiters.push(waiter)
    })
  }

  close () {
    this.controller.abort()
  }
}

export const ENDS = new Set(['ready', 'handed-off', 'declined', 'expired', 'failed'])
