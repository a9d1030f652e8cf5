// `--cache`: a cold audit (empty cache) then a warm re-run of the unchanged tree, whole CLI runs (dist/cli.js, --jobs 1).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CacheBenchResult {
  coldMs: number;
  warmMs: number;
  /** Cold ÷ warm (goal >= 10). */
  ratio: number;
  /** Files the warm run analysed again (goal 0) and reused. */
  warmAnalysed: number;
  warmReused: number;
}

export function runCacheBench(root: string, cli = path.resolve(__dirname, '../../dist/cli.js')): CacheBenchResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-cache-'));
  try {
    const run = (): { ms: number; reused: number; analysed: number } => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [
        cli, 'audit', '--jobs', '1', '--fail-on', 'none', '--cache', '--cache-location', path.join(tmp, 'cache.json'), '--format', `json:${path.join(tmp, 'report.json')}`, root,
      ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`shipshape audit --cache exited ${r.status}: ${r.stderr}`);
      const m = /cache: (\d+) file\(s\) reused, (\d+) analysed/.exec(r.stderr);
      return { ms, reused: Number(m?.[1] ?? NaN), analysed: Number(m?.[2] ?? NaN) };
    };
    const cold = run();
    const warm = run();
    return { coldMs: cold.ms, warmMs: warm.ms, ratio: cold.ms / warm.ms, warmAnalysed: warm.analysed, warmReused: warm.reused };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatCacheBench(r: CacheBenchResult): string {
  return `cache        cold ${r.coldMs.toFixed(0)} ms   warm ${r.warmMs.toFixed(0)} ms   ratio ${r.ratio.toFixed(1)}x (goal >= 10)   warm run: ${r.warmReused} reused, ${r.warmAnalysed} analysed (whole CLI runs, --jobs 1)`;
}
