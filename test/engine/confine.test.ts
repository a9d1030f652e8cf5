import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Confinement, ConfinementCache } from '../../server/src/engine/confine';
import { DiskFileSource } from '../../server/src/engine/disk';

/** Confinement answers shared across analyses only while the disk is taken as stable (a frozen audit source). */

function tree(): { root: string; outside: string; cleanup(): void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-confine-'));
  const root = path.join(base, 'ws');
  const outside = path.join(base, 'secret');
  fs.mkdirSync(path.join(root, 'deploy'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'key.yaml'), 'kind: Secret\n');
  fs.writeFileSync(path.join(root, 'deploy', 'café.yaml'), 'kind: Service\n');
  return { root, outside, cleanup: () => { fs.rmSync(base, { recursive: true, force: true }); } };
}

test('a shared cache answers for every confinement of the same roots; a fresh one sees a symlink made since', () => {
  const t = tree();
  try {
    const shared = new ConfinementCache();
    const link = path.join(t.root, 'deploy', 'link.yaml');
    assert.equal(new Confinement([t.root], shared).contains(link), true, 'does not exist yet: judged by where it would be');
    fs.symlinkSync(path.join(t.outside, 'key.yaml'), link);
    // Stable disk: the answer is kept (the audit's source is frozen, nothing changes under it).
    assert.equal(new Confinement([t.root], shared).contains(link), true);
    // Not stable: each analysis judges afresh and refuses the link that leads out.
    assert.equal(new Confinement([t.root]).contains(link), false);
    // Answers are per root set: another set of roots judges the same path itself.
    const top = path.join(t.root, 'top.yaml');
    assert.equal(new Confinement([t.root], shared).contains(top), true);
    assert.equal(new Confinement([path.join(t.root, 'deploy')], shared).contains(top), false);
    assert.equal(new Confinement([path.join(t.root, 'deploy')], shared).contains(path.join(t.root, 'deploy', 'café.yaml')), true);
  } finally {
    t.cleanup();
  }
});

test('a disk source is stable once frozen; its folder listings are then read once, and callers get copies', () => {
  const t = tree();
  try {
    const source = new DiskFileSource(1024 * 1024);
    const dir = path.join(t.root, 'deploy');
    assert.equal(source.stable, false);
    assert.deepEqual(source.listDir(dir), ['café.yaml']);
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'kind: Pod\n');
    assert.deepEqual(source.listDir(dir)?.sort(), ['b.yaml', 'café.yaml'], 'not frozen: read each time');
    source.freeze();
    assert.equal(source.stable, true);
    const first = source.listDir(dir);
    first?.splice(0);
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'kind: Pod\n');
    assert.deepEqual(source.listDir(dir)?.sort(), ['b.yaml', 'café.yaml'], 'frozen: the first listing, unchanged by what a caller did to its copy');
  } finally {
    t.cleanup();
  }
});
