import * as path from 'node:path';
import { parseGoMod, type GoMod } from '../parsers/gomod';
import type { GoFile } from '../parsers/go';
import { kustomizeRole } from '../parsers/kustomize';
import type { Analysis, AnalysisUnits, FactOn } from './analysis';
import { makeGoPackage, type GoPackage } from './go-package';
import { Confinement } from './confine';

/** Where file contents come from: open editor buffers first, then disk. Hosts implement it. */
export interface FileSource {
  /** Text of a file, or undefined if it does not exist or cannot be read as text. */
  readText(filePath: string): string | undefined;
  /** Names of a directory's entries, or undefined when it is not a directory. */
  listDir(dirPath: string): string[] | undefined;
  /** A token that changes whenever the file changes (editor version, mtime+size). */
  versionOf(filePath: string): string | undefined;
}

/**
 * The read-only view of the workspace a rule gets as `ctx.workspace`. Every
 * path it touches is recorded, so the engine knows what to re-run when one
 * of them changes.
 */
export interface WorkspaceView {
  /** Workspace folders / audit roots: lookups never climb above them. */
  readonly roots: readonly string[];
  /**
   * True when `filePath` lies inside the roots, symlinks resolved. A path
   * outside (asked here or read) is recorded as refused; reads of it answer "absent" (the engine turns
   * them into a notice): build contexts, Dockerfile paths and image-derived
   * paths that resolve outside are ignored.
   */
  contains(filePath: string): boolean;
  readText(filePath: string): string | undefined;
  exists(filePath: string): boolean;
  listDir(dirPath: string): string[] | undefined;
  /** Nearest file called `name` in `fromDir` or above it, within the root holding `fromDir`. */
  findUp(fromDir: string, name: string): string | undefined;
  /** The nearest `go.mod` above a path, parsed. */
  goModFor(filePath: string): (GoMod & { path: string }) | undefined;
  /** The package view of a Go file (see `engine/go-package.ts` for which files belong to it). */
  goPackage(file: GoFile): GoPackage;
  /**
   * A fact (a `fact: true` analysis) of a Go or manifest file, kept by the engine per
   * (file, content). The file is parsed when needed and its tree freed soon after.
   */
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
  /** A fact of the file under analysis, from its own parse (its text may be unsaved). */
  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T;
  /** The kustomize role of a manifest (listed as a resource or a patch by a kustomization beside it or one folder up). */
  kustomizeRole(filePath: string): 'resource' | 'patch' | undefined;
}

/** Where a workspace view gets facts: the engine's fact store. */
export interface FactSource {
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T;
}

/** Builds a {@link WorkspaceView} over a {@link FileSource} that records the paths a rule reads. */
export class RecordingWorkspace implements WorkspaceView {
  readonly dependencies = new Set<string>();
  /** Paths a rule asked for whose real path lies outside the roots: never read. */
  readonly refused = new Set<string>();
  private readonly confinement: Confinement;
  /** Package views of this analysis, by file (one view per file and analysis run). */
  private readonly packages = new Map<GoFile, GoPackage>();
  /** Kustomize roles looked up in this analysis (every k8s rule asks). */
  private readonly kustomizeRoles = new Map<string, 'resource' | 'patch' | undefined>();

  constructor(
    readonly roots: readonly string[],
    private readonly source: FileSource,
    private readonly facts: FactSource,
  ) {
    this.confinement = new Confinement(roots);
  }

  contains(filePath: string): boolean {
    return this.allowed(filePath, true);
  }

  /**
   * Reads outside the roots are refused. The refusal is noted when the path was
   * asked for explicitly ({@link contains}: a build context) or lies under a
   * root but leads out through a symlink; a probe above the root (a kustomization
   * one folder up) is refused quietly.
   */
  private allowed(filePath: string, explicit = false): boolean {
    if (this.confinement.contains(filePath)) return true;
    if (explicit || this.roots.some((r) => isWithin(filePath, r))) this.refused.add(filePath);
    return false;
  }

  readText(filePath: string): string | undefined {
    this.dependencies.add(filePath);
    return this.allowed(filePath) ? this.source.readText(filePath) : undefined;
  }

  exists(filePath: string): boolean {
    this.dependencies.add(filePath);
    if (!this.allowed(filePath)) return false;
    return this.source.versionOf(filePath) !== undefined || this.source.listDir(filePath) !== undefined;
  }

  listDir(dirPath: string): string[] | undefined {
    this.dependencies.add(dirPath);
    return this.allowed(dirPath) ? this.source.listDir(dirPath) : undefined;
  }

  findUp(fromDir: string, name: string): string | undefined {
    const root = this.roots.filter((r) => isWithin(fromDir, r)).sort((a, b) => b.length - a.length)[0];
    let dir = fromDir;
    for (;;) {
      const candidate = path.join(dir, name);
      if (this.readText(candidate) !== undefined) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir || (root !== undefined && !isWithin(parent, root))) return undefined;
      dir = parent;
    }
  }

  goModFor(filePath: string): (GoMod & { path: string }) | undefined {
    const modPath = this.findUp(path.dirname(filePath), 'go.mod');
    if (!modPath) return undefined;
    const text = this.readText(modPath);
    return text === undefined ? undefined : { ...parseGoMod(text), path: modPath };
  }

  goPackage(file: GoFile): GoPackage {
    let pkg = this.packages.get(file);
    if (!pkg) {
      pkg = makeGoPackage(file, {
        listDir: (dir) => this.listDir(dir),
        factOf: (p, a) => this.factOf(p, a),
        factOfParsed: (f, a) => this.facts.factOfParsed(f, a),
      });
      this.packages.set(file, pkg);
    }
    return pkg;
  }

  kustomizeRole(filePath: string): 'resource' | 'patch' | undefined {
    if (!this.kustomizeRoles.has(filePath)) this.kustomizeRoles.set(filePath, kustomizeRole(filePath, (p) => this.readText(p)));
    return this.kustomizeRoles.get(filePath);
  }

  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined {
    this.dependencies.add(filePath);
    // Facts of siblings (the package view, k8s workload facts) are read through the same confinement.
    return this.allowed(filePath) ? this.facts.factOf(filePath, analysis) : undefined;
  }

  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T {
    return this.facts.factOfParsed(file, analysis);
  }
}

export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
