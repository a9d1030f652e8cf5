import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './harness';

export const CLI = path.join(REPO, 'dist/cli.js');

/** Builds dist/cli.js unless the test runner (which builds first) already did. */
export function ensureBuilt(): void {
  if (fs.existsSync(CLI) && process.env.SHIPSHAPE_TEST === '1') return;
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build.mjs')], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js ...args` in `cwd`, as a user would. The timeout only
 * catches hangs: on a loaded 2-core CI box a multi-megabyte audit can take minutes.
 */
export function shipshape(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary folder with the given files (relative path -> text or bytes); removed by `cleanup`. */
export function workspace(files: Record<string, string | Buffer>): { dir: string; cleanup(): void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return { dir, cleanup: () => { fs.rmSync(dir, { recursive: true, force: true }); } };
}
