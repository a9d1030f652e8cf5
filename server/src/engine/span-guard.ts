import type { Span } from '../core/finding';

/**
 * A range made safe for hosts: inside the document (a parser may report an
 * error one past the end) and never between the `\r` and `\n` of a line break,
 * where an editor has no position. Applied once, where findings are made.
 */
export function clampSpan(span: Span, text: string): Span {
  const fit = (n: number): number => (Number.isFinite(n) ? Math.min(Math.max(0, Math.trunc(n)), text.length) : text.length);
  let start = fit(span.start);
  let end = fit(span.end);
  if (end < start) [start, end] = [end, start];
  if (splitsCrlf(start, text)) start--;
  if (splitsCrlf(end, text)) end = end - 1 >= start ? end - 1 : end + 1;
  return start === span.start && end === span.end ? span : { start, end };
}

function splitsCrlf(offset: number, text: string): boolean {
  return offset > 0 && offset < text.length && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10;
}
