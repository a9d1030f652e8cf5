// The `shipshape.dev/ignore` annotation suppresses findings inside its object only; unknown and unused ids are reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { defineK8sRule, type AnyRule } from '../../server/src/engine/rule';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';

// Test-only rule: flags every `image:` value.
const imageRule = defineK8sRule({
  id: 'k8s/test-image',
  meta: { title: 't', description: 't', severity: 'warning', fixable: false, messages: { m: 'image {image}' } },
  check(ctx, file) {
    for (const m of file.source.text.matchAll(/image: (\S+)/g)) {
      const start = m.index + 'image: '.length;
      ctx.report({ span: { start, end: start + m[1].length }, messageId: 'm', data: { image: m[1] } });
    }
  },
});
const registry: AnyRule[] = [imageRule, ...RULES.filter((r) => r.domain === 'shipshape')];
const noFiles: FileSource = { readText: () => undefined, listDir: () => undefined, versionOf: () => undefined };
let engine: Engine;
before(async () => {
  engine = await Engine.create(registry, noFiles);
});
after(() => { engine.dispose(); });

const YAML = `apiVersion: v1
kind: Pod
metadata:
  name: a
  annotations:
    shipshape.dev/ignore: "k8s/test-image, k8s/test-imag"
spec:
  containers:
    - name: app
      image: one:1
---
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  containers:
    - name: app
      image: two:2
---
apiVersion: v1
kind: Pod
metadata:
  name: c
  annotations: { shipshape.dev/ignore: k8s/test-image }
spec:
  containers: []
`;

function analyze(text: string, inlineConfig = true): string[] {
  const config = new StaticConfigResolver(registry, {}, '/w', inlineConfig);
  return engine.analyze({ path: '/w/pods.yaml', text }, { config: config.forFile('/w/pods.yaml'), roots: ['/w'] }).findings
    .map((f) => `${f.ruleId} ${text.slice(f.span.start, f.span.end)} ${f.message}`);
}

test('suppresses inside its own object only; reports unknown and unused ids at the id', () => {
  assert.deepEqual(analyze(YAML), [
    'shipshape/unknown-rule k8s/test-imag unknown rule id "k8s/test-imag" in a shipshape directive (did you mean "k8s/test-image"?); it suppresses nothing',
    'k8s/test-image two:2 image two:2',
    'shipshape/unused-ignore k8s/test-image "k8s/test-image" is ignored here but reports nothing on this object: remove it',
  ]);
});

test('--no-inline-config: annotations are not honoured either', () => {
  assert.deepEqual(analyze(YAML, false), ['k8s/test-image one:1 image one:1', 'k8s/test-image two:2 image two:2']);
});

test('odd annotation shapes do not throw', () => {
  for (const text of [
    'apiVersion: v1\nkind: Pod\nmetadata: x\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations: [a, b]\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    shipshape.dev/ignore:\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    shipshape.dev/ignore: 42\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    shipshape.dev/ignore: |\n      k8s/test-image\n',
  ]) assert.doesNotThrow(() => analyze(text), text);
});
