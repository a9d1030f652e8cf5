import * as path from 'node:path';
import type { Analysis, FactOn } from '../core/analysis';
import type { FileSource } from '../workspace/view';
import type { FolderIndex, FolderReads } from '../workspace/folder-index';

/** Where folder indexes get facts: the engine's fact store. */
export interface FolderFacts {
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
}

/** What a build read, and what the reads saw: the index is reused while every input is as it was. */
interface Inputs {
  /** Versions of the files read (texts and facts). */
  files: Map<string, string | undefined>;
  /** Listings of the folders read, joined. */
  listings: Map<string, string | undefined>;
  /** Paths the asker's confinement refused: each asker records the refusal as if it had read them. */
  refused: Set<string>;
}

interface Entry {
  value: unknown;
  dir: string;
  inputs: Inputs;
}

/** One answer: the index and every path it rests on (the asker's dependencies). */
export interface FolderIndexAnswer<T> {
  value: T;
  inputs: readonly string[];
  refused: ReadonlySet<string>;
}

/**
 * The engine's folder indexes, by (roots, folder, index id). An index is
 * reused while its inputs are unchanged: always while the file source is
 * stable (an audit), else after checking each input's version and listing
 * (an editor buffer or a file on disk may have changed). {@link changed}
 * drops the indexes of a folder whose file the host says changed.
 */
export class FolderIndexes {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly files: FileSource,
    private readonly facts: FolderFacts,
  ) {}

  get<T>(roots: readonly string[], dir: string, index: FolderIndex<T>, allowed: (p: string) => boolean): FolderIndexAnswer<T> {
    const key = `${roots.join('\u0000')}\u0000\u0000${dir}\u0000${index.id}`;
    let entry = this.entries.get(key);
    if (!entry || !this.current(entry.inputs)) {
      entry = this.build(roots, dir, index, allowed);
      this.entries.set(key, entry);
    }
    const { files, listings, refused } = entry.inputs;
    return { value: entry.value as T, inputs: [...listings.keys(), ...files.keys()], refused };
  }

  /** Files changed, were created or deleted: the indexes of their folders (and any that read them) are dropped. */
  changed(paths: Iterable<string>): void {
    for (const p of paths) {
      const dir = path.dirname(p);
      for (const [key, e] of this.entries) {
        if (e.dir === dir || e.inputs.files.has(p) || e.inputs.listings.has(p) || e.inputs.listings.has(dir)) this.entries.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private build<T>(roots: readonly string[], dir: string, index: FolderIndex<T>, allowed: (p: string) => boolean): Entry {
    const inputs: Inputs = { files: new Map(), listings: new Map(), refused: new Set() };
    const texts = new Map<string, string | undefined>();
    const permit = (p: string): boolean => {
      if (allowed(p)) return true;
      inputs.refused.add(p);
      return false;
    };
    const reads: FolderReads = {
      listDir: (d) => {
        const names = permit(d) ? this.files.listDir(d) : undefined;
        inputs.listings.set(d, names?.join('/'));
        return names;
      },
      readText: (p) => {
        // Read once per build: every manifest of a folder probes the same kustomization names.
        if (texts.has(p)) return texts.get(p);
        inputs.files.set(p, this.files.versionOf(p));
        const text = permit(p) ? this.files.readText(p) : undefined;
        texts.set(p, text);
        return text;
      },
      findUp: (fromDir, name) => findUpWithin(roots, fromDir, name, (p) => reads.readText(p)),
      factOf: <F, K extends FactOn>(p: string, analysis: Analysis<F, K>): F | undefined => {
        inputs.files.set(p, this.files.versionOf(p));
        return permit(p) ? this.facts.factOf(p, analysis) : undefined;
      },
    };
    return { value: index.build(dir, reads), dir, inputs };
  }

  /** True when no input changed since the build (not checked while the file source is stable). */
  private current(inputs: Inputs): boolean {
    if (this.files.stable === true) return true;
    for (const [p, version] of inputs.files) if (this.files.versionOf(p) !== version) return false;
    for (const [d, names] of inputs.listings) if (this.files.listDir(d)?.join('/') !== names) return false;
    return true;
  }
}

/** Nearest file called `name` in `fromDir` or above it, never above the root holding `fromDir` (the deepest one), read with `readText`. */
export function findUpWithin(roots: readonly string[], fromDir: string, name: string, readText: (p: string) => string | undefined): string | undefined {
  const root = roots.filter((r) => isWithin(fromDir, r)).sort((a, b) => b.length - a.length).at(0);
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, name);
    if (readText(candidate) !== undefined) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || (root !== undefined && !isWithin(parent, root))) return undefined;
    dir = parent;
  }
}

/** True when `child` is `parent` or lies under it (lexically). */
export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
