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

const FORMAT = 1;

interface CacheEntry {
  hash: string;
  config: string;
  /** Path -> state (content hash, listing hash for a folder, null when absent) of each dependency. */
  deps: Record<string, string | null>;
  kind: string | undefined;
  findings: Finding[];
  notices: Notice[];
  rulesRun: string[];
}

interface CacheFile {
  format: number;
  identity: string;
  entries: Record<string, CacheEntry>;
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
  private readonly next: Record<string, CacheEntry> = {};
  /** Dependency states read during this run (a package's files are shared by all its members). */
  private readonly states = new Map<string, string | null>();
  private readonly configKeys = new WeakMap<FileConfig['rules'], string>();

  private constructor(
    readonly file: string,
    private readonly identity: string,
    private readonly entries: Record<string, CacheEntry>,
    /** The file on disk was this cache's own (not missing, foreign or corrupt). */
    private readonly loaded = false,
  ) {}

  /** Loads the cache file; a missing one is an empty cache, a foreign or broken one is ignored with a notice. */
  static load(file: string, identity: string): { cache: AuditCache; notice?: string } {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      return { cache: new AuditCache(file, identity, {}) };
    }
    try {
      const parsed = JSON.parse(raw) as Partial<CacheFile> | null;
      if (parsed?.format !== FORMAT || parsed.identity !== identity || typeof parsed.entries !== 'object') {
        return { cache: new AuditCache(file, identity, {}), notice: `cache ${file} was written by another Shipshape version or rule set: ignored, every file is analysed` };
      }
      return { cache: new AuditCache(file, identity, parsed.entries, true) };
    } catch {
      return { cache: new AuditCache(file, identity, {}), notice: `cache ${file} is corrupt: ignored, every file is analysed` };
    }
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

  /** The cached analysis of a file (by its content hash), when it, its configuration and everything its analysis read are unchanged. */
  lookup(filePath: string, hash: string, config: FileConfig): AuditedFile | undefined {
    const entry = this.entries[filePath] as CacheEntry | undefined;
    if (!entry || entry.hash !== hash || entry.config !== this.configKey(config)) return undefined;
    for (const [dep, state] of Object.entries(entry.deps)) if (this.stateOf(dep) !== state) return undefined;
    this.next[filePath] = entry;
    this.stats.reused++;
    return {
      path: filePath,
      kind: entry.kind as AuditedFile['kind'],
      hash,
      findings: entry.findings,
      notices: entry.notices,
      dependencies: Object.keys(entry.deps),
      rulesRun: entry.rulesRun,
    };
  }

  /** Keeps a fresh analysis (fixes already resolved to data). Analyses that hit an internal error are not kept: they run again. */
  store(analysis: AuditedFile, config: FileConfig): void {
    this.stats.analysed++;
    if (analysis.notices.some((n) => n.reason === 'internal-error')) return;
    const deps: Record<string, string | null> = {};
    for (const dep of analysis.dependencies) deps[dep] = this.stateOf(dep);
    this.next[analysis.path] = {
      hash: analysis.hash,
      config: this.configKey(config),
      deps,
      kind: analysis.kind,
      findings: analysis.findings.map((f) => ({ ...f, fixes: Array.isArray(f.fixes) ? f.fixes : [] })),
      notices: analysis.notices,
      rulesRun: analysis.rulesRun,
    };
  }

  /**
   * Writes the entries of this run (files no longer audited drop out),
   * atomically; nothing when the file on disk already says it all (every
   * entry reused, none dropped: a warm run of an unchanged tree).
   */
  save(): void {
    if (this.loaded && this.stats.analysed === 0 && Object.keys(this.next).length === Object.keys(this.entries).length) return;
    const data: CacheFile = { format: FORMAT, identity: this.identity, entries: this.next };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.file);
  }

  /** Content hash of a file, hash of a folder's sorted listing, or null when the path does not exist. */
  private stateOf(p: string): string | null {
    const known = this.states.get(p);
    if (known !== undefined) return known;
    let state: string | null = null;
    try {
      const st = fs.statSync(p);
      if (st.isDirectory()) state = `d:${contentHash(fs.readdirSync(p).sort().join('\n'))}`;
      else if (st.isFile()) state = contentHash(fs.readFileSync(p, 'utf8'));
    } catch {
      state = null;
    }
    this.states.set(p, state);
    return state;
  }
}
