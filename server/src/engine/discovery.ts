import * as fs from 'node:fs';
import * as path from 'node:path';
import { fdir } from 'fdir';
import ignore, { type Ignore } from 'ignore';
import { DOCUMENT_LABELS, documentKindOf } from './languages';
import { ALWAYS_SKIPPED_DIRS, type ConfigResolver } from './config/config';
import type { Notice } from '../core/finding';
import { Confinement } from './confine';
import { readSideText } from './safe-read';

/** The files an audit will read, and why the others named on the command line are not among them. */
export interface CollectedFiles {
  files: string[];
  notices: Notice[];
  /** Paths given that do not exist. */
  missing: string[];
}

export interface DiscoveryOptions {
  /** Honour `.gitignore` files and `.git/info/exclude` inside a git work tree (default true; `--no-ignore` turns it off). */
  gitignore?: boolean;
  /**
   * The working directory: a file named on the command line is skipped when a
   * folder of its path as typed (relative to it) is one the walk skips, e.g. `testdata/x.go`.
   */
  cwd?: string;
}

/**
 * Why a folder is not walked, as the go tool decides for `./...`: `testdata`,
 * and names starting with `.` or `_`; plus `vendor` and `node_modules`.
 */
export function skippedDirReason(name: string): string | undefined {
  if (ALWAYS_SKIPPED_DIRS.has(name)) return `inside ${name}/, which is never audited`;
  if (name === 'testdata') return 'inside testdata/, which the go tool skips too';
  if (name.startsWith('.') || name.startsWith('_')) return `inside ${name}/: folders starting with "${name[0]}" are skipped, as the go tool skips them`;
  return undefined;
}

/**
 * Every Go, Dockerfile and YAML file under `paths`, sorted. Walks with `fdir`;
 * skips the folders of {@link skippedDirReason}, excluded globs, what
 * `.gitignore` ignores (`ignore`), and directories reached twice through
 * symlinks. Files named directly go through the same filters, each skip a
 * notice, and so does a named file Shipshape cannot audit.
 */
export function discoverFiles(paths: readonly string[], config: ConfigResolver, options: DiscoveryOptions = {}): CollectedFiles {
  const files: string[] = [];
  const notices: Notice[] = [];
  const missing: string[] = [];
  const gitignore = options.gitignore === false ? undefined : new GitIgnores();
  const isIgnored = (p: string, isDir: boolean): boolean => gitignore?.ignores(p, isDir) ?? false;
  for (const given of paths) {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      missing.push(given);
      continue;
    }
    if (st.isDirectory()) {
      // Symlinks are followed only while their real path stays inside the folder given.
      const confinement = new Confinement([abs]);
      for (const f of walk(abs, config, isIgnored, notices, confinement)) {
        if (confinement.contains(f)) files.push(f);
        else notices.push(outsideNotice(f, confinement));
      }
      continue;
    }
    const why = namedFileSkip(abs, config, isIgnored, options.cwd);
    if (why) notices.push({ file: abs, reason: 'excluded', message: why });
    else if (documentKindOf(abs) === undefined) notices.push({ file: abs, reason: 'unsupported', message: `not ${DOCUMENT_LABELS}` });
    else files.push(abs);
  }
  return { files: dedupe(files), notices, missing };
}

function outsideNotice(p: string, confinement: Confinement): Notice {
  const real = confinement.realPathOf(p);
  return { file: p, reason: 'outside-workspace', message: `not audited: a symlink to ${real === undefined ? 'a path that cannot be resolved' : 'a path outside the audited folder'}` };
}

function walk(root: string, config: ConfigResolver, isIgnored: (p: string, isDir: boolean) => boolean, notices: Notice[], confinement: Confinement): string[] {
  return new fdir()
    .withFullPaths()
    .withSymlinks({ resolvePaths: false })
    .exclude((name, dirPath) => {
      const dir = dirPath.endsWith(path.sep) ? dirPath.slice(0, -1) : dirPath;
      if (skippedDirReason(name) !== undefined || config.isExcluded(dir) || isIgnored(dir, true)) return true;
      if (!confinement.contains(dir)) {
        notices.push(outsideNotice(dir, confinement));
        return true;
      }
      try {
        fs.accessSync(dir, fs.constants.R_OK | fs.constants.X_OK);
      } catch (e) {
        notices.push({ file: dir, reason: 'unreadable', message: `cannot list directory: ${String((e as NodeJS.ErrnoException).code ?? e)}` });
        return true;
      }
      return false;
    })
    .filter((file, isDir) => !isDir && documentKindOf(file) !== undefined && !config.isExcluded(file) && !isIgnored(file, false))
    .crawl(root)
    .sync();
}

function namedFileSkip(file: string, config: ConfigResolver, isIgnored: (p: string, isDir: boolean) => boolean, cwd: string | undefined): string | undefined {
  if (config.isExcluded(file)) return 'matches an exclude glob of the configuration';
  if (isIgnored(file, false)) return 'ignored by .gitignore (--no-ignore audits it)';
  if (cwd === undefined) return undefined;
  const rel = path.relative(cwd, path.dirname(file));
  if (rel === '' || path.isAbsolute(rel)) return undefined;
  for (const part of rel.split(path.sep)) {
    const why = part === '..' ? undefined : skippedDirReason(part);
    if (why) return why;
  }
  return undefined;
}

/**
 * One path per file: a folder reached twice (a symlink loop, a link to a
 * sibling) keeps its shortest path, then the first in sort order. Symlinked
 * files themselves stay: each is a name the user sees.
 */
function dedupe(files: readonly string[]): string[] {
  const byReal = new Map<string, string>();
  const depth = (p: string): number => p.split(path.sep).length;
  for (const f of files) {
    let realDir: string;
    try {
      realDir = fs.realpathSync(path.dirname(f));
    } catch {
      continue; // vanished while walking
    }
    const key = path.join(realDir, path.basename(f));
    const kept = byReal.get(key);
    if (kept === undefined || depth(f) < depth(kept) || (depth(f) === depth(kept) && f < kept)) byReal.set(key, f);
  }
  return [...new Set(byReal.values())].sort();
}

interface IgnoreLevel {
  base: string;
  rules: Ignore;
}

/**
 * `.gitignore` files from the work tree's top down to a path, and
 * `.git/info/exclude`, read once per folder. A deeper file's pattern wins
 * over a shallower one (`!keep.go` re-includes), as in git.
 */
class GitIgnores {
  private readonly levels = new Map<string, IgnoreLevel[]>();
  private readonly tops = new Map<string, string | undefined>();

  ignores(p: string, isDir: boolean): boolean {
    let ignored = false;
    for (const level of this.levelsFor(path.dirname(p))) {
      const rel = path.relative(level.base, p).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('..')) continue;
      const t = level.rules.test(isDir ? `${rel}/` : rel);
      if (t.ignored) ignored = true;
      else if (t.unignored) ignored = false;
    }
    return ignored;
  }

  private levelsFor(dir: string): IgnoreLevel[] {
    const cached = this.levels.get(dir);
    if (cached) return cached;
    const top = this.workTreeTop(dir);
    let out: IgnoreLevel[] = [];
    if (top !== undefined) {
      const parent = path.dirname(dir);
      out = dir === top ? this.topLevels(top) : [...this.levelsFor(parent)];
      const own = dir === top ? undefined : readRules(path.join(dir, '.gitignore'));
      if (own) out.push({ base: dir, rules: own });
    }
    this.levels.set(dir, out);
    return out;
  }

  private topLevels(top: string): IgnoreLevel[] {
    const out: IgnoreLevel[] = [];
    const exclude = readRules(path.join(top, '.git', 'info', 'exclude'));
    if (exclude) out.push({ base: top, rules: exclude });
    const own = readRules(path.join(top, '.gitignore'));
    if (own) out.push({ base: top, rules: own });
    return out;
  }

  /** The folder holding `.git` at or above `dir`; undefined outside a work tree. */
  private workTreeTop(dir: string): string | undefined {
    if (this.tops.has(dir)) return this.tops.get(dir);
    const parent = path.dirname(dir);
    const top = fs.existsSync(path.join(dir, '.git')) ? dir : parent === dir ? undefined : this.workTreeTop(parent);
    this.tops.set(dir, top);
    return top;
  }
}

function readRules(file: string): Ignore | undefined {
  // A regular file under the side-file cap: a FIFO or device named .gitignore never blocks the walk.
  const text = readSideText(file);
  return text === undefined ? undefined : ignore().add(text);
}
