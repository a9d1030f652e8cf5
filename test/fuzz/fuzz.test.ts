// The engine fuzzer's CI budget (issue 26 item 6): every stored regression input, then a fixed, seeded
// run of generated and mutated inputs (test/support/fuzz.ts). `npm run fuzz -- --runs N` runs more; a
// failure prints its seed and path and is saved under test/fuzz/regressions/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FuzzChecker, regressionInputs, runFuzz, saveRegression } from '../support/fuzz';

/** Cases per `npm test` run: a few minutes on two cores. */
const CI_RUNS = 20_000;
const CI_SEED = 26;

test('fuzz regressions: every stored input passes', async () => {
  const checker = await FuzzChecker.create();
  try {
    const stored = regressionInputs();
    assert.ok(stored.length > 0, 'regression inputs are stored');
    for (const { file, input } of stored) assert.equal(checker.check(input), undefined, file);
  } finally {
    checker.dispose();
  }
});

test(`fuzz: ${CI_RUNS} seeded cases over Go, Dockerfile, YAML, kustomize, compose and config inputs`, { timeout: 15 * 60_000 }, async () => {
  const count = await runFuzz({
    runs: CI_RUNS, seed: CI_SEED,
    onFailure: (input, problem) => process.stderr.write(`fuzz failure (${input.kind}): ${problem}; saved as ${saveRegression(input)}\n`),
  });
  assert.equal(count, CI_RUNS);
});
