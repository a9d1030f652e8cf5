import type { DocumentAdapter, DocumentKind, ParsedDocuments, SideFileAdapter } from '../core/adapter';
import type { WorkspaceView } from '../workspace/view';
import { GoAdapter, claimsGo } from '../languages/go/adapter';
import { dockerAdapter } from '../languages/docker/adapter';
import { k8sAdapter } from '../languages/k8s/adapter';
import { goModAdapter } from '../languages/gomod/adapter';
import { composeAdapter, kustomizationAdapter, skaffoldAdapter } from '../languages/build/adapter';

/**
 * The languages Shipshape reads: the one list the engine loops over. Adding
 * a language means one line here, its folder under `languages/` (adapter,
 * models, edits) and its rules under `rules/<kind>/`.
 */

/** A parsed document of any language. */
export type ParsedFile = ParsedDocuments[DocumentKind];
export type AnyDocumentAdapter = DocumentAdapter<ParsedFile, WorkspaceView>;

interface DocumentLanguage {
  readonly kind: DocumentKind;
  /** By name and editor language id only: discovery and file watchers ask before any parser is loaded. */
  claims(filePath: string, languageId?: string): boolean;
  load(): Promise<AnyDocumentAdapter>;
}

const DOCUMENT_LANGUAGES: readonly DocumentLanguage[] = [
  { kind: 'go', claims: claimsGo, load: () => GoAdapter.create() },
  { kind: 'docker', claims: (p, id) => dockerAdapter.claims(p, id), load: () => Promise.resolve(dockerAdapter as AnyDocumentAdapter) },
  { kind: 'k8s', claims: (p, id) => k8sAdapter.claims(p, id), load: () => Promise.resolve(k8sAdapter as AnyDocumentAdapter) },
];

/** Files read beside the documents, never analysed on their own. */
export const SIDE_FILES: readonly SideFileAdapter<unknown>[] = [goModAdapter, kustomizationAdapter, composeAdapter, skaffoldAdapter];

/** The kind of document a file may be, by name or editor language id (YAML content may still say no); undefined when no language claims it. */
export function documentKindOf(filePath: string, languageId?: string): DocumentKind | undefined {
  return DOCUMENT_LANGUAGES.find((l) => l.claims(filePath, languageId))?.kind;
}

/** What the files of an audit can be, for messages ("not a Go file, Dockerfile or YAML file"). */
export const DOCUMENT_LABELS = 'a Go file, Dockerfile or YAML file';

/** The loaded adapters of one engine (the Go adapter owns a WASM parser: {@link close} frees it). */
export class Languages {
  private constructor(
    readonly documents: readonly AnyDocumentAdapter[],
    readonly go: GoAdapter,
  ) {}

  static async load(): Promise<Languages> {
    const documents = await Promise.all(DOCUMENT_LANGUAGES.map((l) => l.load()));
    const go = documents.find((a): a is GoAdapter & AnyDocumentAdapter => a instanceof GoAdapter);
    if (!go) throw new Error('the Go adapter is not registered');
    return new Languages(documents, go);
  }

  /** The first adapter that claims the file; undefined when it is nothing of ours. */
  claim(filePath: string, languageId?: string): AnyDocumentAdapter | undefined {
    return this.documents.find((a) => a.claims(filePath, languageId));
  }

  byKind(kind: string): AnyDocumentAdapter | undefined {
    return this.documents.find((a) => a.kind === kind);
  }

  close(): void {
    this.go.close();
  }
}
