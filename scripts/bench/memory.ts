// Peak memory of a whole CLI audit (`--jobs 1`, JSON report to a file) of a generated tree of at least
// `lines` lines, measured in the child process itself (process.resourceUsage().maxRSS at exit).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateLines } from './generate';

export interface MemoryResult {
  /** Lines and files audited. */
  lines: number;
  files: number;
  peakRssMb: number;
  wallMs: number;
  /** CPU time of the audit process (user + system). */
  cpuMs: number;
  findings: number;
}

const PRELOAD = `process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').writeFileSync(process.env.SHIPSHAPE_BENCH_USAGE, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`;

/** Audits a generated tree of `lines` lines with the built CLI (dist/cli.js) and reports its peak RSS. */
export function runMemoryBench(lines: number, cli = path.resolve(__dirname, '../../dist/cli.js')): MemoryResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-mem-'));
  try {
    const root = path.join(tmp, 'tree');
    const size = generateLines(root, lines);
    const preload = path.join(tmp, 'usage.cjs');
    fs.writeFileSync(preload, PRELOAD);
    const usageFile = path.join(tmp, 'usage.json');
    const report = path.join(tmp, 'report.json');
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--require', preload, cli, 'audit', '--jobs', '1', '--fail-on', 'none', '--quiet', '--format', `json:${report}`, root], {
      encoding: 'utf8', env: { ...process.env, SHIPSHAPE_BENCH_USAGE: usageFile },
    });
    const wallMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`shipshape audit exited ${r.status}: ${r.stderr}`);
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { maxRssKb: number; cpuUs: number };
    const findings = (JSON.parse(fs.readFileSync(report, 'utf8')) as { findings?: unknown[] }).findings?.length ?? 0;
    return { lines: size.lines, files: size.files, peakRssMb: usage.maxRssKb / 1024, wallMs, cpuMs: usage.cpuUs / 1000, findings };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatMemory(r: MemoryResult): string {
  return `memory       ${r.lines} lines, ${r.files} files, ${r.findings} findings: peak RSS ${r.peakRssMb.toFixed(0)} MB (goal <= 300), ` +
    `${(r.wallMs / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU (whole CLI run, --jobs 1)`;
}

if (require.main === module) {
  const lines = Number(process.argv[2] ?? 1_000_000);
  console.log(formatMemory(runMemoryBench(lines)));
}
