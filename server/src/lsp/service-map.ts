import type { FactSource, FileSource } from '../engine/workspace';
import { SourceText } from '../engine/source-text';
import type { ServiceMapResult } from '../protocol';
import { ServiceModelStore } from '../workspace/service-model';
import { diskModelSource } from '../workspace/service-model/host';
import { renderMap, treeMap } from '../workspace/service-model/render';
import { pathToUri } from './workspace-state';

/**
 * `shipshape/serviceMap`: the service model of the folders (open buffers
 * first, through the file source's overlays), as the rows of the editor's
 * Service Map view and as Mermaid. Facts come from the engine's fact store,
 * so a map after an edit re-reads only the edited files.
 */
export function serviceMapResult(folders: readonly string[], files: FileSource, facts: Pick<FactSource, 'factOf'>): ServiceMapResult {
  const model = new ServiceModelStore(diskModelSource(folders, files, facts)).build();
  const texts = new Map<string, SourceText | undefined>();
  const lineOf = (file: string, offset: number): number => {
    if (!texts.has(file)) {
      const text = files.readText(file);
      texts.set(file, text === undefined ? undefined : new SourceText(text));
    }
    return texts.get(file)?.lineOf(offset) ?? 0;
  };
  const base = folders.length === 1 ? folders[0] : '/';
  return {
    items: treeMap(model, base, pathToUri, lineOf),
    services: model.services.length,
    links: model.links.length,
    unlinked: model.unlinked.length,
    mermaid: renderMap(model, 'mermaid', base),
  };
}
