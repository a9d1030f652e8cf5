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

/** A rule's option schemas by option name. */
export type OptionSchemas = Readonly<Record<string, OptionSchema>>;

/**
 * The option values a rule's `check` sees, typed from its schemas: each
 * option has the type of its default (the engine fills defaults, and every
 * source of settings is validated against the schema: engine/config/rule-settings.ts).
 */
export type OptionsOf<S> = { readonly [K in keyof S]: S[K] extends { default: infer D } ? D : unknown };

export interface RuleMeta<M extends string = string, S extends OptionSchemas = OptionSchemas> {
  /** Short title; the docs page's front-matter `title` equals it. */
  title: string;
  /** One or two sentences: what and why (SARIF fullDescription, docs index). */
  description: string;
  severity: Severity;
  fixable: boolean;
  /** Message templates with `{placeholders}`, by id: `report({ messageId })` accepts only these ids (a typo does not compile). */
  messages: Readonly<Record<M, string>>;
  options?: S;
  /** Labels of the figures its findings carry, in display order (see {@link FigureMeta}). */
  figures?: Readonly<Record<string, FigureMeta>>;
  /** Its findings mark code that does nothing (an unused directive): editors fade it (LSP `DiagnosticTag.Unnecessary`). */
  unnecessary?: boolean;
}

export interface ReportDescriptor<M extends string = string> {
  /** Where: a tree-sitter node (Go) or an offset span (any file). */
  node?: Node;
  span?: Span;
  messageId: M;
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

export interface RuleContext<O, M extends string = string> {
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
  report(descriptor: ReportDescriptor<M>): void;
  /** For a declaration-scoped Go rule: the span of the top-level declaration being checked. */
  readonly declaration?: Span;
}

/** Captures of one match of a rule's query pattern, by capture name (first node per name). */
export type GoCaptures = Readonly<Record<string, Node>>;
export type GoMatches<Q extends string> = Readonly<Record<Q, readonly GoCaptures[]>>;

interface RuleBase<M extends string = string> {
  readonly id: string;
  readonly meta: RuleMeta<M>;
  /** The analyses whose results the rule reads through `ctx.resultOf` (go/analysis `Requires`). */
  readonly analyses?: readonly AnyAnalysis[];
}

export interface GoRule<O = Record<string, unknown>, Q extends string = string, M extends string = string> extends RuleBase<M> {
  readonly domain: 'go';
  /** Tree-sitter query sources by name; merged with every other Go rule's into one query per file. */
  readonly queries: Readonly<Record<Q, string>>;
  /**
   * `declaration`: the findings for a top-level declaration depend only on that
   * declaration's matches and on what {@link GoRule.contextKey} summarises, so
   * while typing the engine re-runs the rule only on the declarations an edit
   * touched and reuses the others' findings. `check` then receives the matches
   * of ONE declaration per call (and `ctx.declaration` its span; a rule without
   * query patterns is called for every declaration to re-check, and finds its
   * nodes within that span). Its findings lie in that declaration: one
   * holding a syntax error is not checked (no rule reports inside one).
   * Default `file`: every call sees the whole file.
   */
  readonly scope?: 'declaration' | 'file';
  /**
   * For declaration-scoped rules that read facts from outside the declaration
   * (the package's handlers, type sizes, imports...): a string that changes
   * whenever those facts change. Cached findings are reused only while it is equal.
   */
  contextKey?(file: GoFile, ctx: RuleContext<O, M>): string;
  check(ctx: RuleContext<O, M>, file: GoFile, matches: GoMatches<Q>): void;
}

/**
 * A rule of a document language without query patterns: it gets the parsed
 * file of its domain (`docker` -> DockerFile, `k8s` -> K8sFile, any kind a
 * language adapter adds).
 */
export interface DocumentRule<K extends DocumentKind, O = Record<string, unknown>, M extends string = string> extends RuleBase<M> {
  readonly domain: K;
  check(ctx: RuleContext<O, M>, file: ParsedDocuments[K]): void;
}

export type DockerRule<O = Record<string, unknown>, M extends string = string> = DocumentRule<'docker', O, M>;
export type K8sRule<O = Record<string, unknown>, M extends string = string> = DocumentRule<'k8s', O, M>;

export type { ParsedFile };

/** Cross-file rules: run on files of the given kinds and read the rest through `ctx.workspace`. */
export interface CrossRule<O = Record<string, unknown>, M extends string = string> extends RuleBase<M> {
  readonly domain: 'x';
  readonly appliesTo: readonly ParsedFile['kind'][];
  check(ctx: RuleContext<O, M>, file: ParsedFile): void;
}

/** Findings about Shipshape's own directives and config, produced by the engine itself. */
export interface EngineRule extends RuleBase {
  readonly domain: 'shipshape';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds rules of every option and message type; options are validated per rule, message ids per rule at compile time
export type AnyRule = GoRule<any, string, any> | DocumentRule<Exclude<DocumentKind, 'go'>, any, any> | CrossRule<any, any> | EngineRule;

/**
 * What a rule module passes to its `define…Rule`: everything but the domain,
 * with `meta` typed so that the message ids (`M`), the option types (from the
 * schemas `S`) and the query names (`Q`) are inferred from the values, never
 * written twice.
 */
type Spec<R, M extends string, S extends OptionSchemas> = Omit<R, 'domain' | 'meta'> & { readonly meta: RuleMeta<M, S> };

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a rule without options
type NoOptions = {};

export function defineGoRule<M extends string, Q extends string, S extends OptionSchemas = NoOptions>(
  spec: Spec<GoRule<OptionsOf<S>, Q, M>, M, S> & { id: `go/${string}` },
): GoRule<OptionsOf<S>, Q, M> {
  return { ...spec, domain: 'go' };
}
/** A rule of any document language without query patterns; its id starts with the language's kind. */
export function defineDocumentRule<K extends Exclude<DocumentKind, 'go'>, M extends string, S extends OptionSchemas = NoOptions>(
  domain: K, spec: Spec<DocumentRule<K, OptionsOf<S>, M>, M, S> & { id: `${K}/${string}` },
): DocumentRule<K, OptionsOf<S>, M> {
  return { ...spec, domain };
}
export function defineDockerRule<M extends string, S extends OptionSchemas = NoOptions>(
  spec: Spec<DockerRule<OptionsOf<S>, M>, M, S> & { id: `docker/${string}` },
): DockerRule<OptionsOf<S>, M> {
  return defineDocumentRule('docker', spec);
}
export function defineK8sRule<M extends string, S extends OptionSchemas = NoOptions>(
  spec: Spec<K8sRule<OptionsOf<S>, M>, M, S> & { id: `k8s/${string}` },
): K8sRule<OptionsOf<S>, M> {
  return defineDocumentRule('k8s', spec);
}
export function defineCrossRule<M extends string, S extends OptionSchemas = NoOptions>(
  spec: Spec<CrossRule<OptionsOf<S>, M>, M, S> & { id: `x/${string}` },
): CrossRule<OptionsOf<S>, M> {
  return { ...spec, domain: 'x' };
}
export function defineEngineRule(spec: Omit<EngineRule, 'domain'> & { id: `shipshape/${string}` }): EngineRule {
  return { ...spec, domain: 'shipshape' };
}

/** Default option values of a rule, from its schema. */
export function defaultOptions(rule: AnyRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(rule.meta.options ?? {})) out[name] = schema.default;
  return out;
}
