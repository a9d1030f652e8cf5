import { deserialize, serialize } from 'node:v8';
import { SourceText } from '../core/source-text';
import { contentHash } from '../core/content-hash';
import type { Languages, ParsedFile } from './languages';
import { defineAnalysis, resultOf, type Analysis, type AnalysisUnits, type FactOn } from '../core/analysis';
import type { FileSource } from './workspace';

/** The content hash of a text: what facts are keyed by. */
export const CONTENT_HASH = defineAnalysis({
  id: 'text/content-hash',
  on: 'text',
  build: (source) => contentHash(source.text),
});


/** Parsed sibling files kept for further facts: rules ask several facts of the same package files in a row. */
const PARSED_KEPT = 16;

/**
 * Files whose facts are kept as live objects (the most recently read): a
 * package or a manifest folder being audited. The facts of other files are
 * kept serialised (V8's structured clone, off the JS heap, a fraction of the
 * objects' size) and decoded again when asked: an audit of a large tree holds
 * its facts in a few bytes per declaration.
 */
const LIVE_KEPT = 512;

interface Entry {
  hash: string;
  /** Facts by analysis id: live, or serialised when the entry left the live set. */
  facts: Map<string, unknown>;
  packed?: Map<string, Buffer>;
}

/**
 * The engine's store of facts (plain data extracted from one Go file by a
 * `fact` analysis), keyed by (path, content hash, analysis id). A file's
 * facts are computed once per content whether it was the file under
 * analysis (from its live tree) or a sibling read from the FileSource (parsed
 * on demand, its tree freed soon after): an audit never keeps trees, and a
 * package's facts are computed once, not once per file of the package.
 * Holding only data, entries could be sent between workers or written to disk.
 */
export class FactStore {
  private readonly entries = new Map<string, Entry>();
  /** Entries whose facts are live objects, by recency (the others are packed). */
  private readonly recent = new Map<string, Entry>();
  /** Content hash per path for the FileSource version it was read at: a sibling is re-read only when it changed. */
  private readonly hashes = new Map<string, { version: string; hash: string }>();
  /** Recently parsed files by path (insertion order = recency), trees freed on eviction. */
  private readonly parsed = new Map<string, { hash: string; file: ParsedFile }>();

  constructor(
    private readonly languages: Languages,
    private readonly files: FileSource,
  ) {}

  /** A fact of a file as the FileSource has it; undefined when it cannot be read. */
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined {
    const version = this.files.versionOf(filePath);
    if (version === undefined) return undefined;
    let known = this.hashes.get(filePath);
    let text: string | undefined;
    if (!known || known.version !== version) {
      text = this.files.readText(filePath);
      if (text === undefined) return undefined;
      known = { version, hash: contentHash(text) };
      this.hashes.set(filePath, known);
    }
    const entry = this.entryFor(filePath, known.hash);
    if (entry.facts.has(analysis.id)) return entry.facts.get(analysis.id) as T;
    const parsed = this.parsedFile(filePath, known.hash, text);
    const unit = parsed ? this.languages.byKind(parsed.kind)?.unit(analysis.on, parsed) : undefined;
    if (!unit) return undefined;
    const value = resultOf(analysis, unit);
    entry.facts.set(analysis.id, value);
    return value;
  }

  /** Live facts for a file: decoded again if they were packed, and the file made the most recent of the live set. */
  private live(filePath: string, entry: Entry): Entry {
    this.recent.delete(filePath);
    this.recent.set(filePath, entry);
    if (entry.packed) {
      for (const [id, bytes] of entry.packed) entry.facts.set(id, deserialize(bytes));
      entry.packed = undefined;
    }
    // The oldest live entries beyond the bound are packed.
    for (const [p, e] of this.recent) {
      if (this.recent.size <= LIVE_KEPT) break;
      e.packed = new Map([...e.facts].map(([id, v]) => [id, serialize(v)]));
      e.facts = new Map();
      this.recent.delete(p);
    }
    return entry;
  }

  /** A fact of a parsed file (the one under analysis; its text may be unsaved), shared under its content hash. */
  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T {
    const entry = this.entryFor(file.path, resultOf(CONTENT_HASH, file.source));
    if (entry.facts.has(analysis.id)) return entry.facts.get(analysis.id) as T;
    const value = resultOf(analysis, file);
    entry.facts.set(analysis.id, value);
    return value;
  }

  private entryFor(filePath: string, hash: string): Entry {
    const entry = this.entries.get(filePath);
    if (entry && entry.hash === hash) return this.live(filePath, entry);
    const fresh: Entry = { hash, facts: new Map() };
    this.entries.set(filePath, fresh);
    return this.live(filePath, fresh);
  }

  private forget(filePath: string): void {
    this.recent.delete(filePath);
    this.entries.delete(filePath);
  }

  /** A file parsed by the adapter that claims it, kept among the last {@link PARSED_KEPT}; undefined when no language takes it. */
  private parsedFile(filePath: string, hash: string, knownText: string | undefined): ParsedFile | undefined {
    const kept = this.parsed.get(filePath);
    if (kept) {
      this.parsed.delete(filePath);
      if (kept.hash === hash) {
        this.parsed.set(filePath, kept);
        return kept.file;
      }
      this.release(kept.file);
    }
    const adapter = this.languages.claim(filePath);
    const text = knownText ?? this.files.readText(filePath);
    if (text === undefined || !adapter) return undefined;
    const file = adapter.parse(filePath, new SourceText(text), this.files);
    if (!file) return undefined;
    this.parsed.set(filePath, { hash, file });
    if (this.parsed.size > PARSED_KEPT) {
      const [oldest, entry] = this.parsed.entries().next().value as [string, { file: ParsedFile }];
      this.release(entry.file);
      this.parsed.delete(oldest);
    }
    return file;
  }

  private release(file: ParsedFile): void {
    this.languages.byKind(file.kind)?.dispose(file);
  }

  /** Forgets a file's facts (it changed or was deleted). */
  invalidate(filePath: string): void {
    const kept = this.parsed.get(filePath);
    if (kept) this.release(kept.file);
    this.parsed.delete(filePath);
    this.forget(filePath);
    this.hashes.delete(filePath);
  }

  clear(): void {
    for (const kept of this.parsed.values()) this.release(kept.file);
    this.parsed.clear();
    this.entries.clear();
    this.recent.clear();
    this.hashes.clear();
  }
}
