// Text from a server or a bucket (kine keys, values, subjects) can carry terminal escape sequences: a key holding
// ESC [2J ESC ]0;title BEL clears the screen and retitles the terminal when printed raw. Control characters are
// shown as \uXXXX instead: readable, and a valid escape inside a JSON string, so JSON output stays JSON.

/** C0 controls, DEL, C1 controls, and the bidi and line-separator format characters that can disguise text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, except newline and tab: for multi-line output whose lines are its structure. */
const CONTROL_BUT_LINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line of display text: every control character, newline and tab included, as `\uXXXX`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** Display text that may span lines: control characters as `\uXXXX`, newlines and tabs kept. */
export function escapeControlKeepLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escapeChar);
}
