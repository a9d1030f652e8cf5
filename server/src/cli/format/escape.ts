/**
 * Control characters in file names and messages, made visible: a file name
 * with a newline cannot forge a finding line, and escape sequences never
 * reach the terminal or the CI log. C0, DEL, C1, the Unicode line and
 * paragraph separators and the bidirectional overrides (Trojan Source) are
 * written as `\n`, `\t`, `\x1b`, `\u202e`.
 */
 
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(s: string, options: { keepLineBreaks?: boolean } = {}): string {
  return s.replace(CONTROL, (ch) => {
    if (options.keepLineBreaks && (ch === '\n' || ch === '\r')) return ch;
    const named = NAMED[ch];
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a table lookup by a code point: absent for most characters
    if (named !== undefined) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
