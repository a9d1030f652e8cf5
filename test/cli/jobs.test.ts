// `--jobs N`: worker threads give the same output, in the same order, as one thread.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorkspace } from '../../scripts/bench/generate';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { packageBatches } from '../../server/src/cli/parallel-audit';

before(() => { ensureBuilt(); });

test('2 workers and 1 give identical JSON findings and notices', () => {
  const ws = workspace({});
  try {
    generateWorkspace(ws.dir, { goFiles: 60, dockerfiles: 4, manifests: 6 }, 11);
    const one = shipshape(['audit', '--jobs', '1', '--format', 'json', '--fail-on', 'none', '.'], ws.dir);
    const two = shipshape(['audit', '--jobs', '2', '--format', 'json', '--fail-on', 'none', '.'], ws.dir);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    const strip = (s: string): unknown => {
      const j = JSON.parse(s) as Record<string, unknown>;
      delete j.durationMs;
      delete (j.summary as Record<string, unknown> | undefined)?.durationMs;
      return j;
    };
    assert.deepEqual(strip(two.stdout), strip(one.stdout));
  } finally {
    ws.cleanup();
  }
});

test('batches keep a directory together, largest first, small directories packed together', () => {
  const big = Array.from({ length: 70 }, (_, i) => `/big/${i}.go`);
  const files = ['/a/1.go', '/a/2.go', '/b/1.go', ...big, '/c/1.go', '/c/2.go', '/c/3.go'];
  const batches = packageBatches(files, () => 10);
  assert.deepEqual(batches[0], big);
  for (const dir of ['/a/', '/b/', '/c/', '/big/']) assert.equal(batches.filter((s) => s.some((f) => f.startsWith(dir))).length, 1);
  assert.deepEqual(batches.flat().sort(), [...files].sort());
});
