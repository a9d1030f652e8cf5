import type { Analysis, FactOn } from '../../core/analysis';
import type { FileSource } from '../view';
import type { ModelSource } from './collect';

/** A model source over a host's files and the engine's fact store (CLI, language server, bench). */
export function diskModelSource(
  roots: readonly string[],
  files: Pick<FileSource, 'readText' | 'listDir'>,
  facts: { factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined },
): ModelSource {
  return {
    roots,
    readText: (p) => files.readText(p),
    listDir: (p) => files.listDir(p),
    factOf: (p, a) => facts.factOf(p, a),
  };
}
