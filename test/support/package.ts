// The published package as a user gets it: `npm pack` of this repository, installed globally into an
// empty prefix, run from folders outside the repository. Shared by the packaging tests.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './harness';
import { ensureBuilt } from './cli';

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  tarball: string;
  files: PackedFile[];
  dir: string;
}

/**
 * The environment of a nested npm: without what `npm test` exports (npm_config_*, npm_lifecycle_*,
 * npm_package_*, npm_execpath...) the nested npm reads its defaults as a user's npm would;
 * NODE_OPTIONS goes too (the installed CLI must run on plain node).
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|INIT_CWD$|NODE_OPTIONS$|NODE_PATH$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1', ...extra };
}

export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function npm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): string {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}): ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * `npm pack` of the repository into a fresh folder. Scripts are off: `prepack` would rebuild dist/
 * under the other tests' feet; {@link ensureBuilt} built it already (a test pins that prepack builds).
 */
export function packRepository(): Packed {
  ensureBuilt();
  const dir = tempDir('shipshape-pack-');
  const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO);
  const report = JSON.parse(out) as { filename: string; files: PackedFile[] }[];
  const first = report[0];
  if (!first) throw new Error(`npm pack reported nothing: ${out}`);
  return { tarball: path.join(dir, first.filename), files: first.files, dir };
}

/** `npm install --global --prefix <empty folder> <tarball>`, offline (the package has no dependencies). */
export function installGlobally(tarball: string, prefix: string): void {
  npm(['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], path.dirname(tarball));
}

/** Folder of the installed package and of its command (POSIX layout of a global prefix). */
export function installedPaths(prefix: string): { pkg: string; bin: string } {
  return process.platform === 'win32'
    ? { pkg: path.join(prefix, 'node_modules', 'shipshape'), bin: prefix }
    : { pkg: path.join(prefix, 'lib', 'node_modules', 'shipshape'), bin: path.join(prefix, 'bin') };
}

/** PATH with the installed command and this node first, nothing of the repository. */
export function pathWith(binDir: string): string {
  return [binDir, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the installed `shipshape` command by name, as a shell would find it on PATH. */
export function runInstalled(binDir: string, args: readonly string[], cwd: string): Run {
  const r = spawnSync('shipshape', args, {
    cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: cleanEnv({ PATH: pathWith(binDir) }),
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Copies a folder of the repository (e.g. examples/shop) to `dest`. */
export function copyFromRepo(rel: string, dest: string): string {
  fs.cpSync(path.join(REPO, rel), dest, { recursive: true });
  return dest;
}

/**
 * Starts `shipshape lsp --stdio` from PATH, sends initialize / shutdown / exit with LSP framing,
 * and returns the initialize result and the exit code.
 */
export async function lspHandshake(binDir: string, cwd: string): Promise<{ initialize: unknown; code: number | null; stderr: string }> {
  const proc = spawn('shipshape', ['lsp', '--stdio'], { cwd, env: cleanEnv({ PATH: pathWith(binDir) }), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const responses = new Map<number, unknown>();
  const waiting = new Map<number, (v: unknown) => void>();
  let buffer = Buffer.alloc(0);
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1] ?? NaN);
      if (!Number.isFinite(length) || buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { id?: unknown; result?: unknown; method?: string };
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (typeof message.id === 'number' && message.method === undefined) {
        responses.set(message.id, message.result);
        waiting.get(message.id)?.(message.result);
      }
    }
  });
  const send = (message: object): void => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    proc.stdin.write(body);
  };
  const request = (id: number, method: string, params: unknown): Promise<unknown> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no answer to ${method} in 60 s; stderr: ${stderr}`)); }, 60_000);
    waiting.set(id, (v) => { clearTimeout(timer); resolve(v); });
    send({ id, method, params });
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => { resolve(code); }));
  const initialize = await request(1, 'initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  send({ method: 'initialized', params: {} });
  await request(2, 'shutdown', null);
  send({ method: 'exit' });
  const code = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => { proc.kill(); resolve(null); }, 30_000))]);
  return { initialize, code, stderr };
}
