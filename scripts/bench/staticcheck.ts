// `npm run bench -- --staticcheck`: cold go-staticcheck 2023.1 (Debian) vs a cold Shipshape audit (dist/cli.js, default
// --jobs) on the packages of Go 1.19's standard library under archive/, compress/, database/sql/, encoding/, net/ and
// text/ (tests included; internal packages left out). Needs `apt-get install go-staticcheck golang-1.19-go golang-1.19-src`:
// staticcheck loads packages through Go 1.19's `go` command. Paired runs, interleaved; the median ratio is reported.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stats } from './stats';

export const GO119_ROOT = '/usr/lib/go-1.19';
const SUBSET = /^(archive|compress|database\/sql|encoding|net|text)(\/|$)/;

export interface StaticcheckResult {
  packages: number;
  files: number;
  staticcheckMs: { median: number; min: number };
  shipshapeMs: { median: number; min: number };
  /** Median over pairs of staticcheck ÷ Shipshape (goal >= 20). */
  ratio: number;
}

/** Undefined (with the reason) when go-staticcheck or Go 1.19 is not installed. */
export function runStaticcheckBench(rounds: number, cli = path.resolve(__dirname, '../../dist/cli.js')): StaticcheckResult | { skipped: string } {
  const env = { ...process.env, GOROOT: GO119_ROOT, GOTOOLCHAIN: 'local', GOFLAGS: '', GOPROXY: 'off', PATH: `${GO119_ROOT}/bin:${process.env.PATH ?? ''}` };
  const list = spawnSync(path.join(GO119_ROOT, 'bin', 'go'), ['list', 'std'], { encoding: 'utf8', env });
  if (list.status !== 0) return { skipped: `Go 1.19 not found at ${GO119_ROOT} (apt-get install golang-1.19-go golang-1.19-src)` };
  if (spawnSync('go-staticcheck', ['-version'], { encoding: 'utf8' }).status !== 0) return { skipped: 'go-staticcheck not installed (apt-get install go-staticcheck)' };
  const packages = list.stdout.split('\n').filter((p) => SUBSET.test(p) && !p.split('/').includes('internal'));
  // Shipshape audits the same files: the packages' own .go files (tests included), copied out of GOROOT (which it would skip as vendored/std).
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-sc-'));
  let files = 0;
  try {
    for (const p of packages) {
      const from = path.join(GO119_ROOT, 'src', p);
      const to = path.join(tmp, p);
      fs.mkdirSync(to, { recursive: true });
      for (const f of fs.readdirSync(from).filter((n) => n.endsWith('.go'))) {
        fs.copyFileSync(path.join(from, f), path.join(to, f));
        files++;
      }
    }
    const sc: number[] = [];
    const ss: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // Cold: staticcheck's own cache and the go build cache emptied first.
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-sc-cache-'));
      let t0 = performance.now();
      spawnSync('go-staticcheck', packages, { cwd: tmp, encoding: 'utf8', env: { ...env, XDG_CACHE_HOME: cache, STATICCHECK_CACHE: cache, GOCACHE: path.join(cache, 'go') }, maxBuffer: 64 * 1024 * 1024 });
      sc.push(performance.now() - t0);
      fs.rmSync(cache, { recursive: true, force: true });
      t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'audit', '--fail-on', 'none', '--quiet', '--format', 'json', tmp], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      ss.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`shipshape audit exited ${r.status}: ${r.stderr}`);
      ratios.push((sc.at(-1) ?? 0) / (ss.at(-1) ?? 1));
    }
    return { packages: packages.length, files, staticcheckMs: stats(sc), shipshapeMs: stats(ss), ratio: stats(ratios).median };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatStaticcheck(r: StaticcheckResult | { skipped: string }): string {
  if ('skipped' in r) return `staticcheck  skipped: ${r.skipped}`;
  return `staticcheck  ${r.packages} packages, ${r.files} files: go-staticcheck median ${(r.staticcheckMs.median / 1000).toFixed(1)} s, ` +
    `shipshape median ${(r.shipshapeMs.median / 1000).toFixed(1)} s, ratio ${r.ratio.toFixed(1)}x (goal >= 20; cold vs cold, paired)`;
}
