// Smoke test: the bench runs on a tiny generated corpus, so it cannot rot (it is not part of the figures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace } from '../../scripts/bench/generate';
import { runBench, formatBench } from '../../scripts/bench/main';
import { runKeystrokeBench, formatKeystroke } from '../../scripts/bench/keystroke';
import { runWorkersBench, formatWorkers } from '../../scripts/bench/workers';

test('bench runs on a tiny corpus and reports sane figures', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-test-'));
  try {
    generateWorkspace(dir, { goFiles: 5, dockerfiles: 2, manifests: 2 }, 7);
    const r = await runBench(dir, 1);
    assert.equal(r.files, 9);
    assert.ok(r.parseMs.median > 0 && r.auditMs.median > 0 && r.ratio > 0);
    assert.match(formatBench('tiny', r), /ratio audit\/parse/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the generator is deterministic for a seed', () => {
  const a = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-gen-a-'));
  const b = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-gen-b-'));
  try {
    generateWorkspace(a, { goFiles: 3, dockerfiles: 1, manifests: 1 }, 3);
    generateWorkspace(b, { goFiles: 3, dockerfiles: 1, manifests: 1 }, 3);
    const read = (d: string): string => fs.readFileSync(path.join(d, 'internal/pkg1/file1.go'), 'utf8');
    assert.equal(read(a), read(b));
  } finally {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  }
});

test('keystroke and worker benches run on tiny inputs', async () => {
  const k = await runKeystrokeBench(300, 6, 9, 1);
  assert.equal(k.edits, 6);
  assert.ok(k.incremental.p50 > 0 && k.scratch.p50 > 0);
  assert.match(formatKeystroke(k), /incremental/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-w-'));
  try {
    generateWorkspace(dir, { goFiles: 4, dockerfiles: 1, manifests: 1 }, 5);
    const w = runWorkersBench(dir, 1, 2);
    assert.ok(w.oneMs.median > 0 && w.manyMs.median > 0);
    assert.match(formatWorkers(w), /--jobs 2/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
