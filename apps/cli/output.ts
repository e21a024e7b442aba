/**
 * Standard output and error of a command that ends. `process.exit` right after a large write to a pipe drops what
 * the pipe has not taken yet, and the global console swallows write errors (a reader that went away: EPIPE), so a
 * cut listing or export would end with status 0. Every command therefore ends here: both streams drained first,
 * and any write error turned into a non-zero status with a line saying the output is incomplete.
 */
let writeError: NodeJS.ErrnoException | undefined;

/** Called once at start, before anything is written: records the first write error instead of crashing on it. */
export function watchOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      writeError ??= error;
    });
  }
}

/** The status a command ends with: its own, or 1 when its output could not all be written. */
export function finalStatus(code: number, name: string): number {
  if (!writeError) return code;
  const reason = writeError.code === 'EPIPE' ? 'the reader closed the pipe (EPIPE)' : `${writeError.code ?? writeError.message}`;
  // stderr may be the stream that failed; a second failure leaves only the status to tell.
  if (process.stderr.writable) process.stderr.write(`u4ssc ${name}: the output is incomplete: writing it failed: ${reason}\n`);
  return code === 0 ? 1 : code;
}

/** Resolves once everything written so far has left the process (or the stream failed). */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    // Writes complete in order: the callback of an empty write runs after every earlier one has been handed over.
    stream.write('', () => resolve());
  });
}

/** Ends the process with `code` once stdout and stderr have drained; never cuts output short. */
export async function exitWhenDrained(code: number, name: string): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  const status = finalStatus(code, name);
  await drained(process.stderr);
  process.exit(status);
}
