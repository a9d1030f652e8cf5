import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SHOW_DOCS_COMMAND, STATUS_METHOD, type StatusParams } from '../../server/src/host-shared/protocol';
import { auditWorkspace } from './audit';
import { createConfiguration } from './create-configuration';
import { fixAllInFile } from './fix-all';
import { turnOnFixAllOnSave } from './fix-on-save';
import { showRuleDocs, showRules } from './rule-docs';
import { RestartPolicy } from './restart-policy';
import { countDiagnostics, statusView } from './status';
import { ServiceMapTree, showServiceMap } from './service-map';

/**
 * A thin client (as vscode-eslint's): starts the bundled server over IPC,
 * registers the commands, shows a status bar item and restarts a crashed
 * server a bounded number of times. Everything else is the server's.
 */
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Shipshape', { log: true });
  const policy = new RestartPolicy();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['go', 'dockerfile', 'yaml'].flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    diagnosticCollectionName: 'shipshape',
    // In an untrusted workspace the server reads Go dependencies only from vendor/, not the module cache.
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    outputChannel: output,
    // Settings are pulled per folder (workspace/configuration); this makes the client announce changes.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- only used to make the client send didChangeConfiguration; values are still pulled
    synchronize: { configurationSection: 'shipshape' },
    // The hover's "Open offline" link runs this one command, nothing else.
    markdown: { isTrusted: { enabledCommands: [SHOW_DOCS_COMMAND] } },
    middleware: {
      // VS Code previews the bundled page itself (other editors get the server's window/showDocument).
      executeCommand: (command, args, next): unknown => (command === SHOW_DOCS_COMMAND ? showRuleDocs(context.extensionUri, args) : next(command, args)),
    },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const restart = policy.onCrash(Date.now());
        return { action: restart ? CloseAction.Restart : CloseAction.DoNotRestart, message: policy.describe(restart) };
      },
    },
  };
  const lc = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  client = lc;

  const status = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Shipshape';
  let state: StatusParams['state'] | 'starting' | 'stopped' = 'starting';
  const render = (): void => {
    const severities: number[] = [];
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const d of diagnostics) if (d.source === 'shipshape') severities.push(d.severity + 1);
    }
    const view = statusView(state, countDiagnostics(severities));
    status.text = view.text;
    status.tooltip = view.tooltip;
    status.backgroundColor = view.background ? new vscode.ThemeColor(view.background) : undefined;
    status.command = view.command;
    status.show();
  };
  render();

  const serviceMap = new ServiceMapTree();
  context.subscriptions.push(
    output,
    status,
    serviceMap,
    vscode.window.registerTreeDataProvider('shipshape.serviceMap', serviceMap),
    vscode.commands.registerCommand('shipshape.showServiceMap', () => showServiceMap(lc, serviceMap)),
    vscode.languages.onDidChangeDiagnostics(render),
    // The server learns trust at start-up: restart it so that it may read the module cache.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (lc.isRunning()) void lc.restart();
    }),
    lc.onDidChangeState((e) => {
      state = e.newState === State.Running ? 'idle' : e.newState === State.Starting ? 'starting' : 'stopped';
      render();
    }),
    vscode.commands.registerCommand('shipshape.auditWorkspace', () => auditWorkspace(lc)),
    vscode.commands.registerCommand('shipshape.showOutput', () => { output.show(true); }),
    vscode.commands.registerCommand('shipshape.createConfiguration', () => createConfiguration()),
    vscode.commands.registerCommand('shipshape.fixAllInFile', () => fixAllInFile()),
    vscode.commands.registerCommand('shipshape.showRules', () => showRules(context.extensionUri)),
    vscode.commands.registerCommand('shipshape.turnOnFixAllOnSave', () => turnOnFixAllOnSave()),
    vscode.commands.registerCommand('shipshape.restartServer', async () => {
      policy.reset();
      // After the restart policy gave up (or a start failed) there is nothing to stop: start it again.
      if (lc.isRunning()) await lc.restart();
      else await lc.start();
    }),
    { dispose: () => void lc.stop() },
  );
  await lc.start();
  context.subscriptions.push(
    lc.onNotification(STATUS_METHOD, (p: StatusParams) => {
      state = p.state;
      render();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
