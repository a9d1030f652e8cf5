// Which test files each suite of `npm test` runs, discovered (never a hand-kept list), and which
// test files no suite runs (scripts/test.mjs counts each of those as a failure; a unit test pins this).
//   unit      every *.test.ts under test/ outside the folders below
//   protocol  test/lsp/: spawns the built language server
//   e2e       test/e2e/suite/*.e2e.test.ts, run inside VS Code by test/e2e/run-e2e.mjs (own runner)
// Folders holding data, not tests (fixtures, the e2e workspace, Go stubs) are never searched for suites,
// but the orphan check does look there: a *.test.ts dropped into one is reported, not silently ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DATA_DIRS = ['test/fixtures', 'test/e2e/workspace', 'test/go-stubs'];
const E2E_SUITE = 'test/e2e/suite';

/** Every *.test.ts under `dir` (relative to root, '/'-separated, sorted), skipping node_modules. */
export function allTestFiles(root, dir = 'test') {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); }
      else if (e.name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const under = (file, dir) => file === dir || file.startsWith(`${dir}/`);

/** The files of each suite. */
export function suiteFiles(root) {
  const all = allTestFiles(root);
  const runnable = all.filter((f) => !DATA_DIRS.some((d) => under(f, d)));
  return {
    unit: runnable.filter((f) => !under(f, 'test/lsp') && !under(f, 'test/e2e')),
    protocol: runnable.filter((f) => under(f, 'test/lsp')),
    // The e2e suite's own runner (test/e2e/suite/index.ts) loads *.e2e.test.js beside it.
    e2e: runnable.filter((f) => path.posix.dirname(f) === E2E_SUITE && f.endsWith('.e2e.test.ts')),
  };
}

/** Test files that exist but that no suite runs. */
export function orphanTestFiles(root) {
  const s = suiteFiles(root);
  const covered = new Set([...s.unit, ...s.protocol, ...s.e2e]);
  return allTestFiles(root).filter((f) => !covered.has(f));
}
