import type { GoMod } from '../languages/gomod/parser';
import type { GoFile } from '../languages/go/parser';
import type { GoPackage } from '../languages/go/package';
import type { Analysis, AnalysisUnits, FactOn } from '../core/analysis';
import type { ServiceModelReader } from './service-model/reader';
import type { FolderIndex } from './folder-index';

/** Where file contents come from: open editor buffers first, then disk. Hosts implement it. */
export interface FileSource {
  /** Text of a file, or undefined if it does not exist or cannot be read as text. */
  readText(filePath: string): string | undefined;
  /** Names of a directory's entries, or undefined when it is not a directory. */
  listDir(dirPath: string): string[] | undefined;
  /** A token that changes whenever the file changes (editor version, mtime+size). */
  versionOf(filePath: string): string | undefined;
  /**
   * True while no file changes (a CLI audit, after its fixes): what is
   * derived from the disk alone, such as real paths, may be kept across
   * analyses.
   */
  readonly stable?: boolean;
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
  /**
   * The Go module cache this analysis may also read (read-only, symlinks leading out refused), as the host
   * chose it (`$GOMODCACHE`, else `$GOPATH/pkg/mod`, else `~/go/pkg/mod`); undefined in an untrusted
   * workspace or when the host gave none. `contains` stays false for it: it is not the workspace.
   */
  readonly goModuleCache: string | undefined;
  readText(filePath: string): string | undefined;
  exists(filePath: string): boolean;
  listDir(dirPath: string): string[] | undefined;
  /** Nearest file called `name` in `fromDir` or above it, within the root holding `fromDir`. */
  findUp(fromDir: string, name: string): string | undefined;
  /** The nearest `go.mod` above a path, parsed. */
  goModFor(filePath: string): (GoMod & { path: string }) | undefined;
  /** The package view of a Go file (see `languages/go/package.ts` for which files belong to it). */
  goPackage(file: GoFile): GoPackage;
  /**
   * A fact (a `fact: true` analysis) of a Go, Dockerfile or manifest file, kept by the engine per
   * (file, content). The file is parsed when needed and its tree freed soon after.
   */
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
  /** A fact of the file under analysis, from its own parse (its text may be unsaved). */
  factOfParsed<T, K extends FactOn>(file: AnalysisUnits[K], analysis: Analysis<T, K>): T;
  /**
   * The workspace's service model (Go main packages, Dockerfiles, manifests'
   * containers and the links between them: `service-model/`), built once per
   * audit and kept up to date in the editor by the engine. Its queries record
   * the files each answer rests on (the linked main package's Go files, its
   * Dockerfiles and manifests, the build files stating the links) plus every
   * Dockerfile, go.mod and build file (what any link may rest on), so an edit
   * to a linked file re-runs the rule. Undefined for a file outside every root.
   */
  serviceModel(): ServiceModelReader | undefined;
  /**
   * A folder's index (see {@link FolderIndex}), kept by the engine until one
   * of the files, listings or facts it was built from changes; those become
   * dependencies of the file under analysis.
   */
  folderIndex<T>(dirPath: string, index: FolderIndex<T>): T;
  /** The kustomize role of a manifest (listed as a resource or a patch by a kustomization beside it or one folder up). */
  kustomizeRole(filePath: string): 'resource' | 'patch' | undefined;
}

