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

/**
 * One fact of one file content, as stores share it (audit workers): its value
 * serialised (V8's structured clone), as a store keeps facts out of its live
 * set, so that neither side decodes a fact no one reads. `version` is the
 * FileSource version the exporting store read the content at: a store that
 * sees the same version takes the hash without reading and hashing the file.
 */
export interface SharedFact {
  path: string;
  hash: string;
  version?: string;
  id: string;
  bytes: Uint8Array;
}

/**
 * Characters of the awaited files' trees kept until their own analysis takes
 * them ({@link FactStore.awaitAnalysis}): a package's worth in most code. A
 * tree costs about 28 bytes of WebAssembly memory per character, memory the
 * runtime never gives back, so a larger package has its first files' trees
 * kept (the next to be analysed) and the rest parsed again.
 */
const AWAITED_KEPT_CHARS = 1_000_000;

/** A fact analysis of any unit kind: the store keeps the ones asked so far to build them together. */
type AnyFact = Analysis<unknown, FactOn>;

interface Entry {
  hash: string;
  /** Live facts by analysis id. */
  facts: Map<string, unknown>;
  /** Serialised facts by id (the entry left the live set, or they were imported): each decoded when first asked. */
  packed?: Map<string, Uint8Array>;
}

function hasFact(entry: Entry, id: string): boolean {
  return entry.facts.has(id) || entry.packed?.has(id) === true;
}

/** A fact of an entry, decoded on first read if it was packed (an entry is decoded fact by fact: the model reads two kinds of every file). */
function getFact(entry: Entry, id: string): unknown {
  if (entry.facts.has(id)) return entry.facts.get(id);
  const bytes = entry.packed?.get(id);
  if (!bytes) return undefined;
  const value: unknown = deserialize(bytes);
  entry.facts.set(id, value);
  entry.packed?.delete(id);
  return value;
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
  /** Files an audit will analyse and has not yet: their trees, once parsed here, are kept for that analysis. */
  private readonly awaited = new Set<string>();
  /** Trees of awaited files parsed for their facts, by path, until taken ({@link takeParsed}) or the audit ends. */
  private readonly awaitedTrees = new Map<string, ParsedFile>();
  private awaitedChars = 0;
  /** Files whose facts were computed here since the last {@link exportFresh}. */
  private readonly fresh = new Set<string>();

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
    if (hasFact(entry, analysis.id)) return getFact(entry, analysis.id) as T;
    this.ask(analysis);
    const parsed = this.parsedFile(filePath, known.hash, text);
    if (!parsed) return undefined;
    this.fresh.add(filePath);
    const adapter = this.languages.byKind(parsed.kind);
    const build = (fact: AnyFact): void => {
      const unit = adapter?.unit(fact.on, parsed);
      // No such unit in this file (a Go fact of a manifest): undefined, stored so the file is not parsed again for it.
      entry.facts.set(fact.id, unit ? resultOf(fact, unit) : undefined);
    };
    build(analysis);
    // Every other fact asked so far, from the same parse. One that throws is left to throw when it is asked.
    for (const fact of this.asked.values()) {
      if (hasFact(entry, fact.id)) continue;
      try {
        build(fact);
      } catch {
        entry.facts.delete(fact.id);
      }
    }
    return entry.facts.get(analysis.id) as T | undefined;
  }

  /**
   * An audit will analyse these files (in this order, a package's files
   * together): a tree parsed here for an awaited file's facts is kept, within
   * {@link AWAITED_KEPT_CHARS}, until its analysis takes it with
   * {@link takeParsed}, so the file is parsed once in the audit, not once for
   * its siblings' questions and once for itself. {@link endAudit} frees what
   * is left.
   */
  awaitAnalysis(paths: Iterable<string>): void {
    for (const p of paths) this.awaited.add(p);
  }

  /**
   * The tree of an awaited file parsed here from the same text, or undefined
   * (not awaited, not parsed yet, or not kept): the caller owns it and
   * disposes it. The file is no longer awaited.
   */
  takeParsed(filePath: string, text: string): ParsedFile | undefined {
    this.awaited.delete(filePath);
    const kept = this.awaitedTrees.get(filePath);
    if (!kept) return undefined;
    this.awaitedTrees.delete(filePath);
    this.awaitedChars -= kept.source.text.length;
    if (kept.source.text === text) return kept;
    this.release(kept);
    return undefined;
  }

  /** The audit ended: awaited trees not taken are freed. */
  endAudit(): void {
    this.awaited.clear();
    for (const file of this.awaitedTrees.values()) this.release(file);
    this.awaitedTrees.clear();
    this.awaitedChars = 0;
  }

  /**
   * Records every fact kind asked so far of a file whose analysis just ran
   * on its live tree (an audit's file): a sibling analysed later, or the
   * service model, finds them here instead of parsing the file again for a
   * kind first asked after this file's own rules ran. A kind that throws is
   * left to throw when it is asked.
   */
  recordAsked(file: ParsedFile, unitOf: (on: FactOn) => AnalysisUnits[FactOn] | undefined): void {
    const entry = this.entryFor(file.path, resultOf(CONTENT_HASH, file.source));
    this.fresh.add(file.path);
    for (const fact of this.asked.values()) {
      if (hasFact(entry, fact.id)) continue;
      const unit = unitOf(fact.on);
      try {
        entry.facts.set(fact.id, unit ? resultOf(fact, unit) : undefined);
      } catch {
        entry.facts.delete(fact.id);
      }
    }
  }

  /** Ids of the fact kinds asked so far (what audit workers tell each other). */
  askedIds(): string[] {
    return [...this.asked.keys()];
  }

  /** Fact kinds to build from every parse from now on, as if already asked (what the service model will read of every file). */
  expectKinds(analyses: readonly AnyFact[]): void {
    for (const a of analyses) this.ask(a);
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
    // The oldest live entries beyond the bound are packed.
    for (const [p, e] of this.recent) {
      if (this.recent.size <= LIVE_KEPT) break;
      const packed = e.packed ?? new Map<string, Uint8Array>();
      for (const [id, v] of e.facts) packed.set(id, serialize(v));
      e.packed = packed;
      e.facts = new Map();
      this.recent.delete(p);
    }
    return entry;
  }

  /** A fact of a parsed file (the one under analysis; its text may be unsaved), shared under its content hash. */
  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T {
    const entry = this.entryFor(file.path, resultOf(CONTENT_HASH, file.source));
    if (hasFact(entry, analysis.id)) return getFact(entry, analysis.id) as T;
    this.ask(analysis);
    const value = resultOf(analysis, file);
    entry.facts.set(analysis.id, value);
    this.fresh.add(file.path);
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
    const awaited = this.awaitedTrees.get(filePath);
    if (awaited && resultOf(CONTENT_HASH, awaited.source) === hash) return awaited;
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
    const source = new SourceText(text);
    // Its hash is known: whoever asks the parsed file's (the audit that takes the tree) need not hash it again.
    source.analyses.set(CONTENT_HASH.id, hash);
    const file = adapter.parse(filePath, source, this.files);
    if (!file) return undefined;
    if (this.awaited.has(filePath) && !this.awaitedTrees.has(filePath) && this.awaitedChars + text.length <= AWAITED_KEPT_CHARS) {
      this.awaitedTrees.set(filePath, file);
      this.awaitedChars += text.length;
      return file;
    }
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
   * The facts of these files (with these ids; default every fact kept), as
   * data another engine's store can take ({@link importFacts}): audit workers
   * share what they computed. Packed facts travel as they are kept.
   */
  exportFacts(paths: Iterable<string>, ids?: readonly string[]): SharedFact[] {
    const out: SharedFact[] = [];
    for (const path of paths) {
      const entry = this.entries.get(path);
      if (!entry) continue;
      const known = this.hashes.get(path);
      const version = known?.hash === entry.hash ? known.version : undefined;
      for (const id of ids ?? [...entry.facts.keys(), ...(entry.packed?.keys() ?? [])]) {
        const bytes = entry.facts.has(id) ? serialize(entry.facts.get(id)) : entry.packed?.get(id);
        if (bytes) out.push({ path, hash: entry.hash, version, id, bytes });
      }
    }
    return out;
  }

  /**
   * Every fact of the files whose facts this store computed (from a tree,
   * never imported) since the last call: what an audit worker sends back
   * after a batch, for the workers that read those files.
   */
  exportFresh(): SharedFact[] {
    const paths = [...this.fresh];
    this.fresh.clear();
    return this.exportFacts(paths);
  }

  /**
   * Facts another store computed. Each is keyed by its content hash, as the
   * store's own: it is used only while the file still has that content here
   * (a shared version, when the FileSource still gives it, stands for the
   * content without reading the file).
   */
  importFacts(facts: readonly SharedFact[]): void {
    for (const f of facts) {
      let entry = this.entries.get(f.path);
      if (entry?.hash !== f.hash) {
        entry = { hash: f.hash, facts: new Map(), packed: new Map() };
        this.entries.set(f.path, entry);
      }
      if (f.version !== undefined && !this.hashes.has(f.path)) this.hashes.set(f.path, { version: f.version, hash: f.hash });
      if (hasFact(entry, f.id)) continue;
      // Kept packed, as the store keeps entries out of the live set: decoded when asked.
      entry.packed ??= new Map();
      entry.packed.set(f.id, f.bytes);
    }
  }

  /** Forgets a file's facts (it changed or was deleted). */
  invalidate(filePath: string): void {
    this.versions.delete(filePath);
    const awaited = this.awaitedTrees.get(filePath);
    if (awaited) {
      this.release(awaited);
      this.awaitedTrees.delete(filePath);
      this.awaitedChars -= awaited.source.text.length;
    }
    const kept = this.parsed.get(filePath);
    if (kept) this.release(kept.file);
    this.parsed.delete(filePath);
    this.forget(filePath);
    this.hashes.delete(filePath);
    this.fresh.delete(filePath);
  }

  clear(): void {
    this.endAudit();
    this.versions.clear();
    for (const kept of this.parsed.values()) this.release(kept.file);
    this.parsed.clear();
    this.entries.clear();
    this.recent.clear();
    this.hashes.clear();
    this.fresh.clear();
  }
}
