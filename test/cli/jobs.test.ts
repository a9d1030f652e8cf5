// `--jobs N`: worker threads give the same output, in the same order, as one thread.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateWorkspace } from '../../scripts/bench/generate';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { BatchQueues, packageBatches } from '../../server/src/cli/parallel-audit';

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

test('workers take Go packages first, then the batches that read the service model (built from the Go facts sent back by then)', () => {
  const batches = [['/deploy/a.yaml', '/deploy/b.yaml'], ['/p/1.go', '/p/2.go'], ['/q/1.go', '/svc/Dockerfile'], ['/r/1.go']];
  const queue = new BatchQueues(batches);
  assert.equal(queue.length, 4);
  const taken: [string[], boolean][] = [];
  for (let b = queue.take(); b; b = queue.take()) taken.push([b.files, b.readsModel]);
  assert.deepEqual(taken, [
    [['/p/1.go', '/p/2.go'], false],
    [['/r/1.go'], false],
    [['/deploy/a.yaml', '/deploy/b.yaml'], true],
    [['/q/1.go', '/svc/Dockerfile'], true],
  ]);
  assert.equal(queue.length, 0);
});
