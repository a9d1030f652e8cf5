import { Lexer, parseAllDocuments, isMap, YAMLParseError, type Document } from 'yaml';
import { SourceText } from '../../core/source-text';
import { AnalysisSlot } from '../../core/analysis-slot';
import type { Span } from '../../core/finding';
import { duplicateKeys } from './yaml-duplicates';
import { toJsSafe } from '../build/yaml-data';

export { toJsSafe };

declare module '../../core/analysis' {
  interface AnalysisUnits {
    'k8s-file': K8sFile;
  }
  interface FactUnits {
    'k8s-file': true;
  }
}

/** One `---` document of a YAML file, with its source range. */
export interface K8sDoc {
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly span: Span;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

export interface YamlProblem {
  span: Span;
  message: string;
  code: string;
  severity: 'error' | 'warning';
}

/** A parsed YAML file holding Kubernetes objects. yaml's ranges are string offsets already. */
export interface K8sFile {
  readonly kind: 'k8s';
  readonly path: string;
  readonly source: SourceText;
  readonly docs: readonly K8sDoc[];
  /** Parser errors and warnings (duplicate keys included), per document. */
  readonly problems: readonly YamlProblem[];
  /** Engine-owned results of the analyses run on this file. */
  readonly analyses: AnalysisSlot;
}

export function parseK8s(filePath: string, text: string | SourceText): K8sFile {
  const source = typeof text === 'string' ? new SourceText(text) : text;
  // uniqueKeys is checked by duplicateKeys (linear), not by yaml (quadratic in a map's size).
  const parsed = parseAllDocuments(source.text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, strict: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  const docs: K8sDoc[] = [];
  const problems: YamlProblem[] = [];
  documents.forEach((doc, index) => {
    // yaml's own duplicate-key errors, found here in linear time, joined to the document's errors as yaml would.
    for (const d of duplicateKeys(doc)) doc.errors.push(new YAMLParseError(d.pos, d.code, d.message));
    for (const e of doc.errors) problems.push(toProblem(e, 'error'));
    for (const w of doc.warnings) problems.push(toProblem(w, 'warning'));
    const contents = doc.contents;
    const span: Span = contents?.range ? { start: contents.range[0], end: contents.range[2] } : { start: 0, end: 0 };
    let apiVersion: string | undefined;
    let kind: string | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    if (isMap(contents)) {
      apiVersion = scalarString(doc, ['apiVersion']);
      kind = scalarString(doc, ['kind']);
      name = scalarString(doc, ['metadata', 'name']);
      namespace = scalarString(doc, ['metadata', 'namespace']);
    }
    docs.push({ index, doc, span, apiVersion, kind, name, namespace });
  });
  return { kind: 'k8s', path: filePath, source, docs, problems, analyses: new AnalysisSlot() };
}

function scalarString(doc: Document.Parsed, path: string[]): string | undefined {
  try {
    const v: unknown = doc.getIn(path);
    return typeof v === 'string' ? v : undefined;
  } catch (e) {
    // A stack overflow is a parser failure to report (an internal-error notice), not "no apiVersion": never a silently dropped file.
    if (e instanceof RangeError) throw e;
    return undefined;
  }
}

function toProblem(e: { pos: [number, number]; message: string; code: string }, severity: 'error' | 'warning'): YamlProblem {
  const firstLine = e.message.split('\n')[0];
  return { span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }, message: firstLine, code: e.code, severity };
}

const API_VERSION_KEY = /^[ \t]*(?:-[ \t]+)?(?:\uFEFF)?["']?apiVersion["']?[ \t]*:/m;
const KIND_KEY = /^[ \t]*(?:-[ \t]+)?(?:\uFEFF)?["']?kind["']?[ \t]*:/m;

/**
 * True when a YAML text that does not parse still reads like Kubernetes
 * objects: it has an `apiVersion` key and a `kind` key, at any indentation
 * (the items of a `List`), as sequence items, quoted (JSON style), after a BOM.
 */
export function looksLikeManifestText(text: string): boolean {
  return API_VERSION_KEY.test(text) && KIND_KEY.test(text);
}

/** True when a document is a Kubernetes object (has `apiVersion` and `kind`). */
export function isManifestDoc(d: K8sDoc): boolean {
  return d.apiVersion !== undefined && d.kind !== undefined;
}

/** Comments of a YAML text, from yaml's lexer (so `#` inside strings is not a comment). */
export function yamlComments(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // Control characters mark document/flow boundaries and carry no source text.
    if (token.length === 1 && token.charCodeAt(0) < 0x20 && token !== '\n' && token !== '\t' && token !== '\r') continue;
    if (token.startsWith('#')) spans.push({ start: offset, end: offset + token.length });
    offset += token.length;
  }
  return spans;
}
