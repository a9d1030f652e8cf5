// The test command discovers its files: every *.test.ts under test/ belongs to exactly one suite, and a
// test file that no suite would run is reported (scripts/test.mjs counts it as a failure).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs module without types
import { orphanTestFiles as orphansUntyped, suiteFiles as suitesUntyped } from '../../scripts/test-files.mjs';

type Suites = { unit: string[]; protocol: string[]; e2e: string[] };
const suiteFiles = suitesUntyped as (root: string) => Suites;
const orphanTestFiles = orphansUntyped as (root: string) => string[];

const root = path.resolve(__dirname, '..', '..');

test('every test file of this repository is run by exactly one suite', () => {
  const s = suiteFiles(root);
  assert.deepEqual(orphanTestFiles(root), []);
  const all = [...s.unit, ...s.protocol, ...s.e2e];
  assert.equal(new Set(all).size, all.length, 'a file in two suites');
  // The folders that a hand-kept list once left out are in.
  assert.ok(s.unit.some((f) => f.startsWith('test/parsers/')), 'test/parsers runs');
  assert.ok(s.unit.includes('test/runner/test-files.test.ts'), 'this file runs');
  assert.ok(s.protocol.length > 0 && s.protocol.every((f) => f.startsWith('test/lsp/')));
  assert.ok(s.e2e.length > 0 && s.e2e.every((f) => f.startsWith('test/e2e/suite/')));
  assert.ok(!s.unit.some((f) => f.startsWith('test/lsp/') || f.startsWith('test/e2e/')));
});

test('a new folder of tests is discovered, and a test file no suite runs is reported', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-test-files-'));
  try {
    const put = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), '');
    };
    put('test/brand-new/thing.test.ts');
    put('test/lsp/deep/proto.test.ts');
    put('test/e2e/suite/a.e2e.test.ts');
    put('test/e2e/suite/forgotten.test.ts');        // not *.e2e.test.ts: the e2e runner ignores it
    put('test/fixtures/go/rule/stray.test.ts');      // inside a data folder: nothing runs it
    put('test/node_modules/x/ignored.test.ts');
    const s = suiteFiles(tmp);
    assert.deepEqual(s.unit, ['test/brand-new/thing.test.ts']);
    assert.deepEqual(s.protocol, ['test/lsp/deep/proto.test.ts']);
    assert.deepEqual(s.e2e, ['test/e2e/suite/a.e2e.test.ts']);
    assert.deepEqual(orphanTestFiles(tmp), ['test/e2e/suite/forgotten.test.ts', 'test/fixtures/go/rule/stray.test.ts']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
