/**
 * Text that came from RingCentral (or from an outside caller: caller-ID names) made safe to show on
 * a terminal. Control characters (C0, DEL, C1) and bidirectional overrides are shown as `\uXXXX`,
 * so nothing an answer contains can clear the screen, retitle the window, draw a link, hide text
 * or reorder a line. Newlines are kept only where the caller lays out lines itself. Machine formats
 * (json, ndjson, csv) keep data exact and are not passed through this.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_WITH_BREAKS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines ? UNSAFE : UNSAFE_WITH_BREAKS;
  return text.replace(pattern, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
