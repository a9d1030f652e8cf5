import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentHash } from '../core/content-hash';
import type { Finding, Notice } from '../core/finding';
import type { AuditedFile } from './audit';
import type { FileConfig } from './config/config';

/**
 * The audit cache (`shipshape audit --cache`): per audited file, its findings
 * and notices, kept under the file's content hash, the hash of its effective
 * configuration, and the state of every other file its analysis read (its
 * package's files, go.mod, build files, sibling manifests: the analysis's
 * `dependencies`). An entry is reused only when all of them are unchanged, so
 * a changed file re-runs itself and every file whose analysis read it (its
 * package, the cross-file checks), and nothing else.
 *
 * The whole cache is one JSON file stamped with an identity (Shipshape's
 * version and the rule set); a file with another identity, or one that does
 * not parse, is ignored with a notice and rewritten, never trusted.
 */

/** 2: paths, dependency sets and rule lists stored once (format 1 repeated them per entry: 42 MB for 2,700 files, 72 % of it dependency maps). */
const FORMAT = 2;

/** One file's entry in memory: its dependencies as paths (their states are the run's, see `save`). */
interface CacheEntry {
  hash: string;
  config: string;
  /** Every path its analysis read (its own path among them, so that a folder's files share one set). */
  deps: readonly string[];
  kind: string | undefined;
  /** Findings of this file; `file` is left out on disk when it is the entry's own path. */
  findings: Finding[];
  notices: Notice[];
  rulesRun: readonly string[];
}

/** One file's entry on disk: `deps` and `rulesRun` point into the file's tables. */
interface StoredEntry extends Omit<CacheEntry, 'deps' | 'rulesRun' | 'findings'> {
  deps: number;
  rulesRun: number;
  findings: (Omit<Finding, 'file'> & { file?: string })[];
}

interface CacheFile {
  format: number;
  identity: string;
  /** Every path any entry depends on, once. */
  paths: string[];
  /**
   * The state of each path when the file was written. One state per path
   * serves every entry: a run checks reused entries and records fresh ones
   * against the same states (read once per run), so they all agree.
   */
  states: (string | null)[];
  /** Distinct dependency sets, as sorted indexes into `paths`. */
  depSets: number[][];
  /** Distinct lists of the rules run on a file. */
  ruleSets: string[][];
  entries: Record<string, StoredEntry>;
}

/** Where the cache goes by default: the user's cache folder (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = process.env.HOME ?? ''): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'shipshape', 'cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'shipshape');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'shipshape');
}

/** What a cache is stamped with: Shipshape's version and the rule set (ids and metadata). */
export function cacheIdentity(version: string, rules: readonly { id: string; meta: unknown }[]): string {
  return `${version}:${contentHash(rules.map((r) => `${r.id}:${JSON.stringify(r.meta)}`).join('\n'))}`;
}

/**
 * The cache file of an audit: `location` when it names a file, else one file
 * per set of roots inside the folder (`prefix` tells hosts apart: the CLI's
 * `audit`, the language server's `lsp`, whose configurations differ).
 */
export function cacheFileFor(location: string | undefined, roots: readonly string[], prefix = 'audit'): string {
  const name = `${prefix}-${contentHash([...roots].sort().join('\n'))}.json`;
  if (location === undefined) return path.join(defaultCacheDir(), name);
  const isDir = location.endsWith(path.sep) || location.endsWith('/') || (fs.existsSync(location) && fs.statSync(location).isDirectory());
  return isDir ? path.join(location, name) : location;
}

export interface CacheStats {
  reused: number;
  analysed: number;
}

export class AuditCache {
  readonly stats: CacheStats = { reused: 0, analysed: 0 };
  private readonly next = new Map<string, CacheEntry>();
  /** Dependency states read during this run (a package's files are shared by all its members). */
  private readonly states = new Map<string, string | null>();
  private readonly configKeys = new WeakMap<FileConfig['rules'], string>();
  /** Per dependency set of the file on disk: whether every path in it is in the state it was (checked once per set). */
  private readonly heldSets = new Map<number, boolean>();
  /** Per dependency set of the file on disk: its paths (shared by the entries that use it). */
  private readonly setPaths = new Map<number, readonly string[]>();

  private constructor(
    readonly file: string,
    private readonly identity: string,
    /** The file on disk when it was this cache's own (not missing, foreign or corrupt). */
    private readonly disk: CacheFile | undefined,
  ) {}

  /** Loads the cache file; a missing one is an empty cache, a foreign or broken one is ignored with a notice. */
  static load(file: string, identity: string): { cache: AuditCache; notice?: string } {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      return { cache: new AuditCache(file, identity, undefined) };
    }
    let parsed: Partial<CacheFile> | null;
    try {
      parsed = JSON.parse(raw) as Partial<CacheFile> | null;
    } catch {
      parsed = null;
    }
    if (parsed !== null && typeof parsed === 'object' && (parsed.format !== FORMAT || parsed.identity !== identity)) {
      return { cache: new AuditCache(file, identity, undefined), notice: `cache ${file} was written by another Shipshape version or rule set: ignored, every file is analysed` };
    }
    if (!isWellFormed(parsed)) return { cache: new AuditCache(file, identity, undefined), notice: `cache ${file} is corrupt: ignored, every file is analysed` };
    return { cache: new AuditCache(file, identity, parsed) };
  }

  /** A hash of the effective configuration of a file (severities and options of every rule, inline directives honoured or not). */
  configKey(config: FileConfig): string {
    let key = this.configKeys.get(config.rules);
    if (key === undefined) {
      key = contentHash(JSON.stringify([...config.rules].sort(([a], [b]) => a.localeCompare(b))));
      this.configKeys.set(config.rules, key);
    }
    return `${key}:${config.inlineConfig ? 1 : 0}`;
  }

  /** The content hash of a file the caller has just read: a dependency set that names it does not read it again. */
  knownState(filePath: string, hash: string): void {
    if (!this.states.has(filePath)) this.states.set(filePath, hash);
  }

  /** The cached analysis of a file (by its content hash), when it, its configuration and everything its analysis read are unchanged. */
  lookup(filePath: string, hash: string, config: FileConfig): AuditedFile | undefined {
    this.knownState(filePath, hash);
    const disk = this.disk;
    const stored = disk && Object.hasOwn(disk.entries, filePath) ? disk.entries[filePath] : undefined;
    if (!disk || !stored || stored.hash !== hash || stored.config !== this.configKey(config) || !this.setHolds(disk, stored.deps)) return undefined;
    const entry: CacheEntry = {
      ...stored,
      deps: this.pathsOf(disk, stored.deps),
      rulesRun: disk.ruleSets[stored.rulesRun],
      findings: stored.findings.map((f) => ({ ...f, file: f.file ?? filePath })),
    };
    this.next.set(filePath, entry);
    this.stats.reused++;
    return {
      path: filePath,
      kind: entry.kind as AuditedFile['kind'],
      hash,
      findings: entry.findings,
      notices: entry.notices,
      dependencies: entry.deps.filter((d) => d !== filePath),
      rulesRun: [...entry.rulesRun],
    };
  }

  /** Keeps a fresh analysis (fixes already resolved to data). Analyses that hit an internal error are not kept: they run again. */
  store(analysis: AuditedFile, config: FileConfig): void {
    this.stats.analysed++;
    if (analysis.notices.some((n) => n.reason === 'internal-error')) return;
    const deps = [...new Set([analysis.path, ...analysis.dependencies])].sort();
    for (const dep of deps) this.stateOf(dep);
    this.next.set(analysis.path, {
      hash: analysis.hash,
      config: this.configKey(config),
      deps,
      kind: analysis.kind,
      findings: analysis.findings.map((f) => ({ ...f, fixes: Array.isArray(f.fixes) ? f.fixes : [] })),
      notices: analysis.notices,
      rulesRun: analysis.rulesRun,
    });
  }

  /**
   * Writes the entries of this run (files no longer audited drop out),
   * atomically; nothing when the file on disk already says it all (every
   * entry reused, none dropped: a warm run of an unchanged tree).
   */
  save(): void {
    if (this.disk && this.stats.analysed === 0 && this.next.size === Object.keys(this.disk.entries).length) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.serialised()));
    fs.renameSync(tmp, this.file);
  }

  /** This run's entries as the file stores them: every path, dependency set and rule list once. */
  private serialised(): CacheFile {
    const data: CacheFile = { format: FORMAT, identity: this.identity, paths: [], states: [], depSets: [], ruleSets: [], entries: {} };
    const pathIndex = new Map<string, number>();
    const setIndex = new Map<string, number>();
    const ruleIndex = new Map<string, number>();
    const indexOf = (p: string): number => {
      let i = pathIndex.get(p);
      if (i === undefined) {
        i = data.paths.push(p) - 1;
        data.states.push(this.stateOf(p));
        pathIndex.set(p, i);
      }
      return i;
    };
    const intern = <T>(index: Map<string, number>, list: T[], value: T, key: string): number => {
      let i = index.get(key);
      if (i === undefined) {
        i = list.push(value) - 1;
        index.set(key, i);
      }
      return i;
    };
    for (const [file, entry] of this.next) {
      const set = entry.deps.map(indexOf);
      data.entries[file] = {
        ...entry,
        deps: intern(setIndex, data.depSets, set, set.join(',')),
        rulesRun: intern(ruleIndex, data.ruleSets, [...entry.rulesRun], entry.rulesRun.join('\n')),
        findings: entry.findings.map((f) => (f.file === file ? { ...f, file: undefined } : f)),
      };
    }
    return data;
  }

  /** Whether every path of a dependency set of the file on disk is in the state it was then. */
  private setHolds(disk: CacheFile, set: number): boolean {
    let holds = this.heldSets.get(set);
    if (holds === undefined) {
      holds = disk.depSets[set].every((p) => this.stateOf(disk.paths[p]) === disk.states[p]);
      this.heldSets.set(set, holds);
    }
    return holds;
  }

  private pathsOf(disk: CacheFile, set: number): readonly string[] {
    let paths = this.setPaths.get(set);
    if (paths === undefined) {
      paths = disk.depSets[set].map((p) => disk.paths[p]);
      this.setPaths.set(set, paths);
    }
    return paths;
  }

  /** Content hash of a file (as read for analysis: a leading BOM left out), hash of a folder's sorted listing, or null when the path does not exist. */
  private stateOf(p: string): string | null {
    const known = this.states.get(p);
    if (known !== undefined) return known;
    let state: string | null = null;
    try {
      const st = fs.statSync(p);
      if (st.isDirectory()) state = `d:${contentHash(fs.readdirSync(p).sort().join('\n'))}`;
      else if (st.isFile()) state = contentHash(fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, ''));
    } catch {
      state = null;
    }
    this.states.set(p, state);
    return state;
  }
}

/**
 * Whether a parsed file of this format holds what lookups index (a truncated
 * or hand-edited file must be ignored as corrupt, not crash a lookup).
 */
function isWellFormed(value: unknown): value is CacheFile {
  if (value === null || typeof value !== 'object') return false;
  const data = value as Partial<CacheFile>;
  if (typeof data.entries !== 'object' || (data.entries as unknown) === null) return false;
  const { paths, states, depSets, ruleSets } = data;
  if (!Array.isArray(paths) || !Array.isArray(states) || !Array.isArray(depSets) || !Array.isArray(ruleSets) || paths.length !== states.length) return false;
  if (!depSets.every((s) => Array.isArray(s) && s.every((i) => Number.isInteger(i) && i >= 0 && i < paths.length))) return false;
  if (!ruleSets.every((r) => Array.isArray(r))) return false;
  return Object.values(data.entries).every((e) =>
    typeof (e as unknown) === 'object' && (e as unknown) !== null && Number.isInteger(e.deps) && e.deps >= 0 && e.deps < depSets.length
    && Number.isInteger(e.rulesRun) && e.rulesRun >= 0 && e.rulesRun < ruleSets.length && Array.isArray(e.findings) && Array.isArray(e.notices));
}
