import type { FileSource } from '../../engine/workspace';
import type { FactSource } from '../../engine/workspace';
import type { ModelSource } from './collect';

/** A model source over a host's files and the engine's fact store (CLI, language server, bench). */
export function diskModelSource(roots: readonly string[], files: Pick<FileSource, 'readText' | 'listDir'>, facts: Pick<FactSource, 'factOf'>): ModelSource {
  return {
    roots,
    readText: (p) => files.readText(p),
    listDir: (p) => files.listDir(p),
    factOf: (p, a) => facts.factOf(p, a),
  };
}
