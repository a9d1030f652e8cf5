import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient, builtServer, fileUri, makeWorkspace } from './support/client';

// The k8s rules read a manifest folder's index (workloads by labels and name, Services by selector, autoscalers by
// target), which the engine keeps per folder: an edit to a sibling manifest must reach the files that rest on it.

const APP = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: example.com/api:1.0\n          ports:\n            - containerPort: 8080\n              name: http\n';
const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n      targetPort: http\n';
const HPA = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n  minReplicas: 2\n  maxReplicas: 5\n';

const codes = (p: PublishDiagnosticsParams, prefix: string): string[] => p.diagnostics.map((d) => String(d.code)).filter((c) => c.startsWith(prefix)).sort();

test('editing a sibling manifest (a Service selector, an HPA target) updates the findings of the files that read it', async () => {
  const folder = makeWorkspace({ 'deploy/app.yaml': APP, 'deploy/svc.yaml': SVC, 'deploy/hpa.yaml': HPA });
  const client = await LspClient.start(builtServer(), { folder });
  try {
    const appUri = await client.open(path.join(folder, 'deploy', 'app.yaml'), APP, 'yaml');
    const first = await client.diagnosticsFor(appUri, 1);
    assert.deepEqual(codes(first, 'k8s/hpa-fixed-replicas'), ['k8s/hpa-fixed-replicas'], 'the HPA beside it scales the Deployment');

    // The HPA now targets another Deployment: app.yaml's replicas are its own again.
    const hpaUri = await client.open(path.join(folder, 'deploy', 'hpa.yaml'), HPA, 'yaml');
    const since = client.published.length;
    await client.change(hpaUri, [{ text: HPA.replace('    name: api\n  minReplicas', '    name: web\n  minReplicas') }]);
    const after = await client.waitFor((p) => p.uri === appUri && codes(p, 'k8s/hpa-fixed-replicas').length === 0, 10000, since);
    assert.deepEqual(codes(after, 'k8s/hpa-fixed-replicas'), []);

    // The Service selects pods with app=api: it matches until the Deployment's pods are relabelled.
    const svcUri = await client.open(path.join(folder, 'deploy', 'svc.yaml'), SVC, 'yaml');
    assert.deepEqual(codes(await client.diagnosticsFor(svcUri, 1), 'k8s/selector-mismatch'), []);
    const beforeRelabel = client.published.length;
    await client.change(appUri, [{ text: APP.replace(/app: api/g, 'app: web') }]);
    const relabelled = await client.waitFor((p) => p.uri === svcUri && codes(p, 'k8s/selector-mismatch').length === 1, 10000, beforeRelabel);
    const message = relabelled.diagnostics.find((d) => d.code === 'k8s/selector-mismatch')?.message;
    assert.match(typeof message === 'string' ? message : '', /matches no pods/);

    // The Service's selector follows: no finding again.
    const beforeSelector = client.published.length;
    await client.change(svcUri, [{ text: SVC.replace('app: api', 'app: web') }]);
    const fixed = await client.waitFor((p) => p.uri === svcUri && p.version === 2, 10000, beforeSelector);
    assert.deepEqual(codes(fixed, 'k8s/selector-mismatch'), []);
    assert.equal(fileUri(path.join(folder, 'deploy', 'svc.yaml')), svcUri);
  } finally {
    await client.shutdown();
  }
});
