import type { CancellationToken, Diagnostic, WorkDoneProgressReporter } from 'vscode-languageserver';
import { auditedFile, collectFiles, readAuditedFile, type AuditedFile } from '../engine/audit';
import { AuditCache, cacheFileFor, cacheIdentity } from '../engine/audit-cache';
import type { Engine } from '../engine/analyze';
import { contentHash } from '../core/content-hash';
import { SourceText } from '../core/source-text';
import { codeIdentity } from '../host-shared/rule-docs';
import type { Notice, Severity } from '../core/finding';
import type { AuditParams, AuditSummary, SkippedFile } from '../host-shared/protocol';
import { diagnosticsOf, type OpenDocuments } from './documents';
import { foreignDiagnostics } from './cross-file';
import type { RuleDocsLinks } from '../host-shared/rule-docs';
import type { RuleMetaOf } from './diagnostics';
import type { Log } from './log';
import { pathToUri, uriToPath, type WorkspaceState } from './workspace-state';

/** Yield to the event loop this often, so progress goes out and cancellation comes in. */
const SLICE_MS = 25;

export interface AuditHost {
  readonly engine: Engine;
  readonly workspace: WorkspaceState;
  readonly documents: OpenDocuments;
  readonly log: Log;
  readonly docs: RuleDocsLinks;
  readonly metaOf: RuleMetaOf;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  publishForeign(sourcePath: string, byUri: ReadonlyMap<string, Diagnostic[]>): void;
}

/** What the audit knows about a file that is not open: it owns that file's diagnostics. */
interface Owned {
  path: string;
  dependencies: string[];
}

/**
 * The workspace audit (`shipshape/audit`) and the diagnostics it owns for files
 * that are not open. Files are analysed one at a time, never keeping trees;
 * open documents count with their live analysis.
 */
export class WorkspaceAudit {
  private readonly owned = new Map<string, Owned>();

  constructor(private readonly host: AuditHost) {}

  owns(uri: string): boolean {
    return this.owned.has(uri);
  }

  get hasRun(): boolean {
    return this.owned.size > 0;
  }

  ownedEntries(): [string, Owned][] {
    return [...this.owned.entries()];
  }

  async run(params: AuditParams, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<AuditSummary> {
    const started = performance.now();
    const folders = params.folders?.length ? params.folders.map(uriToPath) : this.host.workspace.folders;
    progress.begin('Shipshape audit', 0, 'collecting files', true);
    const jobs: { path: string; folder: string }[] = [];
    const skipped: SkippedFile[] = [];
    for (const folder of folders) {
      const { config } = await this.host.workspace.stateFor(folder);
      const collected = collectFiles([folder], config);
      for (const n of collected.notices) skipped.push(toSkipped(n));
      for (const file of collected.files) jobs.push({ path: file, folder });
    }
    const cache = this.openCache(folders);
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    const seen = new Set<string>();
    let files = 0;
    let cancelled = false;
    let sliceStart = performance.now();
    for (let i = 0; i < jobs.length; i++) {
      if (token.isCancellationRequested) {
        cancelled = true;
        break;
      }
      const { path: file } = jobs[i];
      const uri = pathToUri(file);
      seen.add(uri);
      const open = this.host.documents.isOpen(uri) ? await this.host.documents.current(uri) : undefined;
      if (open) {
        if (open.result.kind) files++;
        for (const f of open.result.findings) counts[f.severity]++;
      } else if (!this.host.documents.isOpen(uri)) {
        const outcome = await this.analyseFile(file, cache);
        if (outcome.analysed) files++;
        for (const n of outcome.notices) skipped.push(toSkipped(n));
        for (const d of outcome.diagnostics) counts[severityOf(d)]++;
      }
      if (performance.now() - sliceStart > SLICE_MS || i === jobs.length - 1) {
        progress.report(Math.round(((i + 1) / jobs.length) * 100), `${i + 1}/${jobs.length} files`);
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    if (!cancelled) this.saveCache(cache);
    if (!cancelled) {
      // Files a previous audit reported on that are gone now.
      for (const [uri] of this.ownedEntries()) {
        if (!seen.has(uri)) this.release(uri);
      }
    }
    progress.done();
    const summary: AuditSummary = { files, findings: counts, skipped, durationMs: Math.round(performance.now() - started), cancelled, reused: cache?.stats.reused ?? 0 };
    this.host.log.info(`audit: ${files} files, ${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos, ${skipped.length} skipped, ${summary.durationMs} ms${cancelled ? ' (cancelled)' : ''}`);
    return summary;
  }

  /**
   * The audit cache of these folders (the CLI's `--cache` store, in the user's
   * cache folder): the first audit after a restart re-analyses only what
   * changed. Undefined when it cannot be opened (the audit runs without it).
   */
  private openCache(folders: readonly string[]): AuditCache | undefined {
    try {
      const { cache, notice } = AuditCache.load(cacheFileFor(undefined, folders, 'lsp'), cacheIdentity(codeIdentity(), this.host.engine.rules));
      if (notice) this.host.log.info(notice);
      return cache;
    } catch (e) {
      this.host.log.info(`audit cache not used: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private saveCache(cache: AuditCache | undefined): void {
    if (!cache) return;
    try {
      cache.save();
      this.host.log.info(`audit cache: ${cache.stats.reused} file(s) reused, ${cache.stats.analysed} analysed`);
    } catch (e) {
      this.host.log.info(`could not write the audit cache ${cache.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Analyses an unopened file from disk (or takes its findings from the cache), publishes its diagnostics and takes ownership of them. */
  async analyseFile(file: string, cache?: AuditCache): Promise<{ analysed: boolean; diagnostics: Diagnostic[]; notices: Notice[] }> {
    const uri = pathToUri(file);
    const { config, settings } = await this.host.workspace.stateFor(file);
    if (!settings.enable) {
      this.release(uri);
      return { analysed: false, diagnostics: [], notices: [] };
    }
    const read = readAuditedFile(file, config);
    if (read.text === undefined) {
      this.release(uri);
      return { analysed: false, diagnostics: [], notices: [read.notice] };
    }
    const fileConfig = config.forFile(file);
    const hash = contentHash(read.text);
    // A cached entry vouches for the files on disk: not when one it read is open with edits the disk does not have.
    const hit = cache?.lookup(file, hash, fileConfig);
    let analysis: AuditedFile;
    if (hit && !hit.dependencies.some((d) => this.host.documents.isOpen(pathToUri(d)))) {
      analysis = hit;
    } else {
      analysis = auditedFile(this.host.engine.analyze({ path: file, text: read.text }, { config: fileConfig, roots: this.host.workspace.roots }), hash);
      cache?.store(analysis, fileConfig);
    }
    if (analysis.kind === undefined) {
      this.release(uri);
      return { analysed: false, diagnostics: [], notices: analysis.notices };
    }
    const withSource = { ...analysis, source: new SourceText(read.text), dispose() {} };
    const diagnostics = diagnosticsOf(withSource, this.host.docs, this.host.documents.lookup, this.host.metaOf);
    this.owned.set(uri, { path: file, dependencies: analysis.dependencies });
    this.host.publish(uri, diagnostics);
    this.host.publishForeign(file, foreignDiagnostics(withSource, this.host.docs, this.host.documents.lookup, this.host.metaOf));
    return { analysed: true, diagnostics, notices: analysis.notices };
  }

  /** Drops an audited file's diagnostics (deleted, excluded, or no longer ours). */
  release(uri: string): void {
    const owned = this.owned.get(uri);
    if (!owned || !this.owned.delete(uri)) return;
    if (!this.host.documents.isOpen(uri)) this.host.publishForeign(owned.path, new Map());
    if (!this.host.documents.isOpen(uri)) this.host.publish(uri, []);
  }
}

function severityOf(d: Diagnostic): Severity {
  return d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
}

function toSkipped(n: Notice): SkippedFile {
  return { uri: pathToUri(n.file), reason: n.reason, message: n.message };
}
