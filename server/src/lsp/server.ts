import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, TextDocumentSyncKind,
  type CancellationToken, type ClientCapabilities, type Diagnostic, type CodeAction, type Connection, type InitializeResult, type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { Engine } from '../engine/analyze';
import { goEngineOptions } from '../host-shared/go-env';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/config/config';
import { DiskFileSource } from '../engine/disk';
import type { AnyRule } from '../engine/rule';
import { AUDIT_METHOD, SERVICE_MAP_METHOD, SHOW_DOCS_COMMAND, STATUS_METHOD, type AuditParams, type AuditSummary, type ServiceMapParams, type ServiceMapResult, type StatusParams } from '../host-shared/protocol';
import { ServiceModelStore } from '../workspace/service-model';
import { diskModelSource } from '../workspace/service-model/host';
import { mapView } from '../workspace/service-model/render';
import { WorkspaceAudit } from './audit';
import { FIX_ALL_KIND, quickFixes, toTextEdits, wantsFixAll, type ActionContext, type EditCapabilities } from './code-actions';
import { findDocsRoot, ruleMetaOf } from './diagnostics';
import { hoverAt } from './hover';
import { isOwnDocsUri, packageInfo, ruleDocsLinks } from '../host-shared/rule-docs';
import { OpenDocuments, type DocAnalysis } from './documents';
import { minimalEdits } from './minimal-edits';
import { fixAll, engineFixTarget } from '../engine/fixes';
import { DocumentStore } from './document-store';
import { editScope } from './edit-scope';
import { Log } from './log';
import type { ConfigProvider } from './settings';
import { nearestConfigProvider } from './config-provider';
import { ConfigProblems } from './config-problems';
import { WATCHED_GLOBS, WatchedFiles } from './watched-files';
import { WorkspaceState, pathToUri, uriToPath } from './workspace-state';
import { VersionLedger } from './transport/transport';
import { PublishedDiagnostics } from './cross-file';

export interface ServerOptions {
  /** The rule registry: `RULES` in production, a small test registry in protocol tests. */
  rules: readonly AnyRule[];
  /** Builds each folder's config from settings (the `.shipshape.yaml` seam); default: settings only. */
  configProvider?: ConfigProvider;
  /** Folder of the rule docs pages; default: the bundled `docs/rules`. */
  docsRoot?: string;
  /** Versions the transport has read ahead of processing (see transport.ts); optional. */
  ledger?: VersionLedger;
}

const NO_PROGRESS: WorkDoneProgressReporter = { begin() {}, report() {}, done() {} };

/**
 * Wires the Shipshape language server onto a connection and starts listening.
 * The LSP shell only translates: analysis is the engine's, per document.
 */
export function startServer(connection: Connection, options: ServerOptions): void {
  const log = new Log(connection);
  // Every document's diagnostics are its own plus what other files' analyses found in it (cross-file.ts).
  const published = new PublishedDiagnostics((uri, diagnostics, version) => {
    void connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  });
  const publish = (uri: string, diagnostics: Diagnostic[], version?: number): void => {
    published.publish(uri, diagnostics, version);
  };
  const publishForeign = (sourcePath: string, byUri: ReadonlyMap<string, Diagnostic[]>): void => {
    published.setForeign(sourcePath, byUri);
  };
  const documents = new DocumentStore();
  const pkg = packageInfo();
  const docs = ruleDocsLinks(pkg, options.docsRoot ?? findDocsRoot());
  const metaOf = ruleMetaOf(options.rules);
  const files = new DiskFileSource(DEFAULT_MAX_FILE_SIZE);
  const configProblems = new ConfigProblems(publish, log);
  const workspace = new WorkspaceState(connection, options.rules, options.configProvider ?? nearestConfigProvider(options.rules, (p) => { configProblems.report(p); }), log);
  let caps: ClientCapabilities = {};
  let editCaps: EditCapabilities = { documentChanges: false, createFiles: false };
  let engine: Engine | undefined;
  let open: OpenDocuments | undefined;
  let audit: WorkspaceAudit | undefined;
  let watched: WatchedFiles | undefined;
  const busy = new Set<string>();
  let lastStatus: StatusParams['state'] | undefined;

  const sendStatus = (): void => {
    const state: StatusParams['state'] = busy.size > 0 ? 'analysing' : 'idle';
    if (state === lastStatus) return;
    lastStatus = state;
    void connection.sendNotification(STATUS_METHOD, { state } satisfies StatusParams);
  };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const given = params.capabilities as ClientCapabilities | undefined;
    caps = given ?? {};
    const wsEdit = caps.workspace?.workspaceEdit;
    editCaps = { documentChanges: wsEdit?.documentChanges === true, createFiles: wsEdit?.resourceOperations?.includes('create') === true };
    workspace.canPullConfiguration = caps.workspace?.configuration === true;
    // Clients that cannot answer workspace/configuration may pass settings here (Helix's `config`).
    const init = params.initializationOptions as { shipshape?: unknown; workspaceTrusted?: unknown } | null | undefined;
    if (init && typeof init === 'object' && init.shipshape !== undefined) workspace.pushedSettings = init.shipshape;
    // VS Code's client says whether the workspace is trusted (and restarts the server when trust is granted).
    const trusted = !(init && typeof init === 'object' && init.workspaceTrusted === false);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- rootUri is the only folder a client without workspaceFolders sends
    workspace.setFolders(params.workspaceFolders, params.rootUri);
    const created = await Engine.create(options.rules, files, goEngineOptions(trusted));
    engine = created;
    open = new OpenDocuments({
      documents, engine: created, files, workspace, log, docs, metaOf, publish, publishForeign, ledger: options.ledger ?? new VersionLedger(),
      setBusy: (uri, isBusy) => {
        if (isBusy) busy.add(uri);
        else busy.delete(uri);
        sendStatus();
      },
    });
    audit = new WorkspaceAudit({ engine: created, workspace, documents: open, log, docs, metaOf, publish, publishForeign });
    watched = new WatchedFiles({ engine: created, workspace, documents: open, audit, log, onConfigChanged: () => { configProblems.clear(); } });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        executeCommandProvider: { commands: [SHOW_DOCS_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'shipshape', version: pkg.version },
    };
  });

  connection.onInitialized(() => {
    if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    } else {
      log.info('the client cannot watch files for the server: changes on disk are seen when documents change');
    }
    if (caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
    }
    if (caps.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const current = workspace.folders.map((f) => ({ uri: pathToUri(f), name: f }));
        const removed = new Set(e.removed.map((f) => f.uri));
        workspace.setFolders([...current.filter((f) => !removed.has(f.uri)), ...e.added]);
        open?.scheduleAll();
      });
    }
    log.info(`shipshape language server ready: ${options.rules.length} rules, folders: ${workspace.folders.join(', ') || '(none)'}`);
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = (change.settings as { shipshape?: unknown } | null)?.shipshape;
    if (settings !== undefined) workspace.pushedSettings = settings;
    workspace.invalidate();
    configProblems.clear();
    open?.scheduleAll();
    if (audit) void refreshAudited(audit);
  });

  const refreshAudited = async (a: WorkspaceAudit): Promise<void> => {
    for (const [, owned] of a.ownedEntries()) await a.analyseFile(owned.path);
  };

  documents.listen(connection, {
    opened: (doc) => open?.opened(doc),
    changed: (doc, changes) => void open?.changed(doc, changes),
    saved: (doc) => void open?.saved(doc),
    rejected: (uri, why) => { log.error(`didChange for ${uri} rejected, nothing applied: ${why}`); },
    closed: (doc) => {
      const closedPath = open?.closed(doc.uri);
      options.ledger?.forget(doc.uri);
      if (closedPath === undefined) return;
      if (audit?.owns(doc.uri)) void audit.analyseFile(closedPath);
      else publish(doc.uri, []);
    },
  });

  connection.onCodeAction(async (params) => {
    if (!open || !engine) return [];
    const current = await open.current(params.textDocument.uri);
    if (!current) return [];
    const mayEdit = editScope(workspace.folders, { path: current.result.path, uri: current.uri });
    const ctx: ActionContext = { uri: current.uri, version: current.version, analysis: current.result, docs, lookup: open.lookup, caps: editCaps, mayEdit };
    const actions = quickFixes(params, ctx);
    if (wantsFixAll(params)) {
      const editable = mayEdit(current.result.path);
      if (!editable) log.info(`fix-all ${current.result.path}: skipped, its real path lies outside the workspace folders`);
      const fixAll = editable ? await fixAllAction(engine, current) : undefined;
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  });

  connection.onHover(async (params) => {
    const current = await open?.current(params.textDocument.uri);
    return current && open ? hoverAt(current.result, params.position, docs, metaOf, open.lookup) ?? null : null;
  });

  const fixAllAction = async (eng: Engine, current: DocAnalysis): Promise<CodeAction | undefined> => {
    const filePath = current.result.path;
    const { config } = await workspace.stateFor(filePath);
    const doc = documents.get(current.uri);
    const text = current.result.source.text;
    const fixed = fixAll(engineFixTarget(eng, { path: filePath, text, languageId: doc?.languageId }, { config: config.forFile(filePath), roots: workspace.roots }));
    if (fixed.dropped) log.info(`fix-all ${filePath}: ${fixed.dropped}`);
    log.debug(`fix-all ${filePath}: ${fixed.applied.length} fix(es) in ${fixed.passes} pass(es)`);
    if (fixed.text === text) return undefined;
    const edits = toTextEdits(current.result.source, minimalEdits(text, fixed.text));
    return { title: 'Fix all safe Shipshape problems', kind: FIX_ALL_KIND, edit: { documentChanges: [{ textDocument: { uri: current.uri, version: current.version }, edits }] } };
  };

  connection.onExecuteCommand(async (params) => {
    if (params.command !== SHOW_DOCS_COMMAND) return;
    const uri: unknown = params.arguments?.[0];
    if (typeof uri !== 'string') return;
    if (!isOwnDocsUri(uri, docs, options.rules.map((r) => r.id))) {
      log.warn(`docs: refused to open ${JSON.stringify(uri.slice(0, 200))}: not a Shipshape rule page`);
      return;
    }
    if (caps.window?.showDocument?.support) await connection.window.showDocument({ uri, takeFocus: true });
    else log.warn(`docs: ${uri}`);
  });

  connection.onRequest(AUDIT_METHOD, async (params: AuditParams, token: CancellationToken): Promise<AuditSummary> => {
    if (!audit) throw new Error('the server is not initialized');
    let reporter = NO_PROGRESS;
    let cancel = token;
    if (params.workDoneToken !== undefined) reporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
    else if (caps.window?.workDoneProgress) {
      const created = await connection.window.createWorkDoneProgress();
      reporter = created;
      cancel = { get isCancellationRequested() { return token.isCancellationRequested || created.token.isCancellationRequested; }, onCancellationRequested: token.onCancellationRequested };
    }
    return audit.run(params, cancel, reporter);
  });

  connection.onRequest(SERVICE_MAP_METHOD, (params: ServiceMapParams | null | undefined) => {
    if (!engine) throw new Error('the server is not initialized');
    // Open buffers first (the file source's overlays); facts from the engine's store, computed once per content.
    const folders = params?.folders?.map(uriToPath) ?? workspace.roots;
    // The engine's model of these folders (the one rules read), brought up to date with every change seen so far.
    const model = engine.models.modelFor(folders)?.model ?? new ServiceModelStore(diskModelSource(folders, files, engine.facts)).build();
    return mapView(model, folders, (p) => files.readText(p)) satisfies ServiceMapResult;
  });

  connection.onShutdown(async () => {
    await watched?.settled();
    watched?.dispose();
    open?.dispose();
    engine?.dispose();
    engine = undefined;
  });

  connection.onDidChangeWatchedFiles((params) => watched?.onEvents(params.changes));

  connection.listen();
}
