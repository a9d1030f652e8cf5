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



/**
 * Files whose facts are kept as live objects (the most recently read): a
 * package or a manifest folder being audited. The facts of other files are
 * kept serialised (V8's structured clone, off the JS heap, a fraction of the
 * objects' size) and decoded again when asked: an audit of a large tree holds
 * its facts in a few bytes per declaration.
 */
const LIVE_KEPT = 512;

/** Parsed sibling files kept (their trees), in case a fact kind not asked before is asked of them next. */
const PARSED_KEPT = 4;

/** One fact of one file content, as stores share it (audit workers): plain data. */
export interface SharedFact {
  path: string;
  hash: string;
  id: string;
  value: unknown;
}

/** A fact analysis of any unit kind: the store keeps the ones asked so far to build them together. */
type AnyFact = Analysis<unknown, FactOn>;

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
 * A sibling parsed for one fact gets every fact asked of any file so far
 * built from that one parse: readers ask several facts of each package file
 * (one per fact kind), and a sibling is never parsed twice for the same
 * content unless a fact kind never asked before is asked of it.
 * Holding only data, entries could be sent between workers or written to disk.
 */
export class FactStore {
  private readonly entries = new Map<string, Entry>();
  /** Entries whose facts are live objects, by recency (the others are packed). */
  private readonly recent = new Map<string, Entry>();
  /** Content hash per path for the FileSource version it was read at: a sibling is re-read only when it changed. */
  private readonly hashes = new Map<string, { version: string; hash: string }>();
  /**
   * Versions read from the FileSource since the current analysis began
   * ({@link beginAnalysis}): one analysis asks several facts of each package
   * file, and each ask would otherwise stat the file again.
   */
  private readonly versions = new Map<string, string | undefined>();
  private inAnalysis = false;
  /** The last parsed siblings by path (insertion order = recency), trees freed on eviction. */
  private readonly parsed = new Map<string, { hash: string; file: ParsedFile }>();
  /** Every fact analysis asked of a file so far, by id: what a sibling's one parse builds. */
  private readonly asked = new Map<string, AnyFact>();

  constructor(
    private readonly languages: Languages,
    private readonly files: FileSource,
  ) {}

  /** A fact of a file as the FileSource has it; undefined when it cannot be read. */
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined {
    const version = this.versionOf(filePath);
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
    this.ask(analysis);
    const parsed = this.parsedFile(filePath, known.hash, text);
    if (!parsed) return undefined;
    const adapter = this.languages.byKind(parsed.kind);
    const build = (fact: AnyFact): void => {
      const unit = adapter?.unit(fact.on, parsed);
      // No such unit in this file (a Go fact of a manifest): undefined, stored so the file is not parsed again for it.
      entry.facts.set(fact.id, unit ? resultOf(fact, unit) : undefined);
    };
    build(analysis);
    // Every other fact asked so far, from the same parse. One that throws is left to throw when it is asked.
    for (const fact of this.asked.values()) {
      if (entry.facts.has(fact.id)) continue;
      try {
        build(fact);
      } catch {
        entry.facts.delete(fact.id);
      }
    }
    return entry.facts.get(analysis.id) as T | undefined;
  }

  /** An analysis begins: until it ends, each file's version is read once from the FileSource. */
  beginAnalysis(): void {
    this.versions.clear();
    this.inAnalysis = true;
  }

  /** The analysis ended: versions are read from the FileSource at every ask again (a model update, a later analysis). */
  endAnalysis(): void {
    this.versions.clear();
    this.inAnalysis = false;
  }

  private versionOf(filePath: string): string | undefined {
    if (!this.inAnalysis) return this.files.versionOf(filePath);
    if (this.versions.has(filePath)) return this.versions.get(filePath);
    const version = this.files.versionOf(filePath);
    this.versions.set(filePath, version);
    return version;
  }

  private ask(analysis: AnyFact): void {
    if (!this.asked.has(analysis.id)) this.asked.set(analysis.id, analysis);
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
    this.ask(analysis);
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

  /**
   * The facts of these files with these ids, as data another engine's store
   * can take ({@link importFacts}): audit workers share what they computed.
   */
  exportFacts(paths: readonly string[], ids: readonly string[]): SharedFact[] {
    const out: SharedFact[] = [];
    for (const path of paths) {
      const entry = this.entries.get(path);
      if (!entry) continue;
      for (const id of ids) {
        if (entry.facts.has(id)) out.push({ path, hash: entry.hash, id, value: entry.facts.get(id) });
        else {
          const packed = entry.packed?.get(id);
          if (packed) out.push({ path, hash: entry.hash, id, value: deserialize(packed) });
        }
      }
    }
    return out;
  }

  /**
   * Facts another store computed. Each is keyed by its content hash, as the
   * store's own: it is used only while the file still has that content here.
   */
  importFacts(facts: readonly SharedFact[]): void {
    for (const f of facts) {
      let entry = this.entries.get(f.path);
      if (entry?.hash !== f.hash) {
        entry = { hash: f.hash, facts: new Map(), packed: new Map() };
        this.entries.set(f.path, entry);
      }
      if (entry.facts.has(f.id) || entry.packed?.has(f.id)) continue;
      // Kept packed, as the store keeps entries out of the live set: decoded when asked.
      if (entry.packed) entry.packed.set(f.id, serialize(f.value));
      else entry.facts.set(f.id, f.value);
    }
  }

  /** Forgets a file's facts (it changed or was deleted). */
  invalidate(filePath: string): void {
    this.versions.delete(filePath);
    const kept = this.parsed.get(filePath);
    if (kept) this.release(kept.file);
    this.parsed.delete(filePath);
    this.forget(filePath);
    this.hashes.delete(filePath);
  }

  clear(): void {
    this.versions.clear();
    for (const kept of this.parsed.values()) this.release(kept.file);
    this.parsed.clear();
    this.entries.clear();
    this.recent.clear();
    this.hashes.clear();
  }
}
