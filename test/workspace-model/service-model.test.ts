import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { ServiceModelStore, buildServiceModel, serviceOf, type ServiceModel } from '../../server/src/workspace/service-model';
import { diskModelSource } from '../../server/src/workspace/service-model/host';

/**
 * The service model on mini workspaces (test/workspace-model/fixtures/<case>/):
 * one per link kind and per ambiguity. Links and unlinked items are compared
 * as `kind from -> to` / `why node`, paths relative to the fixture.
 */

const FIXTURES = path.join(__dirname, 'fixtures');
let engine: Engine;
const files = new DiskFileSource(4_000_000);

before(async () => {
  engine = await Engine.create([], files);
});
after(() => {
  engine.dispose();
});

function modelOf(dir: string): ServiceModel {
  return buildServiceModel(diskModelSource([dir], files, engine.facts));
}

function relIds(root: string, s: string): string {
  return s.split(`${root}/`).join('').split(root).join('.');
}

interface Expect {
  links: string[];
  unlinked: string[];
  runs: string[];
}

const CASES: Record<string, Expect> = {
  skaffold: {
    links: [
      'go-build dockerfile:services/api/Dockerfile -> main:services/api/cmd/server',
      'skaffold container:k8s/deploy.yaml#Deployment/gateway/gateway -> dockerfile:services/api/Dockerfile',
    ],
    unlinked: [
    ],
    runs: ['Deployment/gateway/gateway go nonroot'],
  },
  compose: {
    links: [
      'go-build dockerfile:web/Dockerfile -> main:web',
      'compose container:k8s/deploy.yaml#Deployment/storefront/storefront -> dockerfile:web/Dockerfile',
    ],
    unlinked: [
      'not-go dockerfile:other/Dockerfile',
    ],
    runs: ['Deployment/storefront/storefront go nonroot'],
  },
  kustomize: {
    links: [
      'go-build dockerfile:build/Dockerfile -> main:cmd/billing-svc',
      'kustomize-image container:deploy/deploy.yaml#Deployment/billing/billing -> image:ghcr.io/acme/billing',
      'build-script container:deploy/deploy.yaml#Deployment/billing/billing -> dockerfile:build/Dockerfile',
    ],
    unlinked: [
    ],
    runs: ['Deployment/billing/billing go nonroot'],
  },
  ko: {
    links: [
      'ko container:k8s/deploy.yaml#Deployment/ingest/ingest -> main:cmd/ingest',
      'skaffold container:k8s/ko-skaffold.yaml#Deployment/ingest-ko/ingest -> main:cmd/ingest',
      'service-selector service:k8s/ko-skaffold.yaml#ingest -> workload:k8s/ko-skaffold.yaml#Deployment/ingest-ko',
      'hpa-target hpa:k8s/ko-skaffold.yaml#ingest -> workload:k8s/ko-skaffold.yaml#Deployment/ingest-ko',
    ],
    unlinked: [
      'unresolved container:k8s/missing.yaml#Deployment/ghost/ghost',
    ],
    runs: ['Deployment/ingest/ingest go nonroot', 'Deployment/ghost/ghost unknown', 'Deployment/ingest-ko/ingest go nonroot'],
  },
  script: {
    links: [
      'go-build dockerfile:Dockerfile -> main:.',
      'build-script container:k8s/deploy.yaml#Deployment/postman/postman -> dockerfile:Dockerfile',
    ],
    unlinked: [
    ],
    runs: ['Deployment/postman/postman other nonroot'],
  },
  byname: {
    links: [
      'go-build dockerfile:api/Dockerfile -> main:api',
      'go-build dockerfile:docker/orders.Dockerfile -> main:cmd/orders',
      'name-binary dockerfile:dockerfiles/Dockerfile.reports -> main:cmd/reports',
      'go-build dockerfile:images/Dockerfile -> main:cmd/notifier',
      'name-dockerfile-dir container:k8s/api.yaml#Deployment/api/api -> dockerfile:api/Dockerfile',
      'name-main-dir container:k8s/notifier.yaml#Deployment/notifier/notifier -> main:cmd/notifier',
      'name-main-dir container:k8s/notifier.yaml#Deployment/notifier/notifier -> dockerfile:images/Dockerfile',
      'name-binary container:k8s/orders.yaml#Deployment/orders/orders -> dockerfile:docker/orders.Dockerfile',
    ],
    unlinked: [
      'no-candidate container:k8s/postgres.yaml#Deployment/db/db',
    ],
    runs: ['Deployment/api/api go nonroot', 'Deployment/notifier/notifier go nonroot', 'Deployment/orders/orders go nonroot', 'Deployment/db/db unknown'],
  },
  single: {
    links: [
      'single-main dockerfile:Dockerfile -> main:server',
    ],
    unlinked: [
    ],
    runs: [],
  },
  ambiguous: {
    links: [
      'go-build dockerfile:a/api/Dockerfile -> main:a/api',
      'go-build dockerfile:b/api/Dockerfile -> main:b/api',
      'go-build dockerfile:shop/Dockerfile -> main:shop',
      'go-build dockerfile:shop/Dockerfile.scratch -> main:shop',
      'name-dockerfile-dir container:k8s/shop.yaml#Deployment/shop/shop -> main:shop',
    ],
    unlinked: [
      'ambiguous dockerfile:tools/Dockerfile',
      'ambiguous container:k8s/api.yaml#Deployment/api/api',
      'ambiguous container:k8s/shop.yaml#Deployment/shop/shop',
      'ambiguous container:k8s/twice.yaml#Deployment/twice/twice',
      'unresolved container:k8s/var.yaml#Deployment/var/var',
    ],
    runs: ['Deployment/api/api unknown', 'Deployment/shop/shop go', 'Deployment/twice/twice unknown', 'Deployment/var/var unknown'],
  },
};

for (const [name, want] of Object.entries(CASES)) {
  test(`service model: ${name}`, () => {
    const root = path.join(FIXTURES, name);
    const model = modelOf(root);
    const r = (s: string): string => relIds(root, s);
    assert.deepEqual(model.links.map((l) => r(`${l.kind} ${l.from} -> ${l.to}`)).sort(), [...want.links].sort());
    assert.deepEqual(model.unlinked.map((u) => r(`${u.why} ${u.node}`)).sort(), [...want.unlinked].sort());
    assert.deepEqual(model.containers.map((c) => `${r(c.id).split('#')[1]} ${c.runs}${c.user ? ` ${c.user.value}` : ''}`).sort(), [...want.runs].sort());
    for (const l of model.links) assert.ok(l.reason.length > 10, `a reason for ${l.kind}`);
    for (const u of model.unlinked) assert.ok(u.reason.length > 10, `a reason for ${u.node}`);
  });
}

test('service model: a service joins main, Dockerfile, workloads, Services, ports and probes against routes', () => {
  const root = path.join(FIXTURES, 'ko');
  const model = modelOf(root);
  const [svc] = model.services;
  assert.equal(svc.name, 'ingest');
  assert.deepEqual(svc.ports, { listens: [8080], expose: [], containerPorts: [8080], servicePorts: [80] });
  assert.deepEqual(svc.probes.map((p) => `${p.kind} ${p.path} ${p.served}`), ['livenessProbe /livez no', 'readinessProbe /healthz yes']);
  const views = serviceOf(model, path.join(root, 'cmd/ingest/main.go'));
  assert.equal(views.length, 1);
  assert.equal(views[0].containers.length, 2);
  assert.deepEqual(serviceOf(model, path.join(root, 'k8s/ko-skaffold.yaml')).map((v) => v.entry.name), ['ingest']);
});

test('service model: the effective user and the context of a Dockerfile', () => {
  const model = modelOf(path.join(FIXTURES, 'byname'));
  const reports = model.dockerfiles.find((d) => d.file.endsWith('Dockerfile.reports'));
  assert.equal(reports?.facts.user?.value, '10001');
  assert.equal(reports.facts.builds.at(0)?.finalPath, '/reports');
  const sk = modelOf(path.join(FIXTURES, 'skaffold'));
  assert.equal(sk.dockerfiles[0].context, path.join(FIXTURES, 'skaffold', 'services/api'));
  assert.match(sk.dockerfiles[0].contextReason, /skaffold\.yaml builds it from services\/api/);
});

test('service model: update re-links only when a file\'s facts change', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-model-'));
  try {
    fs.cpSync(path.join(FIXTURES, 'ko'), tmp, { recursive: true });
    const store = new ServiceModelStore(diskModelSource([tmp], files, engine.facts));
    const first = store.build();
    const main = path.join(tmp, 'cmd/ingest/main.go');
    const text = fs.readFileSync(main, 'utf8');
    // A comment at the end moves nothing the model reads: same model object.
    fs.writeFileSync(main, `${text}\n// café 🚀\n`);
    assert.equal(store.update([main]), first);
    // A new route: facts differ, the model is re-linked and the probe is served.
    fs.writeFileSync(main, text.replace('http.HandleFunc("GET /healthz"', 'http.HandleFunc("GET /livez", nil)\n\thttp.HandleFunc("GET /healthz"'));
    const second = store.update([main]);
    assert.notEqual(second, first);
    assert.deepEqual(second.services[0].probes.map((p) => p.served), ['yes', 'yes']);
    // A deleted manifest drops its containers.
    fs.rmSync(path.join(tmp, 'k8s/missing.yaml'));
    const third = store.update([path.join(tmp, 'k8s/missing.yaml')]);
    assert.equal(third.containers.some((c) => c.id.includes('ghost')), false);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
