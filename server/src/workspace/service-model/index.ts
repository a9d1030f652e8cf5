import { factsOfFile, isModelFile, isWalked, modelFiles, type FileFacts, type ModelSource } from './collect';
import { linkModel } from './link';
import type { ServiceModel } from './types';

export type { ModelSource, FileFacts } from './collect';
export { isModelFile } from './collect';
export type * from './types';
export { GO_SERVICE_FACTS, type GoServiceFacts, type GoRoute, type GoListen } from './go-facts';
export { DOCKER_FACTS, type DockerFacts } from './docker-facts';
export { MANIFEST_FACTS, type ManifestFacts } from './manifest-facts';
export { imageRepository, routeLabel, servedBy } from './link';
export { serviceOf, nodeFile, linksOf, unlinkedOf, containerAt, type ServiceView } from './query';
export { modelReader, type ServiceModelReader } from './reader';

/** Builds the service model of `dirs` (default: the source's roots) in one go. */
export function buildServiceModel(source: ModelSource, dirs: readonly string[] = source.roots): ServiceModel {
  return new ServiceModelStore(source, dirs).build();
}

/**
 * The service model kept up to date: per-file facts (plain data, computed by
 * the engine's fact store once per file content) and the links built from
 * them. `update(paths)` re-reads only those files' facts and re-links only
 * when one of them changed: editing a function body of main.go that moves
 * no route, listen address or shutdown call keeps the same model.
 */
export class ServiceModelStore {
  private readonly facts = new Map<string, { facts: FileFacts; key: string }>();
  private model: ServiceModel | undefined;

  constructor(
    private readonly source: ModelSource,
    private readonly dirs: readonly string[] = source.roots,
  ) {}

  /** Walks the folders, reads every model file's facts and links them. */
  build(): ServiceModel {
    this.facts.clear();
    for (const file of modelFiles(this.source, this.dirs)) this.read(file);
    return this.relink();
  }

  /** The current model (built on first use). */
  current(): ServiceModel {
    return this.model ?? this.build();
  }

  /**
   * The files every link may rest on, whatever node is asked about: Dockerfiles,
   * go.mod files and build files (skaffold, compose, kustomizations, scripts).
   * Few in any workspace, unlike Go files and manifests.
   */
  inputs(): string[] {
    return [...this.facts].filter(([, e]) => e.facts.type !== 'go' && e.facts.type !== 'manifest').map(([p]) => p).sort();
  }

  /**
   * Files changed, were created or deleted: re-reads their facts and
   * re-links when a fact differs. Returns the same model object when nothing
   * the model reads changed.
   */
  update(paths: readonly string[]): ServiceModel {
    if (!this.model) return this.build();
    let changed = false;
    for (const p of paths) {
      if (!isModelFile(p) || !isWalked(this.dirs, p)) continue;
      const before = this.facts.get(p)?.key;
      this.read(p);
      if (this.facts.get(p)?.key !== before) changed = true;
    }
    return changed ? this.relink() : this.model;
  }

  private read(file: string): void {
    const f = factsOfFile(this.source, file);
    if (f) this.facts.set(file, { facts: f, key: JSON.stringify(f) });
    else this.facts.delete(file);
  }

  private relink(): ServiceModel {
    const files = new Map([...this.facts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, e]) => [p, e.facts] as const));
    this.model = linkModel(this.dirs, files);
    return this.model;
  }
}
