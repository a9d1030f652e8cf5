// thirdPartyImages (k8s/missing-limits, missing-requests, missing-probes, security-context): the severity of
// findings on images the workspace does not build, per option value, and the cases that keep their severity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { RULES } from '../../server/src/rules/index';
import { memoryFileSource } from '../support/memory-source';

let engine: Engine;
let files: Record<string, string> = {};
before(async () => {
  engine = await Engine.create(RULES, memoryFileSource(() => files));
});
after(() => {
  engine.dispose();
});

const DOCKERFILE = 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/cart .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/cart /cart\nENTRYPOINT ["/cart"]\n';

const container = (name: string, image: string, extra = ''): string =>
  `        - name: ${name}\n          image: ${image}\n          ports:\n            - containerPort: 8080\n${extra}`;

const MANIFEST = [
  'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: shop', 'spec:', '  template:', '    spec:', '      containers:',
  container('cart', 'ghcr.io/acme/cart:1.0.0').trimEnd(),
  container('redis', 'redis:7.4').trimEnd(),
  container('tuned', 'ghcr.io/acme/tuned:1.0.0', '          env:\n            - name: GOGC\n              value: "50"\n').trimEnd(),
  container('templated', '${REGISTRY}/templated:1.0.0').trimEnd(),
  container('report', 'ghcr.io/acme/report:2.0.0').trimEnd(),
  '',
].join('\n');

/** Severity of `ruleId`'s finding per container name, with the option set (or not) and with or without a Dockerfile. */
function severities(ruleId: string, option: string | undefined, withDockerfile = true): Record<string, string> {
  // One root per workspace content: the engine keeps one service model per set of roots.
  const ws = withDockerfile ? '/ws' : '/manifests-only';
  files = { [`${ws}/k8s/deploy.yaml`]: MANIFEST, ...(withDockerfile ? { [`${ws}/cart/Dockerfile`]: DOCKERFILE } : {}) };
  const config = new StaticConfigResolver(RULES, option === undefined ? {} : { rules: { [ruleId]: { options: { thirdPartyImages: option } } } }, ws);
  const a = engine.analyze({ path: `${ws}/k8s/deploy.yaml`, text: MANIFEST }, { config: config.forFile(`${ws}/k8s/deploy.yaml`), roots: [ws], onlyRules: new Set([ruleId]) });
  try {
    const out: Record<string, string> = {};
    for (const f of a.findings) out[/container (\S+)/.exec(f.message)?.[1] ?? '?'] = f.severity;
    return out;
  } finally {
    a.dispose();
  }
}

const RULE_IDS = ['k8s/missing-limits', 'k8s/missing-requests', 'k8s/missing-probes', 'k8s/security-context'];

for (const id of RULE_IDS) {
  test(`${id}: an image nothing builds is info by default, dropped with off, kept with same`, () => {
    const def = severities(id, undefined);
    assert.equal(def.cart, 'warning', 'the image the workspace builds keeps its severity');
    assert.equal(def.redis, 'info');
    assert.equal(def.tuned, 'warning', 'a Go runtime setting in env: the team runs its own Go program');
    assert.equal(def.templated, 'warning', 'an image name with a variable may be the team\'s own');
    assert.equal(def.report, 'warning', 'the namespace of an image the workspace builds (ghcr.io/acme) is the team\'s');
    assert.equal(severities(id, 'info').redis, 'info');
    assert.equal(severities(id, 'off').redis, undefined);
    assert.equal(severities(id, 'off').cart, 'warning');
    assert.equal(severities(id, 'same').redis, 'warning');
  });

  test(`${id}: a workspace that builds no image keeps every severity`, () => {
    assert.equal(severities(id, undefined, false).redis, 'warning');
  });
}

test('what the API server rejects keeps its severity on an image nothing builds', () => {
  const bad = MANIFEST.replace('          image: redis:7.4\n', '          image: redis:7.4\n          resources:\n            limits: {memory: 512MB, cpu: 500m}\n');
  files = { '/ws/k8s/deploy.yaml': bad, '/ws/cart/Dockerfile': DOCKERFILE };
  const config = new StaticConfigResolver(RULES, {}, '/ws');
  const a = engine.analyze({ path: '/ws/k8s/deploy.yaml', text: bad }, { config: config.forFile('/ws/k8s/deploy.yaml'), roots: ['/ws'], onlyRules: new Set(['k8s/invalid-resources']) });
  try {
    assert.ok(a.findings.length > 0 && a.findings.every((f) => f.severity !== 'info'), a.findings.map((f) => `${f.severity} ${f.message}`).join('\n'));
  } finally {
    a.dispose();
  }
});
