import type { ConfigResolver } from './config/config';
import { discoverFiles, type CollectedFiles, type DiscoveryOptions } from './discovery';
import { readTextFile } from './disk';
import type { Engine, FileAnalysis } from './analyze';
import { documentKindOf } from './languages';
import { isCreateFile, resolveFixes, type Finding, type Notice } from '../core/finding';
import { resultOf } from '../core/analysis';
import { CONTENT_HASH } from './fact-store';
import { MODEL_FACTS } from './service-models';
import type { Analysis, FactOn } from '../core/analysis';
import { GO_SERVICE_FACTS } from '../workspace/service-model';
import { HTTPS_FACTS } from '../workspace/service-model/https-facts';

export type { CollectedFiles, DiscoveryOptions } from './discovery';

/** Every Go, Dockerfile and YAML file under `paths`, sorted (rules of the walk: discovery.ts). */
export function collectFiles(paths: readonly string[], config: ConfigResolver, options?: DiscoveryOptions): CollectedFiles {
  return discoverFiles(paths, config, options);
}

export interface AuditOptions {
  roots: readonly string[];
  config: ConfigResolver;
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
  /** Accumulates milliseconds per rule id (bench). */
  timings?: Map<string, number>;
  /**
   * Keep what each file's analysis read (`AuditedFile.dependencies`, for a
   * cache or the language server to know what re-runs a file); default true.
   * A plain audit does not need them: a file of a package of n files reads n,
   * so they grow as the square of a package's size.
   */
  dependencies?: boolean;
  /**
   * Record the service model's facts of each Go file from its own tree
   * (`MODEL_FACTS`); default: when the files hold a Dockerfile or a manifest
   * (the rules that read the model). Audit workers are told, since a batch of
   * Go packages holds none itself.
   */
  modelFacts?: boolean;
}

/** What the service model reads of a Go file, as workers share it (GO_SERVICE_FACTS requires the HTTPS evidence, which Dockerfile rules read too). */
export const MODEL_GO_FACTS: readonly Analysis<unknown, FactOn>[] = [HTTPS_FACTS, GO_SERVICE_FACTS];

/** Every fact kind the model and the rules that read it ask of every file: the model's own (Go, Dockerfile, manifest) and the HTTPS evidence. */
export const MODEL_KINDS: readonly Analysis<unknown, FactOn>[] = [...MODEL_FACTS, HTTPS_FACTS];

/** A Dockerfile or a manifest: a file whose rules read the service model (built from every Go file's facts). */
export function readsModel(file: string): boolean {
  const kind = documentKindOf(file);
  return kind !== undefined && kind !== 'go';
}

/** Does an audit of these files read the service model? Dockerfiles and manifests do. */
export function readsServiceModel(files: readonly string[]): boolean {
  return files.some(readsModel);
}

/**
 * What an audit keeps of a file it has finished: data only (findings with
 * their fixes resolved, notices, what the analysis read), never its tree or
 * its text. Output formats that show code re-read the file when they print.
 */
export interface AuditedFile {
  path: string;
  /** Kind of document, or undefined when Shipshape has nothing to say about the file. */
  kind: FileAnalysis['kind'];
  /** Content hash of the text analysed (core/content-hash.ts): the audit cache's key. */
  hash: string;
  findings: Finding[];
  notices: Notice[];
  dependencies: string[];
  rulesRun: string[];
}

/**
 * The data an audit keeps of a file's analysis (the analysis itself, with its
 * text, is dropped). `strings` keeps each text once across the audit
 * ({@link stringPool}); by default each is only made flat.
 */
export function auditedFile(a: FileAnalysis, hash: string, dependencies: string[] = a.dependencies, strings: (s: string) => string = flat): AuditedFile {
  return { path: a.path, kind: a.kind, hash, findings: a.findings.map((f) => compact(f, strings)), notices: a.notices, dependencies, rulesRun: a.rulesRun };
}

/**
 * A finding as an audit keeps it until the report: its strings flat (and
 * shared through `strings`). Messages and keys are built by concatenation,
 * and V8 keeps such a string as a tree of its pieces (several times its
 * characters), and a piece cut from a file's text (an identifier's
 * `node.text`) as a slice that holds the whole text, until something reads it
 * whole: a message naming a variable would keep its file's text alive.
 */
function compact(f: Finding, strings: (s: string) => string): Finding {
  const fixes = resolveFixes(f).map((fix) => ({ ...fix, title: strings(fix.title), edits: fix.edits.map((e) => (isCreateFile(e) ? e : { ...e, newText: strings(e.newText) })) }));
  const related = f.related?.map((r) => ({ ...r, message: strings(r.message) }));
  return { ...f, message: strings(f.message), key: flat(f.key), fixes, ...(related ? { related } : {}) };
}

function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * One flat string per distinct text for a whole audit: the same message, fix
 * title, inserted text or path reported by many files is kept once (a rule
 * reports the same words at thousands of sites of a large tree).
 */
export function stringPool(): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    const hit = known.get(s);
    if (hit !== undefined) return hit;
    const kept = flat(s);
    known.set(kept, kept);
    return kept;
  };
}

export interface AuditResult {
  files: string[];
  analyses: AuditedFile[];
  findings: Finding[];
  notices: Notice[];
  missing: string[];
  cancelled: boolean;
  durationMs: number;
}

/**
 * Audits files one at a time; no tree or text outlives its file's package
 * (facts stay in the engine's store). Go files first, a package's files
 * together (paths are sorted): the fact store keeps the trees it parsed for
 * the first file's questions about its siblings until each sibling is
 * analysed, so every Go file is parsed once. Then the service model is built
 * from the facts the Go files left (no Go file parsed again for it), then the
 * Dockerfiles and manifests. Results keep the order of `collected.files`.
 */
export function auditFiles(engine: Engine, collected: CollectedFiles, options: AuditOptions): AuditResult {
  const started = performance.now();
  const notices = [...collected.notices];
  let cancelled = false;
  const strings = stringPool();
  const isGo = (f: string): boolean => documentKindOf(f) === 'go';
  const order = [...collected.files.keys()].sort((a, b) => Number(!isGo(collected.files[a])) - Number(!isGo(collected.files[b])) || a - b);
  const needsModel = options.modelFacts ?? readsServiceModel(collected.files);
  // What the model reads of every Go file is recorded while each is analysed.
  if (needsModel) engine.facts.expectKinds(MODEL_KINDS);
  // Dockerfiles and manifests too: the service model parses them for its facts before their own analysis.
  engine.facts.awaitAnalysis(collected.files);
  const byIndex: (AuditedFile | undefined)[] = [];
  const fileNotices: (Notice[] | undefined)[] = [];
  let done = 0;
  let modelBuilt = !needsModel;
  try {
    for (const i of order) {
      const file = collected.files[i];
      if (options.isCancelled?.()) {
        cancelled = true;
        break;
      }
      if (!modelBuilt && !isGo(file)) {
        prebuildServiceModel(engine, options.roots);
        modelBuilt = true;
      }
      const read = readAuditedFile(file, options.config);
      if (read.text === undefined) {
        fileNotices[i] = [read.notice];
      } else {
        const analysis = engine.analyze({ path: file, text: read.text }, { config: options.config.forFile(file), roots: options.roots, timings: options.timings, audit: true });
        byIndex[i] = auditedFile(analysis, resultOf(CONTENT_HASH, analysis.source), options.dependencies === false ? [] : analysis.dependencies.map(strings), strings);
        fileNotices[i] = analysis.notices;
      }
      options.onProgress?.(++done, collected.files.length, file);
    }
  } finally {
    engine.facts.endAudit();
  }
  for (const n of fileNotices) if (n) notices.push(...n);
  const analyses = byIndex.filter((a): a is AuditedFile => a !== undefined);
  return auditResult(analyses, notices, collected.missing, cancelled, started);
}

/**
 * The service model is built on the first read (every Go file's facts): in an
 * audit with Dockerfiles or manifests, before the first of them, so that its
 * cost is not charged to that file's time budget (a large tree pushed it over,
 * and the file was skipped). A failure is left to the rule that reads the model.
 */
function prebuildServiceModel(engine: Engine, roots: readonly string[]): void {
  try {
    engine.models.modelFor(roots);
  } catch {
    // Reported by the rules that read it.
  }
}

/** A file's text as an audit reads it (size limit of its configuration), or the notice that says why it was skipped. */
export function readAuditedFile(file: string, config: ConfigResolver): { text: string } | { text: undefined; notice: Notice } {
  const read = readTextFile(file, config.maxFileSizeFor?.(file) ?? config.maxFileSize);
  if (read.text !== undefined) return { text: read.text };
  return { text: undefined, notice: { file, reason: read.reason === 'not-found' ? 'unreadable' : (read.reason ?? 'unreadable'), message: read.message ?? 'unreadable' } };
}

/** An {@link AuditResult} from analyses in file order (one thread, or merged from workers). */
export function auditResult(analyses: AuditedFile[], notices: Notice[], missing: string[], cancelled: boolean, started: number): AuditResult {
  return {
    files: analyses.filter((a) => a.kind !== undefined).map((a) => a.path),
    analyses,
    findings: analyses.flatMap((a) => a.findings),
    notices,
    missing,
    cancelled,
    durationMs: performance.now() - started,
  };
}
