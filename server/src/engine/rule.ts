import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../languages/go/parser';
import type { DocumentKind, ParsedDocuments } from '../core/adapter';
import type { ParsedFile } from './languages';
import type { Figures, Fix, RelatedInfo, Severity, Span } from '../core/finding';
import type { WorkspaceView } from './workspace';
import type { Analysis, AnalysisOn, AnyAnalysis } from '../core/analysis';

/** JSON-schema of one rule option; every option documents itself and has a default. */
export type OptionType = 'number' | 'integer' | 'string' | 'boolean' | 'array' | 'object';

export interface OptionSchema {
  /** One type, or several a value may take (a Kubernetes quantity: `"500m"` or `1`). */
  type: OptionType | readonly OptionType[];
  description: string;
  default: unknown;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  /** For string values: a JSON-schema regular expression (a quantity is a quantity). */
  pattern?: string;
  items?: { type: string; enum?: readonly unknown[] };
}

/**
 * How a figure a rule attaches to its findings reads: a label and how to show
 * the value (`bytes`: 1.5 MiB, `cpu`: cores, `count`: 16,384, `ratio`: 32×,
 * `text`: as is). Hosts render every rule's figures with one generic function.
 */
export interface FigureMeta {
  label: string;
  unit: 'bytes' | 'cpu' | 'count' | 'ratio' | 'text';
}

export interface RuleMeta {
  /** Short title; the docs page's front-matter `title` equals it. */
  title: string;
  /** One or two sentences: what and why (SARIF fullDescription, docs index). */
  description: string;
  severity: Severity;
  fixable: boolean;
  /** Message templates with `{placeholders}`, by id. */
  messages: Readonly<Record<string, string>>;
  options?: Readonly<Record<string, OptionSchema>>;
  /** Labels of the figures its findings carry, in display order (see {@link FigureMeta}). */
  figures?: Readonly<Record<string, FigureMeta>>;
  /** Its findings mark code that does nothing (an unused directive): editors fade it (LSP `DiagnosticTag.Unnecessary`). */
  unnecessary?: boolean;
}

export interface ReportDescriptor {
  /** Where: a tree-sitter node (Go) or an offset span (any file). */
  node?: Node;
  span?: Span;
  messageId: string;
  data?: Readonly<Record<string, string | number>>;
  /** Overrides meta.severity for this finding; a severity set in config still wins. */
  severity?: Severity;
  fixes?: Fix[] | (() => Fix[]);
  related?: RelatedInfo[];
  /** The numbers behind the message, by the names `meta.figures` declares. */
  figures?: Figures;
  /** Report in another file than the one being checked (cross-file rules); offsets are into that file. */
  file?: string;
}

export interface RuleContext<O> {
  /** Absolute path of the file being checked. */
  readonly filePath: string;
  readonly options: O;
  readonly workspace: WorkspaceView;
  /**
   * The result of an analysis the rule lists in `analyses`, for the file
   * being checked (`go-file`, `docker-file`, `k8s-file`, `text`) or its
   * package (`go-package`); built once per unit by the engine.
   */
  resultOf<T, K extends AnalysisOn>(analysis: Analysis<T, K>): T;
  report(descriptor: ReportDescriptor): void;
}

/** Captures of one match of a rule's query pattern, by capture name (first node per name). */
export type GoCaptures = Readonly<Record<string, Node>>;
export type GoMatches<Q extends string> = Readonly<Record<Q, readonly GoCaptures[]>>;

interface RuleBase {
  readonly id: string;
  readonly meta: RuleMeta;
  /** The analyses whose results the rule reads through `ctx.resultOf` (go/analysis `Requires`). */
  readonly analyses?: readonly AnyAnalysis[];
}

export interface GoRule<O = Record<string, unknown>, Q extends string = string> extends RuleBase {
  readonly domain: 'go';
  /** Tree-sitter query sources by name; merged with every other Go rule's into one query per file. */
  readonly queries: Readonly<Record<Q, string>>;
  /**
   * `declaration`: the findings for a top-level declaration depend only on that
   * declaration's matches and on what {@link GoRule.contextKey} summarises, so
   * while typing the engine re-runs the rule only on the declarations an edit
   * touched and reuses the others' findings. `check` then receives the matches
   * of ONE declaration per call. Default `file`: every call sees the whole file.
   */
  readonly scope?: 'declaration' | 'file';
  /**
   * For declaration-scoped rules that read facts from outside the declaration
   * (the package's handlers, type sizes, imports...): a string that changes
   * whenever those facts change. Cached findings are reused only while it is equal.
   */
  contextKey?(file: GoFile, ctx: RuleContext<O>): string;
  check(ctx: RuleContext<O>, file: GoFile, matches: GoMatches<Q>): void;
}

/**
 * A rule of a document language without query patterns: it gets the parsed
 * file of its domain (`docker` -> DockerFile, `k8s` -> K8sFile, any kind a
 * language adapter adds).
 */
export interface DocumentRule<K extends DocumentKind, O = Record<string, unknown>> extends RuleBase {
  readonly domain: K;
  check(ctx: RuleContext<O>, file: ParsedDocuments[K]): void;
}

export type DockerRule<O = Record<string, unknown>> = DocumentRule<'docker', O>;
export type K8sRule<O = Record<string, unknown>> = DocumentRule<'k8s', O>;

export type { ParsedFile };

/** Cross-file rules: run on files of the given kinds and read the rest through `ctx.workspace`. */
export interface CrossRule<O = Record<string, unknown>> extends RuleBase {
  readonly domain: 'x';
  readonly appliesTo: readonly ParsedFile['kind'][];
  check(ctx: RuleContext<O>, file: ParsedFile): void;
}

/** Findings about Shipshape's own directives and config, produced by the engine itself. */
export interface EngineRule extends RuleBase {
  readonly domain: 'shipshape';
}

export type AnyRule = GoRule<any, string> | DocumentRule<Exclude<DocumentKind, 'go'>, any> | CrossRule<any> | EngineRule; // eslint-disable-line @typescript-eslint/no-explicit-any -- options are validated per rule; the registry holds rules of every option type

type Spec<R> = Omit<R, 'domain'>;

export function defineGoRule<O = Record<string, unknown>, Q extends string = string>(spec: Spec<GoRule<O, Q>> & { id: `go/${string}` }): GoRule<O, Q> {
  return { ...spec, domain: 'go' };
}
/** A rule of any document language without query patterns; its id starts with the language's kind. */
export function defineDocumentRule<K extends Exclude<DocumentKind, 'go'>, O = Record<string, unknown>>(
  domain: K, spec: Spec<DocumentRule<K, O>> & { id: `${K}/${string}` },
): DocumentRule<K, O> {
  return { ...spec, domain } as DocumentRule<K, O>;
}
export function defineDockerRule<O = Record<string, unknown>>(spec: Spec<DockerRule<O>> & { id: `docker/${string}` }): DockerRule<O> {
  return defineDocumentRule('docker', spec);
}
export function defineK8sRule<O = Record<string, unknown>>(spec: Spec<K8sRule<O>> & { id: `k8s/${string}` }): K8sRule<O> {
  return defineDocumentRule('k8s', spec);
}
export function defineCrossRule<O = Record<string, unknown>>(spec: Spec<CrossRule<O>> & { id: `x/${string}` }): CrossRule<O> {
  return { ...spec, domain: 'x' };
}
export function defineEngineRule(spec: Spec<EngineRule> & { id: `shipshape/${string}` }): EngineRule {
  return { ...spec, domain: 'shipshape' };
}

/** Default option values of a rule, from its schema. */
export function defaultOptions(rule: AnyRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(rule.meta.options ?? {})) out[name] = schema.default;
  return out;
}
