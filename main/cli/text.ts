/**
 * Terminal text: what is safe to print (a certificate's subject comes from a file that may lie), how wide a
 * string shows, shortening to a width, and emphasis that only a terminal sees.
 */

/** Emphasis for people reading a terminal; plain text everywhere else (pipes, files, NO_COLOR). */
export interface TextStyle {
  readonly color: boolean;
  /** Bold and coloured on a terminal; the text unchanged otherwise (never a space or a marker). */
  emphasis(text: string): string;
}

const PLAIN: TextStyle = { color: false, emphasis: (text) => text };
const COLOR: TextStyle = { color: true, emphasis: (text) => `\u001b[1;36m${text}\u001b[22;39m` };

/**
 * Colour only on a terminal: never with NO_COLOR (no-color.org: set and not empty) or TERM=dumb;
 * FORCE_COLOR (not 0) asks for it even through a pipe.
 */
export function textStyle(stdout: { isTTY?: boolean }, env: NodeJS.ProcessEnv): TextStyle {
  if (env.NO_COLOR) return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return COLOR;
  return stdout.isTTY === true && env.TERM !== 'dumb' ? COLOR : PLAIN;
}

// C0 and C1 control characters, and the bidirectional overrides that reorder what a terminal shows.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A string from outside (a certificate's subject, an API name) made safe for a terminal: control
 * characters and escape sequences show as `\xNN` / `\u{NNNN}` instead of moving the cursor or recolouring.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a character takes: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
function charWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200b || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** How many terminal columns a string takes (our own colour codes take none). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI, '')) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** The string shortened to at most `width` columns, ending in "…" when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** The string padded with spaces to `width` columns. */
export function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
