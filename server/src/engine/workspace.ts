import * as path from 'node:path';
import type { GoMod } from '../languages/gomod/parser';
import { goModAdapter } from '../languages/gomod/adapter';
import type { GoFile } from '../languages/go/parser';
import { kustomizeRole } from '../languages/build/kustomize';
import type { Analysis, AnalysisUnits, FactOn } from '../core/analysis';
import { makeGoPackage, type GoPackage } from '../languages/go/package';
import type { FileSource, WorkspaceView } from '../workspace/view';
import { Confinement, type ConfinementCache } from './confine';
import { modelReader, type ServiceModelReader } from '../workspace/service-model/reader';
import type { ModelSnapshot } from './service-models';
import { FolderIndexes, findUpWithin, isWithin } from './folder-indexes';

export { isWithin } from './folder-indexes';
import type { FolderIndex } from '../workspace/folder-index';

export type { FileSource, WorkspaceView } from '../workspace/view';

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
  private readonly moduleCache: Confinement | undefined;
  readonly goModuleCache: string | undefined;
  /** Package views of this analysis, by file (one view per file and analysis run). */
  private readonly packages = new Map<GoFile, GoPackage>();
  /** go.mod files looked up in this analysis, by folder (several Go rules ask, once per declaration they check). */
  private readonly goMods = new Map<string, { mod: (GoMod & { path: string }) | undefined }>();
  /** Kustomize roles looked up in this analysis (every k8s rule asks). */
  private readonly kustomizeRoles = new Map<string, 'resource' | 'patch' | undefined>();
  /** Folder indexes asked in this analysis, by folder and id (several rules ask; the engine checks the inputs once). */
  private readonly folderValues = new Map<string, unknown>();
  /** The service model reader of this analysis (asked for at most once from the engine). */
  private model: { reader: ServiceModelReader | undefined } | undefined;

  constructor(
    readonly roots: readonly string[],
    private readonly source: FileSource,
    private readonly facts: FactSource,
    /** The engine's service models; without it (unit tests) there is no model. */
    private readonly models?: { modelFor(roots: readonly string[]): ModelSnapshot | undefined },
    goModuleCache?: string,
    /** Confinement answers kept across analyses (a stable file source). */
    confinementCache?: ConfinementCache,
    /** The engine's folder indexes; without them (unit tests) each view builds its own. */
    private readonly folderIndexes: FolderIndexes = new FolderIndexes(source, facts),
  ) {
    this.goModuleCache = goModuleCache;
    this.confinement = new Confinement(roots, confinementCache);
    this.moduleCache = goModuleCache === undefined ? undefined : new Confinement([goModuleCache]);
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
    // Reads only: the module cache is never a build context or a path a fix may write.
    if (!explicit && this.moduleCache?.contains(filePath)) return true;
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
    return findUpWithin(this.roots, fromDir, name, (p) => this.readText(p));
  }

  goModFor(filePath: string): (GoMod & { path: string }) | undefined {
    const dir = path.dirname(filePath);
    let hit = this.goMods.get(dir);
    if (!hit) {
      // Read once per analysis: the reads are recorded as dependencies the first time.
      const modPath = this.findUp(dir, 'go.mod');
      const text = modPath === undefined ? undefined : this.readText(modPath);
      hit = { mod: modPath === undefined || text === undefined ? undefined : { ...goModAdapter.parse(modPath, text), path: modPath } };
      this.goMods.set(dir, hit);
    }
    return hit.mod;
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

  folderIndex<T>(dirPath: string, index: FolderIndex<T>): T {
    const key = `${dirPath}\u0000${index.id}`;
    if (this.folderValues.has(key)) return this.folderValues.get(key) as T;
    const answer = this.folderIndexes.get(this.roots, dirPath, index, (p) => this.allowed(p));
    for (const p of answer.inputs) this.dependencies.add(p);
    // A refusal is noted by each file that rests on the index, as if it had read the path itself.
    for (const p of answer.refused) this.allowed(p);
    this.folderValues.set(key, answer.value);
    return answer.value;
  }

  serviceModel(): ServiceModelReader | undefined {
    if (!this.model) {
      const snapshot = this.models?.modelFor(this.roots);
      if (snapshot) for (const f of snapshot.inputs) this.dependencies.add(f);
      this.model = { reader: snapshot ? modelReader(snapshot.model, (p) => this.dependencies.add(p)) : undefined };
    }
    return this.model.reader;
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
