// Drives a built Shipshape server over stdio as an editor does (client side of the protocol).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
// @ts-expect-error -- a plain .mjs module without types
import { bundleOptions } from '../../../scripts/bundle-options.mjs';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification,
  PublishDiagnosticsNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  ConfigurationRequest, RegistrationRequest, WorkDoneProgressCreateRequest, ShowDocumentRequest, LogMessageNotification,
  type ProtocolConnection, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent, type ClientCapabilities, type ProgressToken,
  type Registration,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));

/** dist/server.js, built by `node scripts/build.mjs` when missing (scripts/test.mjs builds first). */
export function builtServer(): string {
  const js = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(js)) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  return js;
}

let testBundle: Promise<string> | undefined;
/** The production server module bundled with the test registry (test/lsp/support/test-server.ts), like dist/server.js. */
export function testServer(): Promise<string> {
  testBundle ??= (async () => {
    fs.mkdirSync(path.join(ROOT, '.test-results'), { recursive: true });
    const outdir = fs.mkdtempSync(path.join(ROOT, '.test-results', 'lsp-server-'));
    await esbuild.build({
      ...bundleOptions, absWorkingDir: ROOT, entryPoints: { server: 'test/lsp/support/test-server.ts' }, outdir,
    });
    fs.copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), path.join(outdir, 'tree-sitter.wasm'));
    fs.copyFileSync(require.resolve('tree-sitter-go/tree-sitter-go.wasm'), path.join(outdir, 'tree-sitter-go.wasm'));
    return path.join(outdir, 'server.js');
  })();
  return testBundle;
}

/** Polls until `condition` holds (for effects that publish nothing, e.g. registrations). */
export async function until(condition: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ProgressEvent {
  token: ProgressToken;
  value: { kind: 'begin' | 'report' | 'end'; message?: string; percentage?: number; title?: string };
}

export interface StartOptions {
  folder: string;
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  docsRoot?: string;
  /** The server's cache home (XDG_CACHE_HOME: where its audit cache goes); default a folder under .test-results. */
  cacheHome?: string;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/** A temp workspace with the given files (relative path → text). */
export function makeWorkspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-ws-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    workspaceFolders: true,
  },
  textDocument: {
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
    synchronization: { didSave: true },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
};

export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly logs: string[] = [];
  readonly registrations: Registration[] = [];
  readonly shownDocuments: string[] = [];
  private waiters: (() => void)[] = [];
  settings: Record<string, unknown>;
  private readonly docs = new Map<string, TextDocument>();

  private constructor(
    readonly proc: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly folder: string,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(serverJs: string, options: StartOptions): Promise<LspClient> {
    const cacheHome = options.cacheHome ?? path.join(ROOT, '.test-results', 'lsp-cache');
    const proc = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[server stderr] ${d.toString()}`));
    // The server's stdio streams are always piped here.
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));  
    const client = new LspClient(proc, connection, options.folder, options.settings ?? {});
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      client.published.push(p);
      client.wake();
    });
    connection.onNotification(LogMessageNotification.method, (p: { message: string }) => {
      client.logs.push(p.message);
    });
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'shipshape' ? client.settings : null)));
    connection.onRequest(RegistrationRequest.type, (p) => {
      client.registrations.push(...p.registrations);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.method, () => null);
    connection.onRequest(ShowDocumentRequest.type, (p) => {
      client.shownDocuments.push(p.uri);
      return { success: true };
    });
    connection.onNotification('$/progress', (p: ProgressEvent) => {
      client.progress.push(p);
      client.wake();
    });
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by InitializeParams (null or a URI) and still read by servers without workspaceFolders
      rootUri: fileUri(options.folder),
      workspaceFolders: [{ uri: fileUri(options.folder), name: path.basename(options.folder) }],
      capabilities: options.capabilities ?? CAPABILITIES,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => { f(); });
  }

  /** Resolves with the first published diagnostics (from `since`) that satisfy `match`. */
  async waitFor(match: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10000, since = 0): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.published.slice(since).find(match);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics; got ${JSON.stringify(this.published.map((p) => [p.uri, p.version, p.diagnostics.length]))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Diagnostics for `uri` at `version` (or any version when omitted), published after index `since`. */
  diagnosticsFor(uri: string, version?: number, since = 0): Promise<PublishDiagnosticsParams> {
    return this.waitFor((p) => p.uri === uri && (version === undefined || p.version === version), 10000, since);
  }

  async open(filePath: string, text: string, languageId: string): Promise<string> {
    const uri = fileUri(filePath);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    return doc.getText();
  }

  version(uri: string): number {
    return this.docs.get(uri)?.version ?? 0;
  }

  /** Sends incremental changes, keeping the client's copy in sync; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /**
   * Sends many didChange notifications in ONE write, as an editor flushing a
   * burst of keystrokes does; returns the last version.
   */
  burst(uri: string, changes: TextDocumentContentChangeEvent[][]): number {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    const frames: Buffer[] = [];
    for (const contentChanges of changes) {
      const version = doc.version + 1;
      TextDocument.update(doc, contentChanges, version);
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges } }), 'utf8');
      frames.push(Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body);
    }
    this.proc.stdin?.write(Buffer.concat(frames));
    return doc.version;
  }

  /** Replaces the whole text through one incremental change covering the document. */
  async replaceText(uri: string, text: string): Promise<number> {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => { resolve(code); }));
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => { r(null); }, 5000))]);
    this.connection.dispose();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the process may have exited during the awaits above
    if (this.proc.exitCode === null) this.proc.kill();
    return code;
  }
}
