// The extensionTestsPath module: VS Code loads it in the extension host and calls run(). It runs every
// *.e2e.test.js beside it with mocha and prints ONE closing line `N passed, N failed` (pending tests count
// as failures: a test never skips silently), which the harness (run-e2e.mjs) and scripts/test.mjs parse.
// Same module for code-server (run-e2e.mjs) and desktop VS Code (desktop.ts, @vscode/test-electron).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType = require('mocha');

// mocha 12's package entry is ESM; its CommonJS build loads on every Node an extension host may have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: LineReporter });
  if (process.env.SHIPSHAPE_E2E_GREP) mocha.grep(new RegExp(process.env.SHIPSHAPE_E2E_GREP));
  // `npm run screenshots` runs only the screenshot script; a test run runs everything else.
  const screenshots = process.env.SHIPSHAPE_E2E_MODE === 'screenshots';
  const files = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.e2e.test.js') && f.startsWith('screenshots.') === screenshots);
  for (const f of files.sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      const bad = failures + (stats?.pending ?? 0);
      console.log(`${stats?.passes ?? 0} passed, ${bad} failed`);
      if (bad > 0 || (stats?.passes ?? 0) === 0) reject(new Error(`${bad} e2e test(s) failed`));
      else resolve();
    });
  });
}

/** One console line per test (console output is what reaches the harness from the extension host). */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: MochaType.Runner, options?: MochaType.MochaOptions) {
    super(runner, options);
    const started = new Map<MochaType.Test, number>();
    runner.on('suite', (s) => { if (s.title) console.log(`[e2e] ${s.title}`); });
    runner.on('test', (t) => started.set(t, Date.now()));
    runner.on('pass', (t) => { console.log(`[e2e]   ✓ ${t.title} (${Date.now() - (started.get(t) ?? Date.now())} ms)`); });
    runner.on('pending', (t) => { console.log(`[e2e]   - ${t.title} (pending: counted as a failure)`); });
    runner.on('fail', (t, err: Error) => { console.log(`[e2e]   ✗ ${t.fullTitle()}\n${(err.stack ?? err.message).replace(/^/gm, "[e2e]       ")}`); });
  }
}
