// Shared helpers of the end-to-end suite. Everything here runs inside the VS Code extension host.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'shipshape.shipshape';
export const SOURCE = 'shipshape';

/** A line the harness prints (it prints only the suite's own lines). */
export function log(message: string): void {
  for (const line of message.split('\n')) console.log(`[e2e] ${line}`);
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri;
}

export function wsUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext;
}

/** Whether this build of the extension ships a rule (every rule ships its docs page; a test enforces it). */
export function hasRule(id: string): boolean {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  return ext !== undefined && fs.existsSync(path.join(ext.extensionPath, 'docs', 'rules', `${id}.md`));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it returns something other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown value: an Error (its toString) or a primitive
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function shipshapeDiagnostics(uri: vscode.Uri, ruleId?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri)
    .filter((d) => d.source === SOURCE && (ruleId === undefined || codeOf(d) === ruleId));
}

/** Waits until `uri` has exactly `count` diagnostics of `ruleId` and returns them (sorted by position). */
export async function diagnosticsOf(uri: vscode.Uri, ruleId: string, count: number, ms?: number): Promise<vscode.Diagnostic[]> {
  const found = await waitFor(`${count} ${ruleId} diagnostic(s) on ${path.basename(uri.path)}`, () => {
    const ds = shipshapeDiagnostics(uri, ruleId);
    return ds.length === count ? ds : undefined;
  }, ms).catch((e: unknown) => {
    const now = vscode.languages.getDiagnostics(uri).map((d) => `${d.source}:${codeOf(d)}@${d.range.start.line}`);
    throw new Error(`${e instanceof Error ? e.message : String(e)}; now: [${now.join(', ')}]`);
  });
  return found.sort((a, b) => a.range.start.compareTo(b.range.start));
}

export async function openEditor(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The range of the first occurrence of `text` in `doc` (offsets are UTF-16, as LSP positions are). */
export function rangeOf(doc: vscode.TextDocument, text: string, after = 0): vscode.Range {
  const at = doc.getText().indexOf(text, after);
  assert.ok(at >= 0, `${path.basename(doc.uri.path)} contains ${JSON.stringify(text)}`);
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
}

export function showRange(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** The docs link of a diagnostic must point at its rule's page (the released https page, or the bundled one, which must exist). */
export function assertDocsLink(d: vscode.Diagnostic, ruleId: string): void {
  const code = d.code;
  assert.ok(typeof code === 'object' && 'target' in code, `diagnostic ${ruleId} has a code with a docs target`);
  const target = code.target;
  assert.ok(target.path.endsWith(`/docs/rules/${ruleId}.md`), `docs link ${target.toString()} names docs/rules/${ruleId}.md`);
  if (target.scheme === 'file' || target.scheme === 'vscode-remote') {
    assert.ok(fs.existsSync(target.path), `docs page ${target.path} exists`);
  }
}

/** Shipshape's code actions at `range` (filtered by `kind`, e.g. quickfix or source.fixAll.shipshape). */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider', uri, range, kind) ?? [];
  // A bare Command has a string `command`; a CodeAction has a title and optionally an edit and a Command object.
  return all.filter((a): a is vscode.CodeAction => typeof (a as { command?: unknown }).command !== 'string')
    .filter((a) => a.kind === undefined || a.kind.value.startsWith(kind));
}

/**
 * An empty range inside `d` that no other Shipshape diagnostic covers. Findings may overlap (go/http-client-no-timeout
 * flags the `http.Get` of the call go/unclosed-body flags), and the editor asks for the actions of every diagnostic
 * at the cursor; a spot only `d` covers gets only `d`'s actions.
 */
export function ownSpot(uri: vscode.Uri, d: vscode.Diagnostic): vscode.Range {
  const others = shipshapeDiagnostics(uri).filter((o) => o !== d && !o.range.isEqual(d.range));
  const candidates = [d.range.end.translate(0, -1), d.range.start, d.range.end];
  const spot = candidates.find((p) => d.range.contains(p) && !others.some((o) => o.range.contains(p))) ?? d.range.start;
  return new vscode.Range(spot, spot);
}

/** Applies a code action the way the editor does: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `edit of "${action.title}" applied`);
  const args: unknown[] = action.command?.arguments ?? [];
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...args);
}

/** The command contributed with this title (ids are the extension's business; titles are what users see). */
export function commandTitled(title: RegExp): string {
  const pkg = extension().packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } };
  const cmd = (pkg.contributes?.commands ?? []).find((c) => title.test(`${c.category ? `${c.category}: ` : ''}${c.title}`));
  assert.ok(cmd, `the extension contributes a command titled ${title}`);
  return cmd.command;
}

/** The audit command ends with a summary message that stays until dismissed: dismiss until the command returns. */
export async function dismissUntilSettled<T>(run: Thenable<T>): Promise<T> {
  let settled = false;
  const done = Promise.resolve(run).finally(() => { settled = true; });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `settled` is set by the promise callback above, which the rule cannot see
  for (let i = 0; !settled && i < 240; i++) {
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.race([done, sleep(250)]);
  }
  return done;
}

// --- Requests to the harness (code-server runs only): it sees the workbench DOM, the extension host does not.

let requestSeq = 0;

export function harnessAvailable(): boolean {
  return Boolean(process.env.SHIPSHAPE_E2E_CHANNEL);
}

/** Asks run-e2e.mjs to do something in the browser (`statusbar`, `screenshot`, `watch`...) and waits for its reply. */
export async function harness<T>(op: string, params: Record<string, unknown> = {}, ms = 20_000): Promise<T> {
  const channel = process.env.SHIPSHAPE_E2E_CHANNEL;
  assert.ok(channel, 'running under run-e2e.mjs (SHIPSHAPE_E2E_CHANNEL)');
  const id = `${process.pid}-${++requestSeq}`;
  console.log(`[e2e:req] ${JSON.stringify({ id, op, ...params })}`);
  const file = path.join(channel, `${id}.json`);
  const reply = await waitFor(`the harness to answer ${op}`, () => fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')) as T & { error?: string }, ms);
  if (reply.error) throw new Error(`harness ${op}: ${reply.error}`);
  return reply;
}

export interface StatusItem { id: string; text: string; label: string }

export async function statusBarItems(): Promise<StatusItem[]> {
  return harness<StatusItem[]>('statusbar');
}

// --- Keeping the workspace pristine between tests.

const ignoredOnRestore = new Set(['.git']);

/**
 * Reverts and closes every editor, undoes the Shipshape settings a test changed, and makes the workspace on disk
 * equal to the checked-in test/e2e/workspace again (files rewritten, new files removed).
 */
export async function restoreWorkspace(): Promise<void> {
  const src = process.env.SHIPSHAPE_E2E_WORKSPACE_SRC;
  const root = workspaceRoot().fsPath;
  for (const doc of vscode.workspace.textDocuments) {
    // Only the workspace's files: the workbench may hold other documents (e.g. user settings) of its own.
    if (!doc.isDirty || doc.isUntitled || doc.uri.scheme !== 'file' || path.relative(root, doc.uri.fsPath).startsWith('..')) continue;
    // Put the pristine text back into the buffer and save it (the workspace is a scratch copy); a revert
    // command would depend on which editor is active.
    const pristine = src ? path.join(src, path.relative(root, doc.uri.fsPath)) : undefined;
    if (pristine && fs.existsSync(pristine)) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), fs.readFileSync(pristine, 'utf8'));
      await vscode.workspace.applyEdit(edit);
      await doc.save();
    } else {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const config = vscode.workspace.getConfiguration('shipshape');
  for (const key of ['rules', 'enable', 'run', 'exclude']) {
    if (config.inspect(key)?.workspaceValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
  if (src) syncDir(src, root);
}

function syncDir(from: string, to: string): void {
  const want = new Set(fs.readdirSync(from));
  for (const name of fs.readdirSync(to)) {
    if (!want.has(name) && !ignoredOnRestore.has(name)) fs.rmSync(path.join(to, name), { recursive: true, force: true });
  }
  for (const name of want) {
    const a = path.join(from, name);
    const b = path.join(to, name);
    if (fs.statSync(a).isDirectory()) {
      if (!fs.existsSync(b) || !fs.statSync(b).isDirectory()) {
        fs.rmSync(b, { recursive: true, force: true });
        fs.mkdirSync(b);
      }
      syncDir(a, b);
    } else {
      const content = fs.readFileSync(a);
      if (!fs.existsSync(b) || !fs.readFileSync(b).equals(content)) fs.writeFileSync(b, content);
    }
  }
}

/** The repository this suite was compiled from (out/test/e2e/suite -> root). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * Registers a test that needs a rule; when this build lacks the rule the test is held back (named in the
 * output), never registered as skipped: the suite stays green with what exists.
 */
export function itWithRules(ruleIds: string[], title: string, fn: (this: Mocha.Context) => Promise<void>): void {
  const missing = ruleIds.filter((id) => !hasRule(id));
  if (missing.length === 0) it(title, fn);
  else log(`held back (${missing.join(', ')} not in this build): ${title}`);
}
