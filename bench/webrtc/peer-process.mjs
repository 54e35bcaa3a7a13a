// One bench peer process (werift, Chromium or our C# driver) started inside a network namespace
// with `ip netns exec`, spoken to over its stdin/stdout JSON lines (protocol: README.md). Its stderr
// goes to a log file in the work folder, so a failure can be read after the run.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import readline from "node:readline";

export class PeerProcess {
  #child;
  #nextId = 1;
  #replies = new Map();
  #listeners = new Set();
  #events = [];
  #exited;
  #rawWaiter = null;

  constructor(name, namespace, argv, logPath) {
    this.name = name;
    const log = createWriteStream(logPath);
    this.#child = spawn("ip", ["netns", "exec", namespace, ...argv], { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.pipe(log);
    this.#child.stdin.on("error", () => {}); // a peer that died is reported by its exit, not by EPIPE
    this.#exited = new Promise((resolve) => this.#child.on("exit", (code, signal) => resolve({ code, signal })));
    this.#exited.then(({ code, signal }) => {
      const why = new Error(`${name} exited (code ${code}, signal ${signal}); see ${logPath}`);
      for (const { reject } of this.#replies.values()) reject(why);
      this.#replies.clear();
      this.#deliver({ event: "exit", code, signal });
    });
    readline.createInterface({ input: this.#child.stdout, crlfDelay: Infinity }).on("line", (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        log.write(`[stdout, not JSON] ${line}\n`);
        return;
      }
      if ("reply" in message && this.#rawWaiter) {
        this.#rawWaiter(message);
      } else if ("reply" in message) {
        const waiter = this.#replies.get(message.reply);
        if (!waiter) return;
        this.#replies.delete(message.reply);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(`${name} refused ${waiter.cmd}: ${message.error}`));
      } else {
        this.#deliver(message);
      }
    });
  }

  #deliver(event) {
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
  }

  /** The driver's process id (`ip netns exec` runs it in place, so this is the driver itself). */
  get pid() {
    return this.#child.pid;
  }

  /** Calls listener for every event so far and every later one. */
  onEvent(listener) {
    for (const event of this.#events) listener(event);
    this.#listeners.add(listener);
  }

  /** The first event (past or future) matching predicate, or a rejection after timeoutMs. */
  waitFor(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event) => {
        if (event.event === "exit" && !predicate(event)) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          reject(new Error(`${this.name} exited while waiting for ${what}`));
        } else if (predicate(event)) {
          clearTimeout(timer);
          this.#listeners.delete(listener);
          resolve(event);
        }
      };
      const past = this.#events.find(predicate);
      if (past) {
        clearTimeout(timer);
        resolve(past);
      } else {
        this.onEvent(listener);
      }
    });
  }

  /** Sends one command; resolves with its result, rejects on refusal, exit or timeout. */
  command(fields, timeoutMs) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replies.delete(id);
        reject(new Error(`${this.name}: ${fields.cmd} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#replies.set(id, {
        cmd: fields.cmd,
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#child.stdin.write(JSON.stringify({ id, ...fields }) + "\n");
    });
  }

  /**
   * Writes one raw line (checks feed drivers bad input) and resolves with the next reply line
   * whatever its id: a driver answers its input lines one at a time, in order.
   */
  raw(line, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#rawWaiter = null;
        reject(new Error(`${this.name}: no reply to ${JSON.stringify(line)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#rawWaiter = (reply) => {
        clearTimeout(timer);
        this.#rawWaiter = null;
        resolve(reply);
      };
      this.#child.stdin.write(line + "\n");
    });
  }

  /** Closes stdin (the driver closes its peer and exits), then SIGKILL after graceMs. */
  async stop(graceMs = 10000) {
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
