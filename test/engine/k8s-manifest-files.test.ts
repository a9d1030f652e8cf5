// Which YAML files are manifests (issue 10): by content, by folder, by a kustomization listing them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';

let engine: Engine;
let dir: string;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-manifests-'));
});
after(() => {
  engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function syntaxFindings(rel: string, text: string): number {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const config = new StaticConfigResolver(RULES, {}, dir);
  return engine.analyze({ path: file, text }, { config: config.forFile(file), roots: [dir], onlyRules: new Set(['k8s/yaml-syntax']) }).findings.length;
}

const broken = 'metadata:\n  name: api\n  labels: [a\nspec: {}\n';

test('broken YAML that is not a manifest is not reported', () => {
  assert.equal(syntaxFindings('ci/pipeline.yaml', 'jobs:\n  build:\n\tsteps: []\n'), 0);
  assert.equal(syntaxFindings('app/config.yaml', broken), 0);
});

test('broken YAML is reported when it looks like a manifest or sits in a manifest folder', () => {
  assert.equal(syntaxFindings('app/pod.yaml', `apiVersion: v1\nkind: Pod\n${broken}`), 1);
  assert.equal(syntaxFindings('deploy/patch.yaml', broken), 1);
});

test('broken YAML listed in a kustomization.yaml is reported', () => {
  fs.mkdirSync(path.join(dir, 'overlay'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'overlay/kustomization.yaml'), 'resources:\n  - svc.yaml\npatches:\n  - path: patch.yaml\n');
  assert.equal(syntaxFindings('overlay/patch.yaml', broken), 1);
  assert.equal(syntaxFindings('overlay/svc.yaml', broken), 1);
  assert.equal(syntaxFindings('overlay/other.yaml', broken), 0);
});
