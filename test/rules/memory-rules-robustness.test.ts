// The memory & limits rules never throw on half-typed Go: every fixture file of theirs, cut at many
// points (as while typing), is analysed without an internal error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { fixtureDir, fixtureSources } from '../support/harness';

const IDS = [
  'go/large-struct-range-copy', 'go/http-client-no-timeout', 'go/http-server-no-timeouts', 'go/pprof-exposed',
  'go/no-graceful-shutdown', 'go/sub-slice-retention', 'go/unbounded-body-read',
];

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(50 * 1024 * 1024));
});
after(() => { engine.dispose(); });

for (const id of IDS) {
  test(`${id}: no internal error on truncated fixtures`, () => {
    const dir = fixtureDir(id);
    const config = new StaticConfigResolver(RULES, {}, dir);
    const errors: string[] = [];
    for (const file of fixtureSources(dir).filter((f) => f.endsWith('.go'))) {
      const text = fs.readFileSync(file, 'utf8');
      const step = Math.max(1, Math.floor(text.length / 40));
      for (let cut = 0; cut < text.length; cut += step) {
        const a = engine.analyze({ path: file, text: text.slice(0, cut) }, { config: config.forFile(file), roots: [dir], onlyRules: new Set([id]) });
        for (const n of a.notices) if (n.reason === 'internal-error') errors.push(`${path.basename(file)} cut at ${cut}: ${n.message}`);
      }
    }
    assert.deepEqual(errors, []);
  });
}
