import * as path from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver';
import { documentKindOf } from '../engine/languages';
import { isWithin } from '../engine/workspace';
import { ALWAYS_SKIPPED_DIRS } from '../engine/config/config';
import { CONFIG_FILE_NAMES } from '../engine/config/config-schema';
import type { Engine } from '../engine/analyze';
import type { OpenDocuments } from './documents';
import type { WorkspaceAudit } from './audit';
import type { Log } from './log';
import { pathToUri, uriToPath, type WorkspaceState } from './workspace-state';

/** Globs the server asks the client to watch: every input a rule or the config may read. */
export const WATCHED_GLOBS = ['**/*.go', '**/go.mod', '**/go.sum', '**/*Dockerfile*', '**/*Containerfile*', '**/.dockerignore', '**/*.{yaml,yml}', '**/.shipshape.yaml', '**/.shipshape.yml',
  // Build files the service model reads for its links (`docker build -t` lines).
  '**/{Makefile,GNUmakefile,makefile,justfile}', '**/*.{mk,sh}'];

/** Events arriving within this window (a git checkout sends many) are handled as one batch. */
const BATCH_MS = 100;

export interface WatchHost {
  readonly engine: Engine;
  readonly workspace: WorkspaceState;
  readonly documents: OpenDocuments;
  readonly audit: WorkspaceAudit;
  readonly log: Log;
  /** A `.shipshape.yaml` changed: cached config is gone, shown config problems are stale. */
  onConfigChanged(): void;
}

/**
 * `workspace/didChangeWatchedFiles`: forgets facts of changed files, reloads
 * config when a `.shipshape.yaml` changes, and re-analyses exactly the open
 * documents and audited files that read a changed path (or list its folder,
 * for creations and deletions).
 */
export class WatchedFiles {
  private pending = new Map<string, FileChangeType>();
  private timer: NodeJS.Timeout | undefined;
  /** Resolves when the current batch has been handled (tests and shutdown wait on it). */
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly host: WatchHost) {}

  onEvents(events: readonly FileEvent[]): void {
    for (const e of events) this.pending.set(uriToPath(e.uri), e.type);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush();
    }, BATCH_MS);
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const { engine, documents, audit, workspace, log } = this.host;
    log.info(`watched files: ${batch.size} change(s)`);
    let configChanged = false;
    for (const p of batch.keys()) {
      engine.facts.invalidate(p);
      if (CONFIG_FILE_NAMES.includes(path.basename(p))) configChanged = true;
    }
    engine.filesChanged(batch.keys());
    if (configChanged) {
      workspace.invalidate();
      this.host.onConfigChanged();
      documents.scheduleAll();
    }
    const listingChanged = (type: FileChangeType): boolean => type !== FileChangeType.Changed;
    for (const [p, type] of batch) {
      if (!configChanged) documents.scheduleDependents(p, listingChanged(type), 0);
    }
    const redo = new Set<string>();
    for (const [uri, owned] of audit.ownedEntries()) {
      if (configChanged) redo.add(owned.path);
      if (batch.get(owned.path) === FileChangeType.Deleted) {
        audit.release(uri);
        redo.delete(owned.path);
        continue;
      }
      if (batch.has(owned.path)) redo.add(owned.path);
      for (const [p, type] of batch) {
        const dir = path.dirname(p);
        if (owned.dependencies.includes(p) || (listingChanged(type) && owned.dependencies.includes(dir))) redo.add(owned.path);
      }
    }
    if (audit.hasRun) {
      // New files inside the workspace join the audit's view.
      for (const [p, type] of batch) {
        if (type !== FileChangeType.Created || !documentKindOf(p)) continue;
        const folder = workspace.folders.find((f) => isWithin(p, f));
        if (folder && !path.relative(folder, p).split(path.sep).some((part) => ALWAYS_SKIPPED_DIRS.has(part))) redo.add(p);
      }
    }
    for (const file of redo) {
      if (documents.isOpen(pathToUri(file))) continue;
      const { config } = await workspace.stateFor(file);
      if (config.isExcluded(file)) audit.release(pathToUri(file));
      else await audit.analyseFile(file);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async settled(): Promise<void> {
    await this.flushing;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
