import { DOCKER_FACTS, GO_SERVICE_FACTS, MANIFEST_FACTS, ServiceModelStore, type ModelSource, type ServiceModel } from '../workspace/service-model';
import type { Analysis, FactOn } from '../core/analysis';
import type { FileSource } from '../workspace/view';
import { Confinement } from './confine';

/** The facts a model reads of every Go file, Dockerfile and manifest (an audit records them while it analyses each). */
export const MODEL_FACTS = [GO_SERVICE_FACTS, DOCKER_FACTS, MANIFEST_FACTS] as const;

/** What a rule's workspace view gets: the model and the files any link may rest on. */
export interface ModelSnapshot {
  model: ServiceModel;
  /** Dockerfiles, go.mod files and build files the model read. */
  inputs: readonly string[];
}

/** Where the models read facts: the engine's fact store. */
export interface ModelFacts {
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
}

interface Entry {
  store: ServiceModelStore;
  /** Paths changed since the model was last brought up to date. */
  dirty: Set<string>;
  source: { confinement: Confinement };
}

/**
 * The engine's service models, one per set of roots: built on the first
 * rule that asks (an audit builds it once, from facts the fact store
 * computes once per file content) and brought up to date from the paths the
 * host says changed ({@link changed}: open buffers edited, files changed on
 * disk) before the next read — `ServiceModelStore.update` re-links only
 * when a changed file's facts differ, else the same model object is served.
 * Reads are confined to the roots as every rule's reads are (symlinks that
 * lead out are not followed).
 */
export class ServiceModels {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly files: FileSource,
    private readonly facts: ModelFacts,
  ) {}

  /** The model of `roots`, up to date with every change reported so far; undefined without roots. */
  modelFor(roots: readonly string[]): ModelSnapshot | undefined {
    if (roots.length === 0) return undefined;
    const key = [...roots].sort().join('\u0000');
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.newEntry(roots);
      this.entries.set(key, entry);
      entry.store.build();
    } else if (entry.dirty.size > 0) {
      const paths = [...entry.dirty];
      entry.dirty.clear();
      // Symlinks may have changed with the files: real paths are looked up afresh.
      entry.source.confinement = new Confinement(roots);
      entry.store.update(paths);
    }
    return { model: entry.store.current(), inputs: entry.store.inputs() };
  }

  /** Files changed, were created or deleted (or their open buffer was edited): the next read updates the models. */
  changed(paths: Iterable<string>): void {
    const list = [...paths];
    for (const e of this.entries.values()) for (const p of list) e.dirty.add(p);
  }

  clear(): void {
    this.entries.clear();
  }

  private newEntry(roots: readonly string[]): Entry {
    const holder = { confinement: new Confinement(roots) };
    const inside = (p: string): boolean => holder.confinement.contains(p);
    const source: ModelSource = {
      roots,
      readText: (p) => (inside(p) ? this.files.readText(p) : undefined),
      listDir: (p) => (inside(p) ? this.files.listDir(p) : undefined),
      factOf: (p, a) => (inside(p) ? this.facts.factOf(p, a) : undefined),
    };
    return { store: new ServiceModelStore(source), dirty: new Set(), source: holder };
  }
}
