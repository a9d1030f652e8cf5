import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine, FileAnalysis } from '../engine/analyze';
import type { TextChange } from '../engine/incremental';
import type { DocumentStore } from './document-store';
import type { DiskFileSource } from '../engine/disk';
import { SourceText } from '../core/source-text';
import { toDiagnostic, type RuleMetaOf, type SourceLookup } from './diagnostics';
import { foreignDiagnostics } from './cross-file';
import type { RuleDocsLinks } from '../host-shared/rule-docs';
import type { Log } from './log';
import { uriToPath, type WorkspaceState } from './workspace-state';
import type { VersionLedger } from './transport/transport';

/** Quiet time after the last keystroke before a document is analysed: a burst of changes yields one analysis. */
export const CHANGE_DEBOUNCE_MS = 50;
/** Delay before re-analysing open documents that read a document that just changed (package siblings). */
export const DEPENDENT_DEBOUNCE_MS = 300;

/** The analysis of one version of an open document; its parsed tree stays alive for lazy fixes until replaced. */
export interface DocAnalysis {
  uri: string;
  version: number;
  result: FileAnalysis;
}

interface DocState {
  uri: string;
  path: string;
  /** Bumped on every schedule: a run that sees a newer generation gives up (a newer version supersedes it). */
  generation: number;
  timer?: NodeJS.Timeout;
  latest?: DocAnalysis;
  /** Changes since `latest`'s text, for the next (incremental) analysis. */
  pending: TextChange[];
  /** The analysis under way (it yields between rules): a request for its version waits for it instead of restarting it. */
  running?: { version: number; done: Promise<void> };
}

export interface DocumentHost {
  readonly documents: DocumentStore;
  readonly engine: Engine;
  readonly files: DiskFileSource;
  readonly workspace: WorkspaceState;
  readonly log: Log;
  readonly docs: RuleDocsLinks;
  readonly metaOf: RuleMetaOf;
  readonly ledger: VersionLedger;
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  /** What a file's analysis found in other files (cross-file findings), published into those files. */
  publishForeign(sourcePath: string, byUri: ReadonlyMap<string, Diagnostic[]>): void;
  setBusy(uri: string, busy: boolean): void;
}

/** Converts an analysis to the diagnostics of its own file (cross-file findings go out with {@link foreignDiagnostics}). */
export function diagnosticsOf(result: FileAnalysis, docs: RuleDocsLinks, lookup: SourceLookup, metaOf?: RuleMetaOf): Diagnostic[] {
  return result.findings.filter((f) => f.file === result.path).map((f) => toDiagnostic(f, result.source, docs, lookup, metaOf));
}

/**
 * Open documents and their analyses. Every change bumps a generation and
 * (re)starts a debounce timer; a run that finds a newer generation or version
 * gives up, so only the last version of a burst is analysed and published,
 * and no result for an older version is ever published.
 */
export class OpenDocuments {
  private readonly states = new Map<string, DocState>();

  constructor(private readonly host: DocumentHost) {}

  readonly lookup: SourceLookup = (filePath) => {
    const text = this.host.files.readText(filePath);
    return text === undefined ? undefined : new SourceText(text);
  };

  uris(): string[] {
    return [...this.states.keys()];
  }

  isOpen(uri: string): boolean {
    return this.states.has(uri);
  }

  latest(uri: string): DocAnalysis | undefined {
    return this.states.get(uri)?.latest;
  }

  opened(doc: TextDocument): void {
    const state: DocState = { uri: doc.uri, path: uriToPath(doc.uri), generation: 0, pending: [] };
    this.states.set(doc.uri, state);
    this.host.files.setOverlay(state.path, doc.getText(), doc.version);
    this.host.engine.filesChanged([state.path]);
    this.schedule(doc.uri, 0);
  }

  async changed(doc: TextDocument, changes: readonly TextChange[]): Promise<void> {
    const state = this.states.get(doc.uri);
    if (!state) return;
    state.pending.push(...changes);
    this.host.files.setOverlay(state.path, doc.getText(), doc.version);
    this.host.engine.filesChanged([state.path]);
    const { settings } = await this.host.workspace.stateFor(state.path);
    if (settings.run === 'onType') this.schedule(doc.uri, CHANGE_DEBOUNCE_MS);
    this.scheduleDependents(state.path);
  }

  async saved(doc: TextDocument): Promise<void> {
    const state = this.states.get(doc.uri);
    if (!state) return;
    const { settings } = await this.host.workspace.stateFor(state.path);
    if (settings.run === 'onSave') this.schedule(doc.uri, 0);
  }

  /** Forgets a closed document; returns its path. The caller decides whether its diagnostics stay (audit). */
  closed(uri: string): string | undefined {
    const state = this.states.get(uri);
    if (!state) return undefined;
    this.cancel(state);
    this.host.setBusy(uri, false);
    state.latest?.result.dispose();
    this.states.delete(uri);
    this.host.files.clearOverlay(state.path);
    this.host.engine.facts.invalidate(state.path);
    this.host.engine.filesChanged([state.path]);
    this.host.publishForeign(state.path, new Map());
    return state.path;
  }

  /** Re-analyses open documents that read `changedPath` (or list its folder, when `listing`). */
  scheduleDependents(changedPath: string, listing = false, delay = DEPENDENT_DEBOUNCE_MS): void {
    const dir = changedPath.slice(0, Math.max(changedPath.lastIndexOf('/'), changedPath.lastIndexOf('\\')));
    for (const state of this.states.values()) {
      if (state.path === changedPath) continue;
      const deps = state.latest?.result.dependencies ?? [];
      if (deps.includes(changedPath) || (listing && deps.includes(dir))) this.schedule(state.uri, delay);
    }
  }

  scheduleAll(delay = 0): void {
    for (const uri of this.states.keys()) this.schedule(uri, delay);
  }

  schedule(uri: string, delay: number): void {
    const state = this.states.get(uri);
    if (!state) return;
    this.cancel(state);
    state.generation++;
    this.host.setBusy(uri, true);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(state, state.generation);
    }, delay);
  }

  private cancel(state: DocState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
  }

  /**
   * The analysis of the document's current version, computing it now if the
   * latest is older (code actions need it). Undefined when analysis is off.
   */
  async current(uri: string): Promise<DocAnalysis | undefined> {
    const state = this.states.get(uri);
    const doc = this.host.documents.get(uri);
    if (!state || !doc) return undefined;
    if (state.latest?.version === doc.version) return state.latest;
    if (state.running?.version === doc.version) {
      await state.running.done;
      if (state.latest?.version === doc.version) return state.latest;
    }
    this.cancel(state);
    state.generation++;
    await this.run(state, state.generation, true);
    return state.latest?.version === doc.version ? state.latest : undefined;
  }

  private async run(state: DocState, generation: number, evenIfSuperseded = false): Promise<void> {
    try {
      const doc = this.host.documents.get(state.uri);
      if (!doc) return;
      const version = doc.version;
      // A newer version is read but not yet handled: its change will schedule the run that publishes.
      if (!evenIfSuperseded && this.host.ledger.isSuperseded(state.uri, version)) return;
      const folder = await this.host.workspace.stateFor(state.path);
      // A newer change arrived while settings were read: its own run will publish.
      if (state.generation !== generation || this.states.get(state.uri) !== state || this.host.documents.get(state.uri)?.version !== version) return;
      if (!folder.settings.enable || folder.config.isExcluded(state.path)) {
        this.replace(state, undefined);
        this.host.publish(state.uri, [], version);
        this.host.publishForeign(state.path, new Map());
        return;
      }
      const text = doc.getText();
      const started = performance.now();
      if (text.length > folder.config.maxFileSize) {
        this.host.log.info(`skipped ${state.path}: ${text.length} characters is over the maxFileSize limit`);
        this.replace(state, undefined);
        this.host.publish(state.uri, [], version);
        return;
      }
      // The engine takes the previous analysis (it re-parses Go incrementally) and disposes it.
      const previous = state.latest ? { analysis: state.latest.result, changes: state.pending } : undefined;
      state.latest = undefined;
      state.pending = [];
      // Yields between rules so hover, code actions and cancellation are answered meanwhile; a version
      // superseded (or a document closed) during the analysis abandons it: the newer run publishes.
      const stale = (): boolean => state.generation !== generation || this.states.get(state.uri) !== state || this.host.documents.get(state.uri)?.version !== version;
      const analysis = this.host.engine.analyzeAsync(
        { path: state.path, text, languageId: doc.languageId, version: `open:${version}` },
        { config: folder.config.forFile(state.path), roots: this.host.workspace.roots, keepParsed: true, previous },
        { stale },
      );
      const running = { version, done: analysis.then(() => undefined, () => undefined) };
      state.running = running;
      const result = await analysis;
      if (state.running === running) state.running = undefined;
      if (!result) return;
      if (stale()) {
        result.dispose();
        return;
      }
      for (const n of result.notices) this.host.log.info(`${n.file}: ${n.message}`);
      state.latest = { uri: state.uri, version, result };
      this.host.publish(state.uri, diagnosticsOf(result, this.host.docs, this.lookup, this.host.metaOf), version);
      this.host.publishForeign(state.path, foreignDiagnostics(result, this.host.docs, this.lookup, this.host.metaOf));
      this.host.log.debug(`analysed ${state.path} v${version} in ${(performance.now() - started).toFixed(1)} ms: ${result.findings.length} finding(s)`);
    } catch (e) {
      this.host.log.error(`analysis of ${state.path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      if (state.generation === generation) this.host.setBusy(state.uri, false);
    }
  }

  /** Keeps the new analysis and frees the tree of the one it replaces. */
  private replace(state: DocState, next: DocAnalysis | undefined): void {
    if (state.latest && state.latest !== next) state.latest.result.dispose();
    state.latest = next;
    state.pending = [];
  }

  dispose(): void {
    for (const uri of [...this.states.keys()]) this.closed(uri);
  }
}
