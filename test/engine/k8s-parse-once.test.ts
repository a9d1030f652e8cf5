import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { auditFiles, collectFiles } from '../../server/src/engine/audit';
import { RULES } from '../../server/src/rules/index';
import { findingsAlone, shownFindings } from '../support/alone';

// An audit parses each manifest and Dockerfile once: the trees the fact store parsed for the service model (and for a
// manifest folder's index) are the ones the files are analysed on. Before, each was parsed for the model and again
// for itself, and a folder's manifests were scanned per object for the cross-file k8s rules.

/** Counts the parses of one document kind (the adapter's parse, wherever it is called from). */
function countParses(engine: Engine, kind: string): { count: number; restore(): void } {
  const adapter = engine.languages.byKind(kind);
  if (!adapter) throw new Error(`no ${kind} adapter`);
  const parse = adapter.parse.bind(adapter);
  const counter = { count: 0, restore: () => { Object.assign(adapter, { parse }); } };
  Object.assign(adapter, { parse: (...args: Parameters<typeof parse>) => (counter.count++, parse(...args)) });
  return counter;
}

const deployment = (i: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: app\n          image: example.com/app:${i}\n          ports:\n            - containerPort: 8080\n              name: http\n` +
  `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector:\n    app: app-${i % 3 === 0 ? 'gone' : String(i)}\n  ports:\n    - port: 80\n      targetPort: ${i % 4 === 0 ? 'grpc' : 'http'}\n` +
  (i % 2 === 0 ? `---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: app-${i}\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: app-${(i + 1) % 12}\n  maxReplicas: 4\n` : '');


test('audit: each manifest and Dockerfile parsed once; findings as when each file is analysed alone', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-k8s-once-'));
  try {
    fs.cpSync(path.resolve(__dirname, '../../examples/shop'), root, { recursive: true });
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(root, 'k8s', `app-${String(i)}.yaml`), deployment(i));
    const config = new StaticConfigResolver(RULES, {}, root);
    const collected = collectFiles([root], config);
    const manifests = collected.files.filter((f) => f.endsWith('.yaml'));
    const dockerfiles = collected.files.filter((f) => path.basename(f).startsWith('Dockerfile'));
    assert.ok(manifests.length >= 13 && dockerfiles.length >= 2);

    const engine = await Engine.create(RULES, new DiskFileSource(1024 * 1024));
    const k8s = countParses(engine, 'k8s');
    const docker = countParses(engine, 'docker');
    const audited = auditFiles(engine, collected, { roots: [root], config });
    assert.equal(k8s.count, manifests.length, 'one parse per manifest');
    assert.equal(docker.count, dockerfiles.length, 'one parse per Dockerfile');
    k8s.restore();
    docker.restore();
    engine.dispose();
    const rules = new Set(audited.findings.map((f) => f.ruleId));
    for (const id of ['k8s/selector-mismatch', 'k8s/hpa-fixed-replicas']) assert.ok(rules.has(id), `${id} reports in the generated folder`);

    // Each file alone, on a fresh engine per file: nothing carried between analyses.
    assert.deepEqual(shownFindings(audited.findings), shownFindings(await findingsAlone(collected.files, config, root)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
