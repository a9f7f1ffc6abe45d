/**
 * Characters a terminal acts on or that make text look like other text: C0 and C1 controls (ESC starts
 * ANSI sequences, U+009B is a one-character CSI), DEL, bidi overrides and isolates ("Trojan Source"),
 * zero-width characters and the BOM.
 */
// Matching control characters is the point here.
/* eslint-disable no-control-regex */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;
const UNSAFE_KEEPING_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;
/* eslint-enable no-control-regex */

function visible(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text from the server made safe to print: every unsafe character is shown as `\xNN` or `\uNNNN`. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like `terminalText`, but tabs and line feeds stay (multi-line data such as CSV). */
export function terminalLines(text: string): string {
  return text.replace(UNSAFE_KEEPING_LINES, visible);
}

/**
 * JSON text for a terminal or a pipe. `JSON.stringify` escapes C0 controls but leaves C1 controls, bidi
 * and zero-width characters raw; they can only occur inside strings, where `\uNNNN` means the same.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    JSON_UNSAFE,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Makes a stream of text (decoded chunk by chunk) safe for a terminal, keeping tabs and line breaks.
 * CRLF becomes LF; a CR at the end of a chunk waits for the next one to know whether LF follows.
 */
export function terminalStreamFilter(): { push(chunk: string): string; end(): string } {
  let pendingCarriageReturn = false;
  const clean = (text: string) => terminalLines(text.replace(/\r\n/g, '\n'));
  return {
    push(chunk) {
      let text = (pendingCarriageReturn ? '\r' : '') + chunk;
      pendingCarriageReturn = text.endsWith('\r');
      if (pendingCarriageReturn) text = text.slice(0, -1);
      return clean(text);
    },
    end() {
      const rest = pendingCarriageReturn ? clean('\r') : '';
      pendingCarriageReturn = false;
      return rest;
    },
  };
}
