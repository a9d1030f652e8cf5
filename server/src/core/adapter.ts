import type { SourceText } from './source-text';
import type { Notice, Span } from './finding';
import type { Directive } from './directives';
import type { AnalysisOn, AnalysisUnit, AnalysisUnits } from './analysis';

/**
 * A language as the engine sees it. Each language folder
 * (`languages/<lang>/adapter.ts`) exports one adapter; the engine loops over
 * the list in `engine/languages.ts` and names no language itself. Adding a
 * language means writing its adapter, adding it to that list, and writing
 * its rules.
 *
 * Two roles:
 * - a **document** adapter's files are analysed: discovered by an audit,
 *   parsed, checked by the rules of its `kind`, given directives;
 * - a **side file** adapter's files (go.mod, kustomization, compose,
 *   skaffold) are never analysed on their own: rules and the workspace read
 *   them through the adapter's parse, and they make the files that rely on
 *   them stale when they change.
 */

/**
 * Parsed document types by kind. Each language adds its own by declaration
 * merging in its adapter (`go: GoFile`, `docker: DockerFile`, `k8s: K8sFile`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ParsedDocuments {}
export type DocumentKind = Extract<keyof ParsedDocuments, string>;

/** What every parsed document carries. */
export interface ParsedDocument extends AnalysisUnit {
  /** The adapter's kind: the domain of the rules that check it (`go`, `docker`, `k8s`). */
  readonly kind: string;
  readonly path: string;
  readonly source: SourceText;
}

/** What an adapter may read besides the document itself (kustomizations, a Helm chart's Chart.yaml). */
export interface AdapterFiles {
  readText(filePath: string): string | undefined;
  versionOf(filePath: string): string | undefined;
}

/** An edit the editor made to the previous text (for incremental parsers). */
export interface DocumentChange {
  start: number;
  end: number;
  text: string;
}

/** How a language writes Shipshape's directives (`// shipshape:ignore id`, `# shipshape:ignore-file id`). */
export interface DirectiveSyntax {
  /** Line comment opener for the directives the editor's ignore actions write. */
  readonly lineComment: string;
  /** Line where a new file-level directive goes: after the lines that must stay first (a package clause, parser directives). */
  fileDirectiveLine(source: SourceText): number;
}

export interface DocumentAdapter<P extends ParsedDocument = ParsedDocument, W = unknown> extends DirectiveSyntax {
  readonly role: 'document';
  readonly kind: P['kind'];
  /** How people call its files, in notices ("not a Go file, Dockerfile or YAML file"). */
  readonly label: string;
  /**
   * The file may be one of ours, by name or editor language id. Content may
   * still say no (`parse` returns undefined: YAML that holds no manifest).
   */
  claims(filePath: string, languageId?: string): boolean;
  /** Why a claimed file is not analysed at all (generated code, a template), before parsing. */
  skipReason?(filePath: string, text: string, files: AdapterFiles): Notice | undefined;
  /**
   * Parses a text; `previous` is the last parse of the same document and the
   * changes since (an incremental parser reuses it; others ignore it). The
   * result is owned by the caller: release it with {@link dispose}.
   */
  parse(filePath: string, source: SourceText, files: AdapterFiles, previous?: { parsed: P; changes: readonly DocumentChange[] }): P | undefined;
  /**
   * Reads again, through `files`, what `parse` read to accept this file (the
   * kustomization that lists a broken manifest): when an audit takes a tree
   * the fact store parsed, those reads are still the file's dependencies.
   * Adapters whose parse reads nothing leave it out.
   */
  replayParseReads?(parsed: P, files: AdapterFiles): void;
  /** How many syntax errors the parse found (0 when the parser accepts any text). */
  syntaxErrors(parsed: P): number;
  /** Comment spans, for directives. */
  comments(parsed: P): Span[];
  /** Directives that are not comments (Kubernetes `shipshape.dev/ignore` annotations). */
  extraDirectives?(parsed: P): Directive[];
  /**
   * The analysis units the document offers to rules (`go-file`, `go-package`,
   * `docker-file`...); `workspace` is the engine's view of the workspace, for
   * units that reach beyond the file (a Go package): without it (facts of a
   * sibling file) only the file's own units are given.
   */
  unit<K extends AnalysisOn>(on: K, parsed: P, workspace?: W): AnalysisUnits[K] | undefined;
  /**
   * A finding at `span` (reported on `node`, a parser node, when the rule gave
   * one) would sit inside a syntax error: it is dropped, error recovery is no evidence.
   */
  isInErrorRegion?(parsed: P, span: Span, node?: unknown): boolean;
  dispose(parsed: P): void;
}

export interface SideFileAdapter<T> {
  readonly role: 'side';
  readonly kind: string;
  readonly label: string;
  readonly lineComment: string;
  claims(filePath: string): boolean;
  /** The file's content as the workspace reads it; never throws (broken text gives what could be read). */
  parse(filePath: string, text: string): T;
  /** Syntax errors of a text (0 when the format accepts anything). */
  syntaxErrors(text: string): number;
}
