import type { GoFile } from '../languages/go/parser';
import type { DockerFile } from '../languages/docker/parser';
import type { K8sFile } from '../languages/k8s/parser';
import type { GoParser } from '../languages/go/parser';
import type { AdapterFiles, DirectiveSyntax } from '../core/adapter';
import { SourceText } from '../core/source-text';
import { resolveFixes, type Finding, type Notice, type Severity, type Span } from '../core/finding';
import { formatMessage } from '../core/messages';
import { declarationKeyOf, resultOf, type Analysis, type AnalysisOn } from '../core/analysis';
import type { AnyRule, GoRule, ReportDescriptor, RuleContext } from './rule';
import type { FileConfig } from './config/config';
import { RecordingWorkspace, isWithin, type FileSource } from './workspace';
import { FolderIndexes } from './folder-indexes';
import { GoRuleRunner, type GoRunCache } from './go-run';
import type { TextChange } from './incremental';
import { applyDirectives } from './directive-findings';
import { FactStore } from './fact-store';
import { ServiceModels } from './service-models';
import { Languages, type AnyDocumentAdapter, type ParsedFile } from './languages';
import { clampSpan } from './span-guard';
import { Confinement, ConfinementCache } from './confine';
import { FileBudget, MAX_GO_NESTING, bracketDepthAfter, treeDepthOver, type BudgetOverrun } from './budget';

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
  /**
   * The file is one of an audit's (`engine/audit.ts`, which announced it with
   * `FactStore.awaitAnalysis`): its tree is taken from the fact store when a
   * sibling's question parsed it already, and every fact kind asked so far
   * is recorded from it, so that no later question parses it again.
   */
  audit?: boolean;
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
  /** How the document's language writes directives (for the editor's ignore actions); undefined when it is not ours. */
  directiveSyntax?: DirectiveSyntax;
  parsed?: ParsedFile;
  /** Go only: what the next version's analysis may reuse. */
  goCache?: GoRunCache;
  /** Go only: an upper bound of the text's bracket nesting (see `bracketDepthAfter`), for the next version. */
  nestingBound?: number;
  /** Frees the parsed file's tree, if kept. */
  dispose(): void;
}

/** What a host decides for the engine once. */
export interface EngineOptions {
  /**
   * The Go module cache rules may read dependencies' declarations from (read-only), or undefined: an
   * untrusted workspace, or a host that does not know (then only `vendor/` is read). Hosts compute it
   * with `goModuleCacheDir`; the engine never runs `go`.
   */
  goModuleCache?: string;
}

/** The analysis core. It knows nothing of LSP or the CLI; hosts hand it the registry. */
export class Engine {
  private readonly goRunner: GoRuleRunner;
  readonly ruleIds: ReadonlySet<string>;
  readonly facts: FactStore;
  /** The service models rules read (`ctx.workspace.serviceModel()`), one per set of roots, kept up to date by {@link filesChanged}. */
  readonly models: ServiceModels;
  /** What adapters may read besides the document (kustomizations, Chart.yaml). */
  private readonly adapterFiles: AdapterFiles;
  /** Confinement answers, kept only while the file source is stable (see {@link stableConfinement}). */
  private readonly confinementCache = new ConfinementCache();
  /** Indexes of folders (a manifest folder's objects), built once per folder and state of its files. */
  private readonly folderIndexes: FolderIndexes;

  private constructor(
    readonly languages: Languages,
    readonly rules: readonly AnyRule[],
    readonly files: FileSource,
    private readonly options: EngineOptions,
  ) {
    const goRules = rules.filter((r): r is GoRule<unknown> => r.domain === 'go');
    this.goRunner = new GoRuleRunner(languages.go.parser, goRules);
    this.ruleIds = new Set(rules.map((r) => r.id));
    this.facts = new FactStore(languages, files);
    this.models = new ServiceModels(files, this.facts);
    this.folderIndexes = new FolderIndexes(files, this.facts);
    this.adapterFiles = { readText: (p) => files.readText(p), versionOf: (p) => files.versionOf(p) };
  }

  static async create(rules: readonly AnyRule[], files: FileSource, options: EngineOptions = {}): Promise<Engine> {
    return new Engine(await Languages.load(), rules, files, options);
  }

  /** The Go parser (tests and the bench parse with it directly). */
  get goParser(): GoParser {
    return this.languages.go.parser;
  }

  /** Parses a document of a known kind; undefined when it is not ours (e.g. YAML that holds no manifest). */
  parse(req: AnalyzeRequest, source: SourceText, previous?: AnalyzeOptions['previous'], files: AdapterFiles = this.adapterFiles): ParsedFile | undefined {
    const adapter = this.languages.claim(req.path, req.languageId);
    if (!adapter) return undefined;
    const old = previous?.analysis.parsed;
    const incremental = old && old.kind === adapter.kind ? { parsed: old, changes: previous.changes } : undefined;
    return adapter.parse(req.path, source, files, incremental);
  }

  /** Syntax errors of a text as the file's kind parses it; Infinity when it is no longer a document of ours. */
  syntaxErrors(req: AnalyzeRequest): number {
    const parsed = this.parse(req, new SourceText(req.text));
    if (!parsed) return Infinity;
    const adapter = this.adapterOf(parsed);
    try {
      return adapter.syntaxErrors(parsed);
    } finally {
      adapter.dispose(parsed);
    }
  }

  /** The adapter that parsed a document. */
  adapterOf(parsed: ParsedFile): AnyDocumentAdapter {
    const adapter = this.languages.byKind(parsed.kind);
    if (!adapter) throw new Error(`no adapter for ${parsed.kind}`);
    return adapter;
  }

  /** Why a file is not analysed, before parsing (generated Go, Helm templates); undefined to go on. */
  private skipReason(req: AnalyzeRequest, files: AdapterFiles): Notice | undefined {
    return this.languages.claim(req.path, req.languageId)?.skipReason?.(req.path, req.text, files);
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
      this.facts.endAnalysis();
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
      this.facts.endAnalysis();
      options.previous?.analysis.dispose();
    }
  }

  /** The analysis as steps: yields a label after parsing and after each rule; returns the result. */
  private *analyzeSteps(req: AnalyzeRequest, options: AnalyzeOptions): Generator<string, FileAnalysis, void> {
    const source = new SourceText(req.text);
    this.facts.beginAnalysis();
    const empty = (notices: Notice[]): FileAnalysis => ({ ...emptyAnalysis(req, notices), source });
    // What the adapter reads to decide (a kustomization listing a manifest, a Helm chart) is a dependency like a rule's reads,
    // and is read only inside the roots, symlinks resolved.
    const adapterReads = new Set<string>();
    const confinement = new Confinement(confinementRoots(req.path, options.roots), this.stableConfinement());
    const files: AdapterFiles = {
      readText: (p) => (adapterReads.add(p), confinement.contains(p) ? this.files.readText(p) : undefined),
      versionOf: (p) => (adapterReads.add(p), confinement.contains(p) ? this.files.versionOf(p) : undefined),
    };
    let parsed: ParsedFile | undefined;
    try {
      // Inside the try: deciding to skip parses too (Helm templates), and a parser failure is a notice, never silence.
      const skip = this.skipReason(req, files);
      if (skip) return empty([skip]);
      // An audit's file parsed already for its siblings' facts: that tree, not a second parse.
      parsed = options.audit && !options.previous ? this.facts.takeParsed(req.path, req.text) : undefined;
      if (parsed) this.adapterOf(parsed).replayParseReads?.(parsed, files);
      parsed ??= this.parse(req, source, options.previous, files);
    } catch (e) {
      return empty([{ file: req.path, reason: 'internal-error', message: `could not parse: ${errorText(e)}` }]);
    }
    if (!parsed) return empty([]);
    const nestingBound = parsed.kind === this.languages.go.kind ? bracketDepthAfter(req.text, options.previous, MAX_GO_NESTING) : undefined;
    if (parsed.kind === this.languages.go.kind && nestingBound !== undefined && nestingBound > MAX_GO_NESTING && treeDepthOver(parsed.root, MAX_GO_NESTING * 2)) {
      this.disposeParsed(parsed);
      return empty([{ file: req.path, reason: 'over-budget', message: `syntax nested more than ${MAX_GO_NESTING * 2} levels deep: not analysed (its cost grows faster than its size)` }]);
    }
    // The tree is freed here unless the result keeps it (also when the host stops the steps early).
    let handedOver = false;
    try {
      yield 'parsing';
      const result = { ...yield* this.runRules(parsed, req, options, adapterReads), nestingBound };
      if (options.audit) {
        const file = parsed;
        this.facts.recordAsked(file, (on) => this.adapterOf(file).unit(on, file));
      }
      if (!options.keepParsed) {
        for (const f of result.findings) resolveFixes(f);
        return { ...result, dispose() {} };
      }
      const kept = parsed;
      handedOver = true;
      return { ...result, parsed: kept, dispose: () => { this.disposeParsed(kept); } };
    } catch (e) {
      return empty([{ file: req.path, reason: 'internal-error', message: `analysis failed: ${errorText(e)}` }]);
    } finally {
      if (!handedOver) this.disposeParsed(parsed);
    }
  }

  private *runRules(parsed: ParsedFile, req: AnalyzeRequest, options: AnalyzeOptions, adapterReads: ReadonlySet<string>): Generator<string, Omit<FileAnalysis, 'dispose'>, void> {
    const enabled = (id: string): boolean => {
      if (options.onlyRules && !options.onlyRules.has(id)) return false;
      const setting = options.config.rules.get(id);
      return setting !== undefined && setting.severity !== 'off';
    };
    const workspace = new RecordingWorkspace(confinementRoots(req.path, options.roots), this.files, this.facts, this.models, this.options.goModuleCache, this.stableConfinement(), this.folderIndexes);
    for (const read of adapterReads) workspace.dependencies.add(read);
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
    const adapter = this.adapterOf(parsed);
    if (hasDirectives) comments = adapter.comments(parsed);
    if (parsed.kind === this.languages.go.kind) {
      // Query rules: every Go rule's patterns merged into one query per file, re-run per declaration while typing.
      const goFile = parsed;
      const previousCache = options.previous?.analysis.goCache;
      const result = yield* this.goRunner.steps(goFile, {
        enabled,
        makeContext: (rule, sink, declaration) => {
          const setting = options.config.rules.get(rule.id);
          const ctx = this.makeContext(rule, goFile, setting?.options ?? {}, workspace, sink, forcedSeverity(rule.id));
          return declaration ? { ...ctx, declaration } : ctx;
        },
        declarationKey: (analysis) => {
          const unit = this.adapterOf(goFile).unit(analysis.on, goFile, workspace);
          if (!unit) throw new Error(`${analysis.id} runs on ${analysis.on}, not on a Go file`);
          return declarationKeyOf(analysis, unit);
        },
        onError: (rule, e) => notices.push({ file: req.path, reason: 'internal-error', message: `rule ${rule.id} failed: ${errorText(e)}` }),
        previous: previousCache && options.previous ? { cache: previousCache, changes: options.previous.changes } : undefined,
        // Only a kept analysis (an open document's) is the previous version of another.
        oneShot: options.keepParsed !== true,
        timings: options.timings,
      });
      raw.push(...result.findings);
      for (const rule of this.rules) if (rule.domain === 'go' && enabled(rule.id)) rulesRun.push(rule.id);
      for (const d of result.cache.dependencies) workspace.dependencies.add(d);
      goCache = result.cache;
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
        // The domain matched the document's kind (or the cross-file rule's kinds), so `parsed` is the file type the rule's check takes.
        if ('check' in rule) (rule.check as (ctx: RuleContext<unknown>, file: ParsedFile) => void).call(rule, ctx, parsed);
      } catch (e) {
        notices.push({ file: req.path, reason: 'internal-error', message: `rule ${rule.id} failed: ${errorText(e)}` });
      }
      if (options.timings) options.timings.set(rule.id, (options.timings.get(rule.id) ?? 0) + performance.now() - t0);
      yield rule.id;
    }
    if (workspace.refused.size > 0) notices.push(refusedNotice(req.path, workspace.refused));
    const findings = applyDirectives(parsed, raw, comments, adapter.extraDirectives?.(parsed) ?? [], { config: options.config, onlyRules: options.onlyRules, ruleIds: this.ruleIds, rulesRun });
    findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
    findings.forEach((f, i) => (f.key = `${f.ruleId}@${f.span.start}-${f.span.end}#${i}`));
    const dependencies = [...workspace.dependencies].filter((d) => d !== req.path).sort();
    if (goCache) goCache.dependencies = dependencies;
    const directiveSyntax: DirectiveSyntax = { lineComment: adapter.lineComment, fileDirectiveLine: (source) => adapter.fileDirectiveLine(source) };
    return { path: req.path, kind: parsed.kind, source: parsed.source, findings, notices, dependencies, rulesRun, goCache, directiveSyntax };
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
        const unit = this.adapterOf(parsed).unit(analysis.on, parsed, workspace);
        if (!unit) throw new Error(`${rule.id}: ${analysis.id} runs on ${analysis.on}, not on a ${parsed.kind} file`);
        return resultOf(analysis, unit);
      },
      report: (d: ReportDescriptor) => {
        const given = d.span ?? (d.node ? { start: d.node.startIndex, end: d.node.endIndex } : undefined);
        if (!given) throw new Error(`${rule.id}: report() needs a node or a span`);
        // Ranges in this file stay inside it and off the middle of a \r\n, whatever a parser said.
        const span = d.file === undefined || d.file === parsed.path ? clampSpan(given, parsed.source.text) : given;
        if ((d.file === undefined || d.file === parsed.path) && this.adapterOf(parsed).isInErrorRegion?.(parsed, span, d.node)) return;
        const messages: Readonly<Record<string, string>> = rule.meta.messages;
        const template = Object.hasOwn(messages, d.messageId) ? messages[d.messageId] : undefined;
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

  /**
   * Hosts say which files changed (an open buffer edited, opened or closed; a
   * file changed, created or deleted on disk): the service models catch up on
   * their next read. Facts need no word: the fact store checks versions.
   */
  filesChanged(paths: Iterable<string>): void {
    const list = [...paths];
    this.models.changed(list);
    this.folderIndexes.changed(list);
  }

  /** Confinement answers shared by every analysis while the file source says no file changes; undefined otherwise (one cache per analysis). */
  private stableConfinement(): ConfinementCache | undefined {
    return this.files.stable === true ? this.confinementCache : undefined;
  }

  private disposeParsed(parsed: ParsedFile): void {
    this.adapterOf(parsed).dispose(parsed);
  }

  dispose(): void {
    this.facts.clear();
    this.models.clear();
    this.folderIndexes.clear();
    this.goRunner.dispose();
    this.languages.close();
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

function emptyAnalysis(req: AnalyzeRequest, notices: Notice[]): FileAnalysis {
  return { path: req.path, kind: undefined, source: new SourceText(req.text), findings: [], notices, dependencies: [], rulesRun: [], dispose() {} };
}

/** Ends the steps early (their tree is freed) and reports the file as skipped for going over its budget. */
function stopped(steps: Generator<string, FileAnalysis, void>, req: AnalyzeRequest, overrun: BudgetOverrun): FileAnalysis {
  const result = emptyAnalysis(req, [{ file: req.path, reason: 'over-budget', message: overrun.message }]);
  steps.return(result);
  return result;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export type { DockerFile, K8sFile, GoFile, ParsedFile };

/** Kept here for hosts that imported it from the engine core. */
export { suggest } from '../core/suggest';
