// Malformed base-protocol framing ends the server (the client restarts it) instead of leaving it alive but
// deaf; an invalid didChange is rejected whole and the document stays in sync (issue 26, items 4-5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { builtServer } from './support/client';
import { FramingGuard } from '../../server/src/lsp/transport/framing';
import { DocumentStore, invalidChange } from '../../server/src/lsp/document-store';

const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const INITIALIZE = frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
const VALID = JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} });

const CASES: Record<string, string> = {
  'missing Content-Length': `Content-Type: application/json\r\n\r\n${VALID}`,
  'negative Content-Length': `Content-Length: -5\r\n\r\n${VALID}`,
  'short Content-Length': `Content-Length: 7\r\n\r\n${VALID}`,
  'truncated body': `Content-Length: 500\r\n\r\n${VALID}`,
  'garbage bytes': '\u0000\u0001\u00ffnot a header at all\r\n\r\n{}',
};

for (const [name, bytes] of Object.entries(CASES)) {
  test(`framing: ${name} ends the server with a message, never a stall`, async () => {
    const child = spawn(process.execPath, [builtServer(), '--stdio'], { env: { ...process.env, SHIPSHAPE_LSP_PARTIAL_TIMEOUT_MS: '300' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
    child.stdin.write(INITIALIZE);
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.write(bytes); // the pipe stays open: a server that waits would wait forever
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // generous: a loaded machine starts the server slowly; a stalled one never exits
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 1, `exit code (stderr: ${stderr})`);
    assert.match(stderr, /malformed LSP message/);
  });
}

test('framing guard: valid messages split anywhere pass; a violation is reported once', () => {
  const problems: string[] = [];
  const guard = new FramingGuard((why) => problems.push(why), 60_000);
  const out: Buffer[] = [];
  guard.on('data', (c: Buffer) => out.push(c));
  const stream = frame('{"a":1}') + frame('{"é":"🚀"}') + frame('{}');
  const bytes = Buffer.from(stream);
  for (let i = 0; i < bytes.length; i += 3) guard.write(bytes.subarray(i, i + 3));
  assert.deepEqual(problems, []);
  assert.equal(Buffer.concat(out).toString(), stream, 'bytes pass through unchanged');
  guard.write('Content-Length: x\r\n\r\n');
  guard.write('Content-Length: y\r\n\r\n');
  assert.equal(problems.length, 1);
  assert.match(problems[0], /invalid Content-Length/);
  guard.destroy();
});

test('didChange: range null, a missing text or a bad version is rejected whole; the document is unchanged', () => {
  assert.match(invalidChange(2, [{ range: null, text: 'x' }]) ?? '', /invalid range/);
  assert.match(invalidChange(2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }]) ?? '', /no text/);
  assert.match(invalidChange(2, [{ range: { start: { line: -1, character: 0 }, end: { line: 0, character: 1 } }, text: '' }]) ?? '', /invalid range/);
  assert.match(invalidChange('2', [{ text: '' }]) ?? '', /version/);
  assert.equal(invalidChange(2, [{ text: 'whole' }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: 'W' }]), undefined);

  // Drive the store as the connection would: a valid change after a rejected one applies to the unchanged text.
  type Handler = (p: unknown) => void;
  const handlers: Record<string, Handler> = {};
  const fake = {
    onDidOpenTextDocument: (h: Handler) => (handlers.open = h),
    onDidChangeTextDocument: (h: Handler) => (handlers.change = h),
    onDidSaveTextDocument: (h: Handler) => (handlers.save = h),
    onDidCloseTextDocument: (h: Handler) => (handlers.close = h),
  };
  const store = new DocumentStore();
  const rejected: string[] = [];
  let changed = 0;
  store.listen(fake as unknown as Parameters<DocumentStore['listen']>[0], {
    opened() {}, saved() {}, closed() {}, changed: () => changed++, rejected: (_uri, why) => rejected.push(why),
  });
  const uri = 'file:///w/a.go';
  handlers.open({ textDocument: { uri, languageId: 'go', version: 1, text: 'package a\n' } });
  const r0 = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  handlers.change({ textDocument: { uri, version: 2 }, contentChanges: [{ range: r0, text: '// x\n' }, { range: null, text: 'boom' }] });
  assert.equal(store.get(uri)?.getText(), 'package a\n', 'nothing of the rejected notification applied');
  assert.equal(store.get(uri)?.version, 1);
  assert.equal(rejected.length, 1);
  handlers.change({ textDocument: { uri, version: 2 }, contentChanges: [{ range: r0, text: '// x\n' }] });
  assert.equal(store.get(uri)?.getText(), '// x\npackage a\n');
  assert.equal(changed, 1);
});
