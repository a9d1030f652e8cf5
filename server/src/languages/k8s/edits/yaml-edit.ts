import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SourceText } from '../../../core/source-text';
import type { TextEditData } from '../../../core/finding';
import { defineAnalysis, resultOf } from '../../../core/analysis';

/**
 * Minimal text edits on YAML: insert keys into block or flow maps, items into
 * sequences, replace a scalar. Comments, key order, the file's indentation
 * unit (2 or 4 spaces), its sequence style (`- ` indented or not) and its line
 * ending are kept; a document is never re-serialised.
 */

/** A value to insert: a scalar already spelled as YAML (`512Mi`, `"1"`), a map, or a sequence of maps. */
export type YamlValue = string | readonly YamlField[] | { readonly items: readonly (readonly YamlField[])[] };
export type YamlField = readonly [key: string, value: YamlValue];

export interface YamlStyle {
  readonly eol: string;
  /** Spaces per nesting level. */
  readonly unit: number;
  /** True when `- ` items sit at their parent key's column (`containers:\n- name: x`). */
  readonly compactSeq: boolean;
}

/** The file's line ending, indentation unit and sequence style, by majority of its lines. */
export const YAML_STYLE = defineAnalysis({ id: 'text/yaml-style', on: 'text', build: readYamlStyle });

export function yamlStyle(source: SourceText): YamlStyle {
  return resultOf(YAML_STYLE, source);
}

function readYamlStyle(source: SourceText): YamlStyle {
  const text = source.text;
  const eol = text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : text.includes('\r') ? '\r' : '\n';
  const lines = text.split(/\r\n|\r|\n/);
  const units = new Map<number, number>();
  let compact = 0;
  let indented = 0;
  let prev: { indent: number; opensBlock: boolean } | undefined;
  for (const line of lines) {
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = line.length - content.length;
    if (prev?.opensBlock) {
      if (content.startsWith('- ')) {
        if (indent === prev.indent) compact++;
        else if (indent > prev.indent) indented++;
      } else if (indent > prev.indent) units.set(indent - prev.indent, (units.get(indent - prev.indent) ?? 0) + 1);
    }
    // The column of a key on a `- key:` line is that of the text after the dash.
    const keyIndent = content.startsWith('- ') ? indent + 2 + (content.slice(2).length - content.slice(2).trimStart().length) : indent;
    prev = { indent: keyIndent, opensBlock: /^(- +)?[^#]*:\s*(#.*)?$/.test(content) && !/[|>][-+]?\s*$/.test(content) };
  }
  let unit = 2;
  let best = 0;
  for (const [u, n] of units) if ((u === 2 || u === 4) && n > best) [unit, best] = [u, n];
  return { eol, unit, compactSeq: compact > indented };
}

/** Renders fields as block YAML lines at `indent`. */
export function renderBlock(fields: readonly YamlField[], indent: number, style: YamlStyle): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const [key, value] of fields) {
    if (typeof value === 'string') out.push(`${pad}${key}: ${value}`);
    else if (isSeqValue(value)) {
      out.push(`${pad}${key}:`);
      const dash = indent + (style.compactSeq ? 0 : style.unit);
      for (const item of value.items) out.push(...renderSeqItem(item, dash, style));
    } else {
      out.push(`${pad}${key}:`, ...renderBlock(value, indent + style.unit, style));
    }
  }
  return out;
}

/** A map as a `- ` item whose keys sit `gap` columns right of the dash (`- name` → 2, `-   name` → 4). */
function renderSeqItem(item: readonly YamlField[], dash: number, style: YamlStyle, gap = 2): string[] {
  const lines = renderBlock(item, dash + gap, style);
  if (lines.length > 0) lines[0] = `${' '.repeat(dash)}-${' '.repeat(gap - 1)}${lines[0].slice(dash + gap)}`;
  return lines;
}

/** Renders a value in flow style: `{limits: {memory: 512Mi}}`. */
export function renderFlow(value: YamlValue): string {
  if (typeof value === 'string') return value;
  if (isSeqValue(value)) return `[${value.items.map((i) => renderFlow(i)).join(', ')}]`;
  return `{${value.map(([k, v]) => `${k}: ${renderFlow(v)}`).join(', ')}}`;
}

function isSeqValue(v: YamlValue): v is { readonly items: readonly (readonly YamlField[])[] } {
  return typeof v === 'object' && !Array.isArray(v) && 'items' in v;
}

/** Column of an offset (UTF-16 units from its line start). */
function columnOf(source: SourceText, offset: number): number {
  return offset - source.lineStarts[source.lineOf(offset)];
}

/** End of the line holding the content that ends at `end` (before trailing blank lines), before the EOL. */
function lineEndAfter(text: string, end: number): number {
  let p = end;
  while (p > 0 && /[\s]/.test(text[p - 1])) p--;
  while (p < text.length && text[p] !== '\n' && text[p] !== '\r') p++;
  return p;
}

function nodeEnd(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? r[1] : undefined;
}

/** End offset of a pair's content (its value, else its key). */
function pairEnd(pair: Pair): number | undefined {
  const v = pair.value;
  const valueEnd = isScalar(v) && v.value === null && v.source === '' ? undefined : nodeEnd(v);
  return valueEnd ?? nodeEnd(pair.key);
}

/** Inserts fields at the end of a map (block or flow). Undefined when the map has no usable range. */
export function insertIntoMap(source: SourceText, map: YAMLMap, fields: readonly YamlField[]): TextEditData | undefined {
  const style = yamlStyle(source);
  const text = source.text;
  if (map.flow) {
    const range = map.range;
    if (!range || text[range[0]] !== '{') return undefined;
    const close = text.lastIndexOf('}', range[1] - 1);
    if (close < range[0]) return undefined;
    const body = fields.map(([k, v]) => `${k}: ${renderFlow(v)}`).join(', ');
    const last = map.items.at(-1);
    const end = last ? pairEnd(last) : undefined;
    if (end === undefined) return { start: close, end: close, newText: body };
    return { start: end, end, newText: `, ${body}` };
  }
  const first = map.items.at(0);
  const last = map.items.at(-1);
  const firstKeyStart = (first?.key as Node | null | undefined)?.range?.[0];
  const end = last ? pairEnd(last) : undefined;
  if (firstKeyStart === undefined || end === undefined) return undefined;
  const indent = columnOf(source, firstKeyStart);
  const at = lineEndAfter(text, end);
  return { start: at, end: at, newText: style.eol + renderBlock(fields, indent, style).join(style.eol) };
}

/**
 * Puts `fields` under `key` of `parent`: into the existing map, into a `key:`
 * with no value, or as a new `key:` block. Undefined when `key` holds something
 * else (a scalar, an alias): the caller offers no fix then.
 */
export function insertUnderKey(source: SourceText, parent: YAMLMap, key: string, value: YamlValue): TextEditData[] | undefined {
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (!pair) {
    const edit = insertIntoMap(source, parent, [[key, value]]);
    return edit ? [edit] : undefined;
  }
  const v = pair.value;
  if (isMap(v) && typeof value !== 'string' && !isSeqValue(value)) {
    if (v.items.length > 0 || v.flow) {
      const edit = insertIntoMap(source, v, value);
      return edit ? [edit] : undefined;
    }
  }
  if (isSeq(v) && isSeqValue(value)) {
    const edits: TextEditData[] = [];
    for (const item of value.items) {
      const e = appendToSeq(source, v, item);
      if (!e) return undefined;
      edits.push(e);
    }
    return edits.length === 1 ? edits : undefined;
  }
  const isEmpty = v === null || v === undefined || (isScalar(v) && (v.value === null || v.value === undefined));
  if (!isEmpty) return undefined;
  return fillEmptyKey(source, parent, pair, value);
}

function fillEmptyKey(source: SourceText, parent: YAMLMap, pair: Pair, value: YamlValue): TextEditData[] | undefined {
  const style = yamlStyle(source);
  const key = pair.key as Node | null;
  const keyStart = key?.range?.[0];
  if (keyStart === undefined) return undefined;
  if (parent.flow) {
    // `{resources: }` in a flow map: the value goes right after the colon.
    const colon = source.text.indexOf(':', key?.range?.[1] ?? keyStart);
    return colon < 0 ? undefined : [{ start: colon + 1, end: (pair.value as Node | null)?.range?.[1] ?? colon + 1, newText: ` ${renderFlow(value)}` }];
  }
  const edits: TextEditData[] = [];
  const nullScalar = pair.value as Scalar | null;
  if (nullScalar?.range && nullScalar.range[1] > nullScalar.range[0]) {
    // `key: null` / `key: ~`: drop the explicit null first.
    edits.push({ start: nullScalar.range[0] - 1, end: nullScalar.range[1], newText: '' });
  }
  const at = lineEndAfter(source.text, key?.range?.[1] ?? keyStart);
  const indent = columnOf(source, keyStart);
  let lines: string[];
  if (typeof value === 'string') return undefined;
  if (isSeqValue(value)) {
    const dash = indent + (style.compactSeq ? 0 : style.unit);
    lines = value.items.flatMap((i) => renderSeqItem(i, dash, style));
  } else lines = renderBlock(value, indent + style.unit, style);
  edits.push({ start: at, end: at, newText: style.eol + lines.join(style.eol) });
  return edits;
}

/** Appends a map item to a sequence (block or flow). */
export function appendToSeq(source: SourceText, seq: YAMLSeq, item: readonly YamlField[]): TextEditData | undefined {
  const style = yamlStyle(source);
  const text = source.text;
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  if (seq.flow) {
    const range = seq.range;
    if (!range || text[range[0]] !== '[') return undefined;
    const lastEnd = last?.range?.[1];
    if (lastEnd === undefined) {
      const close = text.lastIndexOf(']', range[1] - 1);
      return close < range[0] ? undefined : { start: close, end: close, newText: renderFlow(item) };
    }
    return { start: lastEnd, end: lastEnd, newText: `, ${renderFlow(item)}` };
  }
  const first = seq.items[0] as Node | undefined;
  const firstStart = first?.range?.[0];
  const lastEnd = last?.range?.[1];
  if (firstStart === undefined || lastEnd === undefined) return undefined;
  const dash = text.lastIndexOf('-', firstStart - 1);
  if (dash < 0 || text.slice(dash + 1, firstStart).trim() !== '') return undefined;
  const dashCol = columnOf(source, dash);
  const at = lineEndAfter(text, lastEnd);
  const lines = renderSeqItem(item, dashCol, style, Math.max(2, firstStart - dash));
  return { start: at, end: at, newText: style.eol + lines.join(style.eol) };
}

/** Replaces a scalar's text, keeping its quotes. */
export function replaceScalar(scalar: Scalar, newText: string): TextEditData | undefined {
  const r = scalar.range;
  if (!r) return undefined;
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  if (quoted) return { start: r[0] + 1, end: r[1] - 1, newText };
  return { start: r[0], end: scalarEnd(scalar) ?? r[1], newText };
}

/**
 * Where a scalar's text ends. A plain scalar never ends in white space, but
 * at the very end of a file yaml's range takes in a lone `\r`: replacing that
 * would swallow the line break an insertion after the scalar needs (edits
 * that overlap).
 */
export function scalarEnd(scalar: Scalar): number | undefined {
  const r = scalar.range;
  if (!r) return undefined;
  const raw = scalar.srcToken && 'source' in scalar.srcToken && typeof scalar.srcToken.source === 'string' ? scalar.srcToken.source : undefined;
  const plain = scalar.type !== 'QUOTE_DOUBLE' && scalar.type !== 'QUOTE_SINGLE';
  return plain && raw !== undefined && raw.length === r[1] - r[0] ? r[1] - (raw.length - raw.trimEnd().length) : r[1];
}

/**
 * Inserts `fields` into the map at `path` below `map`, creating the missing
 * maps of the path (`resources:` → `limits:`). Undefined when a step holds a
 * non-map value or an anchored map (editing it would change its aliases too).
 */
export function insertAtPath(source: SourceText, map: YAMLMap, path: readonly string[], fields: readonly YamlField[]): TextEditData[] | undefined {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    if (current.anchor) return undefined;
    const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === path[i]);
    if (pair && isMap(pair.value) && (pair.value.items.length > 0 || pair.value.flow)) {
      current = pair.value;
      continue;
    }
    let value: YamlValue = fields;
    for (let j = path.length - 1; j > i; j--) value = [[path[j], value]];
    return insertUnderKey(source, current, path[i], value);
  }
  if (current.anchor) return undefined;
  const edit = insertIntoMap(source, current, fields);
  return edit ? [edit] : undefined;
}

/**
 * Removes a `key: scalar` pair of a block map with its whole line (comment and
 * line break included). Undefined when the pair shares its line with other
 * content (a flow map, `- key: v` as a sequence item's first key) or its value
 * is not a one-line scalar.
 */
export function removePairLine(source: SourceText, map: YAMLMap, key: string): TextEditData | undefined {
  if (map.flow) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const k = pair?.key as Node | undefined;
  const v = pair?.value;
  if (!k?.range || !isScalar(v) || !v.range) return undefined;
  const line = source.lineOf(k.range[0]);
  if (source.lineOf(v.range[1]) !== line || source.text.slice(source.lineStart(line), k.range[0]).trim() !== '') return undefined;
  return { start: source.lineStart(line), end: source.lineEndIncludingBreak(line), newText: '' };
}

/**
 * Replaces a pair (key and value) with `fields`, in the map's own style: block
 * lines at the key's column, or `k: {..}` inside a flow map. Undefined when the
 * pair has no usable range.
 */
export function replacePair(source: SourceText, map: YAMLMap, key: string, fields: readonly YamlField[]): TextEditData | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const start = (pair?.key as Node | undefined)?.range?.[0];
  const end = pair ? pairEnd(pair) : undefined;
  if (start === undefined || end === undefined) return undefined;
  if (map.flow) return { start, end, newText: fields.map(([k, v]) => `${k}: ${renderFlow(v)}`).join(', ') };
  const style = yamlStyle(source);
  const lines = renderBlock(fields, columnOf(source, start), style);
  if (lines.length > 0) lines[0] = lines[0].trimStart();
  return { start, end, newText: lines.join(style.eol) };
}
