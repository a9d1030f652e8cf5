import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../../core/finding';

/**
 * Small, null-safe readers over yaml's AST, shared by the Kubernetes model
 * and rules. Aliases are followed (at most a few hops) for reading only; edits
 * never target an alias or the node it points to.
 */

const MAX_ALIAS_HOPS = 8;

/** The node an alias points to (bounded), or the node itself. */
export function deref(doc: Document.Parsed, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < MAX_ALIAS_HOPS && isAlias(current); i++) {
    try {
      current = current.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return isAlias(current) ? undefined : current;
}

export interface Entry {
  pair: Pair;
  key: Scalar;
  /** The value node, aliases followed; undefined for `key:` with no value. */
  value: unknown;
  /** True when the value was reached through an alias (not safe to edit in place). */
  viaAlias: boolean;
}

/** The entry of `map` whose scalar key equals `key`. */
export function entryOf(doc: Document.Parsed, map: YAMLMap | undefined, key: string): Entry | undefined {
  if (!map) return undefined;
  for (const pair of map.items) {
    const k = pair.key;
    if (!isScalar(k) || String(k.value) !== key) continue;
    const raw = pair.value;
    return { pair: pair, key: k, value: deref(doc, raw), viaAlias: isAlias(raw) };
  }
  return undefined;
}

export function mapAt(doc: Document.Parsed, map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const v = entryOf(doc, map, key)?.value;
  return isMap(v) ? v : undefined;
}

export function seqAt(doc: Document.Parsed, map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const v = entryOf(doc, map, key)?.value;
  return isSeq(v) ? v : undefined;
}

export function scalarAt(doc: Document.Parsed, map: YAMLMap | undefined, key: string): Scalar | undefined {
  const v = entryOf(doc, map, key)?.value;
  return isScalar(v) ? v : undefined;
}

/** Follows a key path through maps. */
export function mapPath(doc: Document.Parsed, map: YAMLMap | undefined, keys: readonly string[]): YAMLMap | undefined {
  let current = map;
  for (const k of keys) current = mapAt(doc, current, k);
  return current;
}

/** A scalar's text as written (numbers keep their spelling: `0.50`), without quotes. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.source === 'string' && node.type === 'PLAIN') return node.source;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a YAML scalar's value is a number, boolean, bigint or Date here (null and strings returned above), never a plain object
  return String(node.value);
}

/** The value of a scalar entry as text. */
export function textAt(doc: Document.Parsed, map: YAMLMap | undefined, key: string): string | undefined {
  return scalarText(entryOf(doc, map, key)?.value);
}

/** Source span of a node (its value, without trailing comments). */
export function spanOf(node: unknown): Span | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** True when the map uses a YAML merge key (`<<: *base`): what it holds cannot be known without merging. */
export function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((p) => isScalar(p.key) && p.key.value === '<<');
}

/** Items of a sequence that are maps (aliases followed). */
export function mapItems(doc: Document.Parsed, seq: YAMLSeq | undefined): YAMLMap[] {
  if (!seq) return [];
  const out: YAMLMap[] = [];
  for (const item of seq.items) {
    const v = deref(doc, item);
    if (isMap(v)) out.push(v);
  }
  return out;
}

/** A label map as key → value; undefined when a key or value is not a plain scalar (aliases, nested maps). */
export function labelsOf(map: YAMLMap | undefined): Map<string, string> | undefined {
  if (!map) return undefined;
  const out = new Map<string, string>();
  for (const p of map.items) {
    if (!isScalar(p.key)) return undefined;
    const v = scalarText(p.value);
    if (v === undefined) return undefined;
    out.set(String(p.key.value), v);
  }
  return out;
}
