import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first match of `pattern` in a child process's stdout or stderr (how the benchmarks learn
 * a server's port, or a load generator's result); rejects, with everything it printed, if the child exits
 * first or nothing matches within `timeoutMs`.
 */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`${what}: nothing after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) early:\n${output}`));
    });
  });
}
