// `shipshape lsp --stdio` starts the bundled language server: it answers initialize over stdio.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CLI, ensureBuilt } from '../support/cli';
import { REPO } from '../support/harness';

before(ensureBuilt);

function frame(message: object): string {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

test('shipshape lsp --stdio answers initialize and exits on exit', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const initialized = new Promise<{ id?: number; result?: { capabilities?: object } }>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      for (const m of out.matchAll(/Content-Length: (\d+)\r\n\r\n/g)) {
        const start = (m.index ?? 0) + m[0].length;
        const body = out.slice(start, start + Number(m[1]));
        if (body.length < Number(m[1])) continue;
        const msg = JSON.parse(body) as { id?: number; result?: { capabilities?: object } };
        if (msg.id === 1) resolve(msg);
      }
    });
    child.on('exit', (code) => { reject(new Error(`server exited (${code}) before answering`)); });
  });
  child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  const response = await initialized;
  assert.ok(response.result?.capabilities, 'initialize result has capabilities');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { resolve(code); }));
  child.stdin.write(frame({ id: 2, method: 'shutdown' }));
  child.stdin.write(frame({ method: 'exit' }));
  assert.equal(await exited, 0);
});
