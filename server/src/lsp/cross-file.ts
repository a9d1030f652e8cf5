import type { Diagnostic } from 'vscode-languageserver';
import type { FileAnalysis } from '../engine/analyze';
import type { RuleDocsLinks } from '../host-shared/rule-docs';
import { toDiagnostic, type RuleMetaOf, type SourceLookup } from './diagnostics';
import { pathToUri } from './workspace-state';

/** Sends one document's full diagnostics (the client replaces the previous set). */
export type Send = (uri: string, diagnostics: Diagnostic[], version?: number) => void;

/**
 * What each document shows: its own analysis's diagnostics plus the findings
 * other files' analyses made about it (a Dockerfile rule that reports into
 * main.go, a manifest rule that reports into the Dockerfile). Every publish
 * goes through here, so a document's set is always own ∪ foreign; a source's
 * new analysis replaces what it said about other files, and only the
 * documents whose foreign set changed are re-sent.
 */
export class PublishedDiagnostics {
  private readonly own = new Map<string, { diagnostics: Diagnostic[]; version?: number }>();
  /** By source file path: target uri → diagnostics found by that file's analysis. */
  private readonly foreign = new Map<string, Map<string, Diagnostic[]>>();

  constructor(private readonly send: Send) {}

  /** A document's own diagnostics (from its own analysis, or none). */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    this.own.set(uri, { diagnostics, version });
    if (diagnostics.length === 0 && version === undefined) this.own.delete(uri);
    this.send(uri, [...diagnostics, ...this.foreignFor(uri)], version);
  }

  /** What `sourcePath`'s latest analysis found in other files (empty map: nothing, or the source is gone). */
  setForeign(sourcePath: string, byUri: ReadonlyMap<string, Diagnostic[]>): void {
    const before = this.foreign.get(sourcePath) ?? new Map<string, Diagnostic[]>();
    if (byUri.size === 0) this.foreign.delete(sourcePath);
    else this.foreign.set(sourcePath, new Map(byUri));
    for (const uri of new Set([...before.keys(), ...byUri.keys()])) {
      if (JSON.stringify(before.get(uri) ?? []) === JSON.stringify(byUri.get(uri) ?? [])) continue;
      const own = this.own.get(uri);
      this.send(uri, [...(own?.diagnostics ?? []), ...this.foreignFor(uri)], own?.version);
    }
  }

  /** Foreign diagnostics of a document; one finding found by two analyses (an x/ rule runs on both sides) is shown once. */
  private foreignFor(uri: string): Diagnostic[] {
    const found = [...this.foreign.values()].flatMap((byUri) => byUri.get(uri) ?? []);
    // Most documents have none: their own diagnostics (hundreds, re-sent at every keystroke) are not keyed for nothing.
    if (found.length === 0) return found;
    const out: Diagnostic[] = [];
    const seen = new Set((this.own.get(uri)?.diagnostics ?? []).map(identity));
    for (const d of found) {
      const id = identity(d);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(d);
    }
    return out;
  }
}

function identity(d: Diagnostic): string {
  return `${String(d.code)}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${typeof d.message === 'string' ? d.message : d.message.value}`;
}

/**
 * The findings of an analysis that concern other files, as diagnostics of
 * those files (positions from the target's own text), each with related
 * information pointing back at the analysed file when the rule gave none.
 */
export function foreignDiagnostics(result: FileAnalysis, docs: RuleDocsLinks, lookup: SourceLookup, metaOf?: RuleMetaOf): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const f of result.findings) {
    if (f.file === result.path) continue;
    const target = lookup(f.file);
    if (!target) continue;
    const related = f.related?.some((r) => r.file === result.path) ? f.related
      : [...(f.related ?? []), { file: result.path, span: { start: 0, end: 0 }, message: 'found by the analysis of this file' }];
    const lookupWithSource: SourceLookup = (p) => (p === result.path ? result.source : lookup(p));
    const d = toDiagnostic({ ...f, related }, target, docs, lookupWithSource, metaOf);
    const uri = pathToUri(f.file);
    out.set(uri, [...(out.get(uri) ?? []), d]);
  }
  return out;
}
