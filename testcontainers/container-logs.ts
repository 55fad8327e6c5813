import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseReadyLine, type ReadyLine } from './ready-line.js';

/** The emulator's log lines start with this (emulator/cli/main.ts); its ready line is JSON on stdout. */
const LOG_PREFIX = '[iothub-emulator]';

/**
 * Reads the container's log stream up to the ready line (the first line that is a JSON object) and
 * stops reading there. The wait strategy has already seen that line, so this only fails when the
 * stream ends first or the deadline passes.
 */
export async function readReadyLine(logs: Readable, timeoutMs: number): Promise<ReadyLine> {
  const lines = createInterface({ input: logs, crlfDelay: Infinity });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The emulator container's logs showed no ready line within ${timeoutMs} ms.`)), timeoutMs);
  });
  const firstJsonLine = (async (): Promise<string> => {
    for await (const line of lines) if (line.trimStart().startsWith('{')) return line;
    throw new Error("The emulator container's log stream ended before its ready line.");
  })();
  try {
    return parseReadyLine(await Promise.race([firstJsonLine, deadline]));
  } finally {
    clearTimeout(timer);
    lines.close();
    logs.destroy();
    firstJsonLine.catch(() => undefined);
  }
}

/**
 * Keeps the emulator's own log lines (stderr) for error messages. The ready line is left out on
 * purpose: it holds the service connection string, whose key must not reach logs or errors.
 */
export class EmulatorLogTail {
  private readonly lines: string[] = [];

  constructor(private readonly keep = 20) {}

  readonly consume = (stream: Readable): void => {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line: string) => {
      if (!line.startsWith(LOG_PREFIX)) return;
      this.lines.push(line);
      if (this.lines.length > this.keep) this.lines.shift();
    });
  };

  describe(): string {
    return this.lines.length === 0 ? '(the emulator logged nothing)' : this.lines.join('\n');
  }
}
