export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(text: string): void;
  /** Clears the line on a terminal, then writes the final text if there is one. */
  done(text?: string): void;
}

const TERMINAL_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 1000;

/**
 * Progress on stderr, so it never mixes with data on stdout: a line redrawn in place on a terminal,
 * one line a second otherwise (`--progress` into a log). Disabled, it writes nothing.
 */
export function createProgress(input: {
  stream: ProgressStream;
  enabled: boolean;
  now?: () => number;
}): Progress {
  const now = input.now ?? Date.now;
  const terminal = input.stream.isTTY === true;
  let lastWrite = -Infinity;
  let shown = false;
  const write = (text: string) => {
    input.stream.write(terminal ? `\r${text}\x1b[K` : `${text}\n`);
    shown = true;
  };
  return {
    update(text) {
      if (!input.enabled) return;
      const time = now();
      if (time - lastWrite < (terminal ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS)) return;
      lastWrite = time;
      write(text);
    },
    done(text) {
      if (!input.enabled) return;
      if (terminal && shown) input.stream.write('\r\x1b[K');
      if (text !== undefined) input.stream.write(`${text}\n`);
    },
  };
}
