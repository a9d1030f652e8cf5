import { distance } from 'fastest-levenshtein';

/**
 * " (did you mean "x"?)" for the closest known name, or "" when none is close.
 * Close is relative to length: at most a third of the longer name may differ
 * (at least one edit), so `foo` suggests nothing for `cpu` while `go/unclosed-bdy`
 * still finds `go/unclosed-body`.
 */
export function suggest(unknown: string, known: readonly string[]): string {
  const best = closest(unknown, known);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** The known name closest to `unknown` within the relative threshold of {@link suggest}, if any. */
export function closest(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestDistance && d <= Math.max(1, Math.floor(Math.max(unknown.length, k.length) / 3))) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (rules use it to suggest a close name too). */
export function editDistance(a: string, b: string): number {
  return distance(a, b);
}
