import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { SourceText } from '../../server/src/core/source-text';
import { applyEdits } from '../../server/src/engine/fixes';
import type { TextEditData } from '../../server/src/core/finding';
import { appendToSeq, insertAtPath, replaceScalar, yamlStyle } from '../../server/src/languages/k8s/edits/yaml-edit';

/** The first container map of a Deployment-shaped document. */
function container(text: string): { source: SourceText; map: YAMLMap } {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const seq = doc.getIn(['spec', 'template', 'spec', 'containers'], true);
  assert.ok(isSeq(seq));
  const map = (seq).items[0];
  assert.ok(isMap(map));
  return { source: new SourceText(text), map: map };
}

function apply(text: string, edits: TextEditData[] | undefined): string {
  assert.ok(edits, 'expected edits');
  const out = applyEdits(text, edits);
  const reparsed = parseDocument(out);
  assert.deepEqual(reparsed.errors, [], `result must parse:\n${out}`);
  return out;
}

const deployment = (body: string, eol = '\n'): string =>
  ['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  template:', '    spec:', '      containers:', body].join(eol);

test('inserts into an existing resources: map, keeping comments and order', () => {
  const text = deployment('        - name: api # the API\n          image: shop:1\n          resources:\n            requests: # sized from load tests\n              memory: 256Mi\n          ports: []\n');
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'limits'], [['memory', '256Mi']]));
  assert.equal(out, deployment('        - name: api # the API\n          image: shop:1\n          resources:\n            requests: # sized from load tests\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n          ports: []\n'));
});

test('creates resources: with limits: at the end of the container', () => {
  const text = deployment('      - name: api\n        image: shop:1\n');
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'limits'], [['cpu', '500m'], ['memory', '512Mi']]));
  assert.equal(out, deployment('      - name: api\n        image: shop:1\n        resources:\n          limits:\n            cpu: 500m\n            memory: 512Mi\n'));
});

test('keeps a 4-space indentation unit', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n    template:\n        spec:\n            containers:\n                - name: api\n                  image: shop:1\n';
  assert.equal(yamlStyle(new SourceText(text)).unit, 4);
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'requests'], [['memory', '1Gi']]));
  assert.ok(out.endsWith('                  image: shop:1\n                  resources:\n                      requests:\n                          memory: 1Gi\n'), out);
});

test('inserts into flow maps', () => {
  const text = deployment('        - name: api\n          image: shop:1\n          resources: {limits: {cpu: 1}}\n');
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'limits'], [['memory', '512Mi']]));
  assert.match(out, /resources: \{limits: \{cpu: 1, memory: 512Mi\}\}\n$/);
  const out2 = apply(text, insertAtPath(source, map, ['resources', 'requests'], [['cpu', '250m']]));
  assert.match(out2, /resources: \{limits: \{cpu: 1\}, requests: \{cpu: 250m\}\}\n$/);
});

test('fills an empty flow map and a key with no value', () => {
  const empty = deployment('        - name: api\n          image: shop:1\n          resources: {}\n');
  const a = container(empty);
  assert.match(apply(empty, insertAtPath(a.source, a.map, ['resources', 'limits'], [['memory', '1Gi']])), /resources: \{limits: \{memory: 1Gi\}\}\n$/);
  const bare = deployment('        - name: api\n          image: shop:1\n          resources:\n');
  const b = container(bare);
  assert.match(apply(bare, insertAtPath(b.source, b.map, ['resources', 'limits'], [['memory', '1Gi']])), /resources:\n            limits:\n              memory: 1Gi\n$/);
});

test('keeps CRLF line endings', () => {
  const text = deployment('        - name: api\r\n          image: shop:1\r\n', '\r\n');
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'limits'], [['memory', '512Mi']]));
  assert.ok(!/[^\r]\n/.test(out), 'every LF is preceded by CR');
  assert.ok(out.endsWith('image: shop:1\r\n          resources:\r\n            limits:\r\n              memory: 512Mi\r\n'));
});

test('handles non-ASCII text before the edit and a file without a final newline', () => {
  const text = deployment('        # café 🚀 日本\n        - name: api # naïve\n          image: shop:1');
  const { source, map } = container(text);
  const out = apply(text, insertAtPath(source, map, ['resources', 'limits'], [['memory', '512Mi']]));
  assert.ok(out.endsWith('          image: shop:1\n          resources:\n            limits:\n              memory: 512Mi'), out);
});

test('appends env items to block and flow sequences, and creates env:', () => {
  const block = deployment('        - name: api\n          image: shop:1\n          env:\n            - name: A\n              value: "1"\n');
  const a = container(block);
  const seq = a.map.get('env', true);
  assert.ok(isSeq(seq));
  const out = apply(block, [appendToSeq(a.source, seq, [['name', 'GOMEMLIMIT'], ['value', '409MiB']])!]);
  assert.ok(out.endsWith('value: "1"\n            - name: GOMEMLIMIT\n              value: 409MiB\n'), out);
  const flow = deployment('        - name: api\n          image: shop:1\n          env: [{name: A, value: "1"}]\n');
  const b = container(flow);
  const flowSeq = b.map.get('env', true);
  assert.ok(isSeq(flowSeq));
  const out2 = apply(flow, [appendToSeq(b.source, flowSeq, [['name', 'B'], ['value', '2']])!]);
  assert.match(out2, /env: \[\{name: A, value: "1"\}, \{name: B, value: 2\}\]\n$/);
  const none = deployment('      - name: api\n        image: shop:1\n');
  const c = container(none);
  const out3 = apply(none, insertAtPath(c.source, c.map, [], [['env', { items: [[['name', 'GOMAXPROCS'], ['value', '"2"']]] }]]));
  assert.ok(out3.endsWith('        image: shop:1\n        env:\n        - name: GOMAXPROCS\n          value: "2"\n'), out3);
});

test('replaces a scalar keeping its quotes', () => {
  const text = deployment('        - name: api\n          image: shop:1\n          resources: {limits: {memory: "512mb"}}\n');
  const { map } = container(text);
  const memory = map.getIn(['resources', 'limits', 'memory'], true);
  assert.ok(isScalar(memory));
  const out = apply(text, [replaceScalar(memory, '512Mi')!]);
  assert.match(out, /memory: "512Mi"/);
});

test('refuses to edit anchored maps and scalar values', () => {
  const text = deployment('        - name: api\n          image: shop:1\n          resources: &res\n            limits: {cpu: 1}\n');
  const { source, map } = container(text);
  assert.equal(insertAtPath(source, map, ['resources', 'limits'], [['memory', '1Gi']]), undefined);
  const scalar = deployment('        - name: api\n          image: shop:1\n          resources: none\n');
  const s = container(scalar);
  assert.equal(insertAtPath(s.source, s.map, ['resources', 'limits'], [['memory', '1Gi']]), undefined);
});
