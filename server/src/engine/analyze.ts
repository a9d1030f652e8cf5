import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { GoParser, isGeneratedGo, isInsideSyntaxError, type GoFile } from '../parsers/go';
import { parseDockerfile, type DockerFile } from '../parsers/dockerfile';
import { parseK8s, isManifestDoc, yamlComments, type K8sFile } from '../parsers/k8s';
import { detectKind, isInManifestFolder } from '../parsers/detect';
import { kustomizeRole } from '../parsers/kustomize';
import { SourceText } from './source-text';
import { resolveFixes, type Finding, type Notice, type Severity, type Span } from './finding';
import { formatMessage } from './messages';
import type { AnyRule, GoRule, ParsedFile, ReportDescriptor, RuleContext } from './rule';
import type { FileConfig } from './config';
import { RecordingWorkspace, isWithin, type FileSource } from './workspace';
import { GoRuleRunner, type GoRunCache } from './go-run';
import { editTree, type TextChange } from './incremental';
import { applyDirectives } from './directive-findings';
import { FactStore } from './fact-store';
import { resultOf, type Analysis, type AnalysisOn, type AnalysisUnits } from './analysis';
import { clampSpan } from './span-guard';
import { Confinement } from './confine';
import { FileBudget, MAX_GO_NESTING, bracketDepth, treeDepthOver, type BudgetOverrun } from './budget';

export interface AnalyzeRequest {
  /** Absolute path. */
  path: string;
  text: string;
  /** Editor language id, when a host knows it. */
  languageId?: string;
  /** Editor version or any token that changes with the text. */
  version?: string | number;
}

export interface AnalyzeOptions {
  config: FileConfig;
  /** Workspace folders / audit roots. */
  roots: readonly string[];
  /** Only these rules run (fixture harness); default all enabled in config. */
  onlyRules?: ReadonlySet<string>;
  /** Keep the parsed file (and its tree) in the result: the caller must `dispose()` it. */
  keepParsed?: boolean;
  /**
   * The previous analysis of this document (kept with `keepParsed`) and the
   * changes that led from its text to this one: Go is re-parsed incrementally
   * and declaration-scoped rules re-run only where the text changed. The
   * engine takes ownership: the previous analysis is disposed.
   */
  previous?: { analysis: FileAnalysis; changes: readonly TextChange[] };
  /** Accumulates milliseconds per rule id (bench). */
  timings?: Map<string, number>;
}

export interface FileAnalysis {
  path: string;
  /** Kind of document, or undefined when Shipshape has nothing to say about the file. */
  kind: ParsedFile['kind'] | undefined;
  source: SourceText;
  findings: Finding[];
  notices: Notice[];
  /** Other files the rules read: a change to one of them makes this analysis stale. */
  dependencies: string[];
  /** Ids of the rules that ran. */
  rulesRun: string[];
  parsed?: ParsedFile;
  /** Go only: what the next version's analysis may reuse. */
  goCache?: GoRunCache;
  /** Frees the parsed file's tree, if kept. */
  dispose(): void;
}

/** The analysis core. It knows nothing of LSP or the CLI; hosts hand it the registry. */
export class Engine {
  private readonly goRunner: GoRuleRunner;
  readonly ruleIds: ReadonlySet<string>;
  readonly facts: FactStore;

  private constructor(
    readonly goParser: GoParser,
    readonly rules: readonly AnyRule[],
    readonly files: FileSource,
  ) {
    const goRules = rules.filter((r): r is GoRule<unknown> => r.domain === 'go');
    this.goRunner = new GoRuleRunner(goParser, goRules);
    this.ruleIds = new Set(rules.map((r) => r.id));
    this.facts = new FactStore(goParser, files);
  }

  static async create(rules: readonly AnyRule[], files: FileSource): Promise<Engine> {
    return new Engine(await GoParser.create(), rules, files);
  }

  /** Parses a document of a known kind; undefined when it is not ours (e.g. YAML that holds no manifest). */
  parse(req: AnalyzeRequest, source: SourceText, previous?: AnalyzeOptions['previous'], roots: readonly string[] = []): ParsedFile | undefined {
    const kind = detectKind(req.path, req.languageId);
    if (kind === 'go') {
      const old = previous?.analysis.parsed;
      if (old?.kind === 'go' && previous && previous.changes.length > 0) {
        // Incremental: tell the old tree about each change, then re-parse reusing it.
        let text = old.source.text;
        for (const change of previous.changes) text = editTree(old.tree, text, change);
        if (text === source.text) {
          const reparsed = this.goParser.parse(req.path, source, old.tree);
          // Error recovery may differ from a fresh parse's: findings must not depend on the edit history.
          if (!reparsed.root.hasError) return reparsed;
          reparsed.dispose();
        }
      }
      return this.goParser.parse(req.path, source);
    }
    if (kind === 'docker') return parseDockerfile(req.path, source);
    if (kind === 'yaml') {
      const file = parseK8s(req.path, source);
      return this.isManifestFile(file, roots) ? file : undefined;
    }
    return undefined;
  }

  /** Syntax errors of a text as the file's kind parses it; Infinity when it is no longer a document of ours. */
  syntaxErrors(req: AnalyzeRequest): number {
    const parsed = this.parse(req, new SourceText(req.text));
    if (!parsed) return Infinity;
    try {
      if (parsed.kind === 'go') return parsed.root.hasError ? 1 + parsed.root.descendantsOfType(['ERROR']).length : 0;
      if (parsed.kind === 'k8s') return parsed.problems.filter((p) => p.severity === 'error').length;
      return 0; // dockerfile-ast accepts any text; docker/syntax reports what it finds as findings
    } finally {
      disposeParsed(parsed);
    }
  }

  private isManifestFile(file: K8sFile, roots: readonly string[]): boolean {
    if (file.docs.some(isManifestDoc)) return true;
    if (!file.problems.some((p) => p.severity === 'error')) return false;
    // Broken YAML is ours only when it looks like a manifest by its text or its place.
    const lines = file.source.text.split(/\r\n|\r|\n/);
    const looksLikeManifest = lines.some((l) => l.startsWith('apiVersion:')) && lines.some((l) => l.startsWith('kind:'));
    // ... or when a kustomization.yaml beside it (or one folder up) lists it.
    if (looksLikeManifest || isInManifestFolder(file.path)) return true;
    const confinement = new Confinement(confinementRoots(file.path, roots));
    return kustomizeRole(file.path, (p) => (confinement.contains(p) ? this.files.readText(p) : undefined)) !== undefined;
  }

  /** Why a file is not analysed, before parsing (generated Go, Helm templates); undefined to go on. */
  private skipReason(req: AnalyzeRequest): Notice | undefined {
    const kind = detectKind(req.path, req.languageId);
    if (kind === 'go' && isGeneratedGo(req.text)) {
      return { file: req.path, reason: 'generated', message: 'generated Go file (// Code generated ... DO NOT EDIT.)' };
    }
    if (kind === 'yaml' && this.isHelmTemplate(req)) {
      return { file: req.path, reason: 'helm-template', message: 'Helm template: rendered manifests can be audited instead (helm template ... > out.yaml)' };
    }
    return undefined;
  }

  private isHelmTemplate(req: AnalyzeRequest): boolean {
    const dir = path.dirname(req.path);
    if (path.basename(dir) === 'templates' && this.files.versionOf(path.join(path.dirname(dir), 'Chart.yaml')) !== undefined) return true;
    // `{{ }}` actions outside quoted strings make the text invalid or meaningless YAML.
    return req.text.includes('{{') && parseK8s(req.path, req.text).problems.some((p) => p.severity === 'error');
  }

  analyze(req: AnalyzeRequest, options: AnalyzeOptions): FileAnalysis {
    try {
      const budget = new FileBudget(req.text.length, options.config.maxFileTime);
      const steps = this.analyzeSteps(req, options);
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        const overrun = budget.overrun(r.value);
        if (overrun) return stopped(steps, req, overrun);
      }
    } finally {
      options.previous?.analysis.dispose();
    }
  }

  /**
   * {@link analyze} that yields to the event loop between steps (after parsing,
   * after each rule), so a server answers requests while it works. Resolves to
   * undefined when `stale()` turns true at a step: the analysis is abandoned and
   * its tree freed (a newer version will be analysed instead).
   */
  async analyzeAsync(req: AnalyzeRequest, options: AnalyzeOptions, control: { stale(): boolean; sliceMs?: number }): Promise<FileAnalysis | undefined> {
    try {
      const budget = new FileBudget(req.text.length, options.config.maxFileTime);
      const steps = this.analyzeSteps(req, options);
      const sliceMs = control.sliceMs ?? 10;
      let sliceEnd = performance.now() + sliceMs;
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        const overrun = budget.overrun(r.value);
        if (overrun) return stopped(steps, req, overrun);
        if (performance.now() < sliceEnd) continue;
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceEnd = performance.now() + sliceMs;
        if (control.stale()) {
          steps.return(emptyAnalysis(req, []));
          return undefined;
        }
      }
    } finally {
      options.previous?.analysis.dispose();
    }
  }

  /** The analysis as steps: yields a label after parsing and after each rule; returns the result. */
  private *analyzeSteps(req: AnalyzeRequest, options: AnalyzeOptions): Generator<string, FileAnalysis, void> {
    const source = new SourceText(req.text);
    const empty = (notices: Notice[]): FileAnalysis => ({ ...emptyAnalysis(req, notices), source });
    let parsed: ParsedFile | undefined;
    try {
      // Inside the try: deciding to skip parses too (Helm templates), and a parser failure is a notice, never silence.
      const skip = this.skipReason(req);
      if (skip) return empty([skip]);
      parsed = this.parse(req, source, options.previous, options.roots);
    } catch (e) {
      return empty([{ file: req.path, reason: 'internal-error', message: `could not parse: ${errorText(e)}` }]);
    }
    if (!parsed) return empty([]);
    if (parsed.kind === 'go' && bracketDepth(req.text) > MAX_GO_NESTING && treeDepthOver(parsed.root, MAX_GO_NESTING * 2)) {
      disposeParsed(parsed);
      return empty([{ file: req.path, reason: 'over-budget', message: `syntax nested more than ${MAX_GO_NESTING * 2} levels deep: not analysed (its cost grows faster than its size)` }]);
    }
    // The tree is freed here unless the result keeps it (also when the host stops the steps early).
    let handedOver = false;
    try {
      yield 'parsing';
      const result = yield* this.runRules(parsed, req, options);
      if (!options.keepParsed) {
        for (const f of result.findings) resolveFixes(f);
        return { ...result, dispose() {} };
      }
      const kept = parsed;
      handedOver = true;
      return { ...result, parsed: kept, dispose: () => disposeParsed(kept) };
    } catch (e) {
      return empty([{ file: req.path, reason: 'internal-error', message: `analysis failed: ${errorText(e)}` }]);
    } finally {
      if (!handedOver) disposeParsed(parsed);
    }
  }

  private *runRules(parsed: ParsedFile, req: AnalyzeRequest, options: AnalyzeOptions): Generator<string, Omit<FileAnalysis, 'dispose'>, void> {
    const enabled = (id: string): boolean => {
      if (options.onlyRules && !options.onlyRules.has(id)) return false;
      const setting = options.config.rules.get(id);
      return setting !== undefined && setting.severity !== 'off';
    };
    const workspace = new RecordingWorkspace(confinementRoots(req.path, options.roots), this.files, this.facts);
    const raw: Finding[] = [];
    const notices: Notice[] = [];
    const rulesRun: string[] = [];
    let comments: Span[] = [];
    let goCache: GoRunCache | undefined;
    // Comments matter only for directives: skip collecting them when the text names none.
    const hasDirectives = options.config.inlineConfig && parsed.source.text.includes('shipshape:');
    const forcedSeverity = (id: string): Severity | undefined => {
      const setting = options.config.rules.get(id);
      return setting?.severityConfigured && setting.severity !== 'off' ? setting.severity : undefined;
    };
    if (parsed.kind === 'go') {
      const goFile = parsed;
      if (hasDirectives) comments = this.goRunner.comments(goFile);
      const previousCache = options.previous?.analysis.goCache;
      const result = yield* this.goRunner.steps(goFile, {
        enabled,
        makeContext: (rule, sink) => {
          const setting = options.config.rules.get(rule.id);
          return this.makeContext(rule, goFile, setting?.options ?? {}, workspace, sink, forcedSeverity(rule.id));
        },
        onError: (rule, e) => notices.push({ file: req.path, reason: 'internal-error', message: `rule ${rule.id} failed: ${errorText(e)}` }),
        previous: previousCache && options.previous ? { cache: previousCache, changes: options.previous.changes } : undefined,
        timings: options.timings,
      });
      raw.push(...result.findings);
      for (const rule of this.rules) if (rule.domain === 'go' && enabled(rule.id)) rulesRun.push(rule.id);
      for (const d of result.cache.dependencies) workspace.dependencies.add(d);
      goCache = result.cache;
    } else if (parsed.kind === 'docker' && hasDirectives) {
      comments = parsed.ast.getComments().map((c) => parsed.spanOf(c.getRange()));
    } else if (parsed.kind === 'k8s' && hasDirectives) {
      comments = yamlComments(parsed.source.text);
    }
    for (const rule of this.rules) {
      if (!enabled(rule.id) || rule.domain === 'go') continue;
      const domainMatches = rule.domain === parsed.kind || (rule.domain === 'x' && rule.appliesTo.includes(parsed.kind));
      if (!domainMatches) continue;
      const setting = options.config.rules.get(rule.id);
      if (!setting) continue;
      rulesRun.push(rule.id);
      const ctx = this.makeContext(rule, parsed, setting.options, workspace, raw, forcedSeverity(rule.id));
      const t0 = options.timings ? performance.now() : 0;
      try {
        if (rule.domain === 'docker' && parsed.kind === 'docker') rule.check(ctx, parsed);
        else if (rule.domain === 'k8s' && parsed.kind === 'k8s') rule.check(ctx, parsed);
        else if (rule.domain === 'x') rule.check(ctx, parsed);
      } catch (e) {
        notices.push({ file: req.path, reason: 'internal-error', message: `rule ${rule.id} failed: ${errorText(e)}` });
      }
      if (options.timings) options.timings.set(rule.id, (options.timings.get(rule.id) ?? 0) + performance.now() - t0);
      yield rule.id;
    }
    if (workspace.refused.size > 0) notices.push(refusedNotice(req.path, workspace.refused));
    const findings = applyDirectives(parsed, raw, comments, { config: options.config, onlyRules: options.onlyRules, ruleIds: this.ruleIds, rulesRun });
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
    findings.forEach((f, i) => (f.key = `${f.ruleId}@${f.span.start}-${f.span.end}#${i}`));
    const dependencies = [...workspace.dependencies].filter((d) => d !== req.path).sort();
    if (goCache) goCache.dependencies = dependencies;
    return { path: req.path, kind: parsed.kind, source: parsed.source, findings, notices, dependencies, rulesRun, goCache };
  }

  private makeContext(
    rule: AnyRule, parsed: ParsedFile, ruleOptions: Record<string, unknown>, workspace: RecordingWorkspace, out: Finding[], forcedSeverity: Severity | undefined,
  ): RuleContext<unknown> {
    return {
      filePath: parsed.path,
      options: ruleOptions,
      workspace,
      resultOf: <T, K extends AnalysisOn>(analysis: Analysis<T, K>): T => {
        if (!rule.analyses?.includes(analysis)) throw new Error(`${rule.id}: resultOf(${analysis.id}) needs the analysis in the rule's analyses`);
        const unit = unitOf(analysis.on, parsed, workspace);
        if (!unit) throw new Error(`${rule.id}: ${analysis.id} runs on ${analysis.on}, not on a ${parsed.kind} file`);
        return resultOf(analysis, unit as AnalysisUnits[K]);
      },
      report: (d: ReportDescriptor) => {
        const given = d.span ?? (d.node ? { start: d.node.startIndex, end: d.node.endIndex } : undefined);
        if (!given) throw new Error(`${rule.id}: report() needs a node or a span`);
        // Ranges in this file stay inside it and off the middle of a \r\n, whatever a parser said.
        const span = d.file === undefined || d.file === parsed.path ? clampSpan(given, parsed.source.text) : given;
        if (parsed.kind === 'go' && (d.file === undefined || d.file === parsed.path) && isInErrorRegion(parsed, d.node, span)) return;
        const template = rule.meta.messages[d.messageId];
        if (template === undefined) throw new Error(`${rule.id}: unknown messageId "${d.messageId}"`);
        out.push({
          ruleId: rule.id,
          file: d.file ?? parsed.path,
          span,
          message: formatMessage(template, d.data),
          severity: forcedSeverity ?? d.severity ?? rule.meta.severity,
          fixes: d.fixes ?? [],
          related: d.related,
          ...(d.figures ? { figures: d.figures } : {}),
          key: '',
        });
      },
    };
  }

  dispose(): void {
    this.facts.clear();
    this.goRunner.dispose();
    this.goParser.dispose();
  }
}

/**
 * The roots a file's rules may read in: the audit roots, or none (no
 * confinement) for a file opened from outside every root, whose reads are
 * those an editor makes beside any file the user opens.
 */
function confinementRoots(filePath: string, roots: readonly string[]): readonly string[] {
  return roots.some((r) => isWithin(filePath, r)) ? roots : [];
}

function refusedNotice(file: string, refused: ReadonlySet<string>): Notice {
  const shown = [...refused].sort().slice(0, 3);
  const more = refused.size > shown.length ? ` and ${refused.size - shown.length} more` : '';
  return { file, reason: 'outside-workspace', message: `not read, outside the audited folders (symlinks resolved): ${shown.join(', ')}${more}` };
}

/** The unit an analysis on `on` reads for the file being checked. */
function unitOf(on: AnalysisOn, parsed: ParsedFile, workspace: RecordingWorkspace): AnalysisUnits[AnalysisOn] | undefined {
  if (on === 'text') return parsed.source;
  if (on === 'go-file') return parsed.kind === 'go' ? parsed : undefined;
  if (on === 'go-package') return parsed.kind === 'go' ? workspace.goPackage(parsed) : undefined;
  if (on === 'docker-file') return parsed.kind === 'docker' ? parsed : undefined;
  if (on === 'k8s-file') return parsed.kind === 'k8s' ? parsed : undefined;
  return undefined;
}

function emptyAnalysis(req: AnalyzeRequest, notices: Notice[]): FileAnalysis {
  return { path: req.path, kind: undefined, source: new SourceText(req.text), findings: [], notices, dependencies: [], rulesRun: [], dispose() {} };
}

/** Ends the steps early (their tree is freed) and reports the file as skipped for going over its budget. */
function stopped(steps: Generator<string, FileAnalysis, void>, req: AnalyzeRequest, overrun: BudgetOverrun): FileAnalysis {
  const result = emptyAnalysis(req, [{ file: req.path, reason: 'over-budget', message: overrun.message }]);
  steps.return(result);
  return result;
}

function isInErrorRegion(file: GoFile, node: Node | undefined, span: Span): boolean {
  const target = node ?? file.root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  return target ? isInsideSyntaxError(target) : false;
}

function disposeParsed(parsed: ParsedFile): void {
  if (parsed.kind === 'go') parsed.dispose();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export type { DockerFile, K8sFile, GoFile };

/** Kept here for hosts that imported it from the engine core. */
export { suggest } from './suggest';
