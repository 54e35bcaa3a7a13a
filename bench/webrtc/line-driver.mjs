// The stdin/stdout plumbing both JS drivers share: one JSON command per input line, handled one at a
// time in order, one reply line per command; events may come in between. Exits when stdin closes.
import readline from "node:readline";

export function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

/**
 * @param {(cmd: object) => Promise<object>} handle runs one command and returns its reply line
 * @param {() => Promise<void>} shutdown closes the peer (and browser) before the process exits
 */
export function serveLines(handle, shutdown) {
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  input.on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => {
      let cmd;
      try {
        cmd = JSON.parse(line);
      } catch (e) {
        emit({ reply: null, ok: false, error: `not JSON: ${e.message}` });
        return;
      }
      emit(await handle(cmd));
    });
  });
  input.on("close", () => {
    queue.then(shutdown).finally(() => process.exit(0));
  });
  process.on("SIGTERM", () => shutdown().finally(() => process.exit(0)));
  process.on("unhandledRejection", (e) => emit({ event: "error", message: String(e?.stack ?? e) }));
}
