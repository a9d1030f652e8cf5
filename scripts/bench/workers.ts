// 1 vs N workers: the built CLI audits the same tree with --jobs 1 and --jobs N, interleaved rounds.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { stats } from './stats';

export interface WorkersResult {
  jobs: number;
  oneMs: { median: number; min: number };
  manyMs: { median: number; min: number };
  speedup: number;
}

export function runWorkersBench(root: string, rounds: number, jobs = os.availableParallelism()): WorkersResult {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const time = (n: number): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'audit', '--jobs', String(n), '--fail-on', 'none', '--format', 'json', root], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`shipshape audit --jobs ${n} exited ${r.status}: ${r.stderr}`);
    return performance.now() - t0;
  };
  const one: number[] = [];
  const many: number[] = [];
  for (let i = 0; i < rounds; i++) {
    one.push(time(1));
    many.push(time(jobs));
  }
  const oneMs = stats(one);
  const manyMs = stats(many);
  return { jobs, oneMs, manyMs, speedup: oneMs.median / manyMs.median };
}

export function formatWorkers(r: WorkersResult): string {
  return `workers      --jobs 1 median ${r.oneMs.median.toFixed(0)} ms   --jobs ${r.jobs} median ${r.manyMs.median.toFixed(0)} ms   speedup ${r.speedup.toFixed(2)}x (whole CLI runs)`;
}
