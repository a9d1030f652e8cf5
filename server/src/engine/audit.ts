import type { ConfigResolver } from './config/config';
import { discoverFiles, type CollectedFiles, type DiscoveryOptions } from './discovery';
import { readTextFile } from './disk';
import type { Engine, FileAnalysis } from './analyze';
import { documentKindOf } from './languages';
import { isCreateFile, resolveFixes, type Finding, type Notice } from '../core/finding';
import { contentHash } from '../core/content-hash';
import type { Analysis, FactOn } from '../core/analysis';
import { GO_SERVICE_FACTS, isModelFile } from '../workspace/service-model';
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
   * Store the service model's facts of each Go file from the tree the audit
   * parses anyway (see {@link MODEL_GO_FACTS}); default: when the files hold
   * a Dockerfile or a manifest (the rules that read the model). Audit workers
   * are told, since a batch of Go packages holds none itself.
   */
  modelFacts?: boolean;
}

/** What the service model reads of a Go file (its facts; GO_SERVICE_FACTS requires the HTTPS evidence, which Dockerfile rules read too). */
export const MODEL_GO_FACTS: readonly Analysis<unknown, FactOn>[] = [HTTPS_FACTS, GO_SERVICE_FACTS];

/** Does an audit of these files read the service model? Dockerfiles and manifests do. */
export function readsServiceModel(files: readonly string[]): boolean {
  return files.some((f) => { const kind = documentKindOf(f); return kind !== undefined && kind !== 'go'; });
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

/** The data an audit keeps of a file's analysis (the analysis itself, with its text, is dropped). */
export function auditedFile(a: FileAnalysis, hash: string, dependencies: string[] = a.dependencies): AuditedFile {
  return { path: a.path, kind: a.kind, hash, findings: a.findings.map(compact), notices: a.notices, dependencies, rulesRun: a.rulesRun };
}

/**
 * A finding as an audit keeps it until the report: its strings flat. Messages
 * and keys are built by concatenation, and V8 keeps such a string as a tree of
 * its pieces (several times its characters) until something reads it whole.
 */
function compact(f: Finding): Finding {
  const fixes = resolveFixes(f).map((fix) => ({ ...fix, title: flat(fix.title), edits: fix.edits.map((e) => (isCreateFile(e) ? e : { ...e, newText: flat(e.newText) })) }));
  return { ...f, message: flat(f.message), key: flat(f.key), fixes };
}

function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** One string object per distinct path: the files of a package list the same paths as dependencies. */
function interner(): (paths: readonly string[]) => string[] {
  const known = new Map<string, string>();
  return (paths) => paths.map((p) => {
    const hit = known.get(p);
    if (hit !== undefined) return hit;
    known.set(p, p);
    return p;
  });
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
 * Audits files one at a time; no tree or text outlives its file (facts stay
 * in the engine's store). When the service model is read, Go files go first
 * and leave the model's facts in the store from their own trees: the model is
 * then built from those facts, without parsing every Go file a second time.
 * Results come in the files' order either way.
 */
export function auditFiles(engine: Engine, collected: CollectedFiles, options: AuditOptions): AuditResult {
  const started = performance.now();
  const analyses: AuditedFile[] = [];
  const notices: Notice[] = [];
  let cancelled = false;
  const intern = interner();
  const modelFacts = options.modelFacts ?? readsServiceModel(collected.files);
  const order = modelFacts ? goFirst(collected.files) : collected.files;
  let modelBuilt = false;
  order.forEach((file, i) => {
    if (cancelled || options.isCancelled?.()) {
      cancelled = true;
      return;
    }
    const kind = documentKindOf(file);
    if (!modelBuilt && kind !== undefined && kind !== 'go') {
      prebuildServiceModel(engine, options.roots);
      modelBuilt = true;
    }
    const read = readAuditedFile(file, options.config);
    if (read.text === undefined) {
      notices.push(read.notice);
    } else {
      const facts = modelFacts && kind === 'go' && isModelFile(file) ? MODEL_GO_FACTS : undefined;
      const analysis = engine.analyze({ path: file, text: read.text }, { config: options.config.forFile(file), roots: options.roots, timings: options.timings, facts });
      analyses.push(auditedFile(analysis, contentHash(read.text), options.dependencies === false ? [] : intern(analysis.dependencies)));
      notices.push(...analysis.notices);
    }
    options.onProgress?.(i + 1, collected.files.length, file);
  });
  if (order !== collected.files) {
    const rank = new Map(collected.files.map((f, i) => [f, i]));
    const rankOf = (f: string): number => rank.get(f) ?? -1;
    analyses.sort((a, b) => rankOf(a.path) - rankOf(b.path));
    notices.sort((a, b) => rankOf(a.file) - rankOf(b.file));
  }
  return auditResult(analyses, [...collected.notices, ...notices], collected.missing, cancelled, started);
}

/** Go files first (stable): their trees leave the model's facts before a Dockerfile or manifest reads the model. */
function goFirst(files: readonly string[]): string[] {
  const go = files.filter((f) => documentKindOf(f) === 'go');
  return go.length === 0 || go.length === files.length ? [...files] : [...go, ...files.filter((f) => documentKindOf(f) !== 'go')];
}

/**
 * The service model is built on the first read: before the first Dockerfile
 * or manifest, so that its cost is not charged to that file's time budget (a
 * large tree pushed it over, and the file was skipped). A failure is left to
 * the rule that reads the model.
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
