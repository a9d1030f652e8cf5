/**
 * Kubernetes `resource.Quantity` and the Go runtime's `GOMEMLIMIT` byte counts.
 *
 * Quantity grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 *   <quantity> ::= <signedNumber><suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= Ki|Mi|Gi|Ti|Pi|Ei | n|u|m|""|k|M|G|T|P|E | (e|E)<signedNumber>
 * The parser accepts `n` and `u` although the documented grammar omits them.
 */

export interface Quantity {
  /** The text as written (numbers from YAML as their source text). */
  readonly text: string;
  /** Value in base units (bytes, cores). */
  readonly value: number;
  /** The suffix as written ("" for none). */
  readonly suffix: string;
  readonly isBinary: boolean;
}

const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Readonly<Partial<Record<string, number>>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([KMGTPE]i|[numkMGTPE]?)|[eE]([+-]?\d+))$/;

/** Parses a quantity as the API server does; undefined when it would reject it. */
export function parseQuantity(raw: string): Quantity | undefined {
  const text = raw.trim();
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, digits] = m;
  const suffix = m[3] as string | undefined;
  const exponent = m[4] as string | undefined;
  const base = Number(digits) * (sign === '-' ? -1 : 1);
  if (!Number.isFinite(base)) return undefined;
  if (exponent !== undefined) return { text, value: base * 10 ** Number(exponent), suffix: text.slice(sign.length + digits.length), isBinary: false };
  const s = suffix ?? '';
  const binary = BINARY[s] as number | undefined;
  const factor = binary ?? DECIMAL[s];
  if (factor === undefined) return undefined;
  return { text, value: base * factor, suffix: s, isBinary: s in BINARY };
}

/** The quantity grammar as a JSON-schema `pattern`, for options whose value a fix inserts. */
export const QUANTITY_PATTERN = '^[+]?(\\d+\\.?\\d*|\\.\\d+)([KMGTPE]i|[numkMGTPE]?|[eE][+-]?\\d{1,3})$';

/**
 * A configured quantity (an option's value) as the YAML scalar a fix inserts:
 * only a finite, non-negative quantity, written plain (its grammar has no YAML
 * indicator, quote or line break); undefined for anything else, so no
 * configuration string reaches a manifest verbatim.
 */
export function quantityScalar(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? String(value) : undefined;
  if (typeof value !== 'string' || !new RegExp(QUANTITY_PATTERN).test(value)) return undefined;
  const q = parseQuantity(value);
  return q && Number.isFinite(q.value) && q.value >= 0 ? q.text : undefined;
}

/** A likely intended spelling of a rejected memory/CPU quantity (`512mb` → `512Mi`), or undefined. */
export function correctQuantityTypo(raw: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(raw.trim());
  if (!m) return undefined;
  const [, num, unit] = m;
  const lower = unit.toLowerCase();
  // `mi`, `gi`, `kib`, `mib`, `MB`, `gb`: binary units written the wrong way.
  const binary = /^([kmgtpe])(?:i|ib|b)$/.exec(lower);
  if (binary) {
    const fixed = `${num}${binary[1].toUpperCase()}i`;
    return fixed !== raw.trim() && parseQuantity(fixed) ? fixed : undefined;
  }
  return undefined;
}

/** Formats a byte count as a Kubernetes quantity in the largest whole binary unit (`536870912` → `512Mi`). */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const f = BINARY[unit];
    if (bytes >= f && Number.isInteger(bytes / f)) return `${bytes / f}${unit}`;
  }
  return String(Math.round(bytes));
}

/**
 * Parses a `GOMEMLIMIT` value as the Go runtime does (runtime.parseByteCount):
 * a non-negative integer with no suffix or B, KiB, MiB, GiB, TiB; or `off`.
 * Returns bytes, Infinity for `off`, undefined when the process would exit at start.
 */
export function parseGoByteCount(raw: string): number | undefined {
  if (raw === 'off') return Infinity;
  const m = /^(\d+)(B|KiB|MiB|GiB|TiB)?$/.exec(raw);
  if (!m) return undefined;
  const unit = m[2] as string | undefined;
  const factor = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[unit ?? 'B'] ?? 1;
  const n = Number(m[1]) * factor;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The Go spelling of a GOMEMLIMIT written with Kubernetes or SI-style units (`400Mi`, `400MB`, `400M`) → `400MiB`. */
export function correctGoByteCount(raw: string): string | undefined {
  const m = /^(\d+)\s*([kKmMgGtT])(?:i|ib|iB|b|B)?$/.exec(raw.trim());
  if (!m) return undefined;
  return `${m[1]}${m[2].toUpperCase()}iB`;
}

/** Formats bytes for GOMEMLIMIT, rounded down to whole MiB (`409MiB`). */
export function formatGoMiB(bytes: number): string {
  return `${Math.max(1, Math.floor(bytes / 2 ** 20))}MiB`;
}
