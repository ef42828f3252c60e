/**
 * Preloaded into a server process by a test (NODE_OPTIONS=--import): freezes the whole process,
 * for good, right after it writes the Nth log line of one event, so the test can kill it at that
 * exact point instead of at a moment it hopes for. The line is written before the freeze (stdout
 * to a pipe is synchronous), so the test sees it. HOLD_AT_LOG_EVENT names the event (for example
 * inbox.processed, logged inside the event's transaction before it commits), HOLD_AT_LOG_COUNT
 * the N. Plain JavaScript: it loads before anything else, without a TypeScript loader.
 */
const event = process.env.HOLD_AT_LOG_EVENT;
const count = Number(process.env.HOLD_AT_LOG_COUNT ?? '1');

if (event) {
  const marker = `"event":"${event}"`;
  const write = process.stdout.write.bind(process.stdout);
  let seen = 0;
  process.stdout.write = (chunk, ...rest) => {
    const written = write(chunk, ...rest);
    if (String(chunk).includes(marker) && ++seen === count) {
      write(`${JSON.stringify({ event: 'test.held', at: event, count })}\n`);
      // Blocks this thread, its timers and its I/O until the process is killed.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return written;
  };
}
