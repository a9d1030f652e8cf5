import type { Analysis, FactOn } from '../core/analysis';

/**
 * What a folder index's build may read. Every read is an input: the engine
 * builds the index again when one of them changed, and every file that reads
 * the index depends on all of them.
 */
export interface FolderReads {
  listDir(dirPath: string): string[] | undefined;
  readText(filePath: string): string | undefined;
  /** Nearest file called `name` in `fromDir` or above it, within the root holding `fromDir` (as `WorkspaceView.findUp`). */
  findUp(fromDir: string, name: string): string | undefined;
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
}

/**
 * A value built from the files of one folder (their listing, texts and
 * facts): the objects of a manifest folder by kind, name and labels, say.
 * Built once per folder and state of its inputs by the engine
 * (`WorkspaceView.folderIndex`), then read by every file of the folder, so a
 * folder of n files costs n fact reads, not n per file. Readers never mutate it.
 */
export interface FolderIndex<T> {
  readonly id: string;
  build(dirPath: string, reads: FolderReads): T;
}

export function defineFolderIndex<T>(index: FolderIndex<T>): FolderIndex<T> {
  return index;
}
