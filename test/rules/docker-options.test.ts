// docker/ rule options: cases a fixture cannot state (fixtures run every rule at its defaults).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { RULES } from '../../server/src/rules/index';
import { GO_RELEASES_AS_OF, oldestSupportedGo } from '../../server/src/languages/gomod/releases';
import { memoryFileSource } from '../support/memory-source';

let engine: Engine;
let files: Record<string, string> = {};
before(async () => {
  engine = await Engine.create(RULES, memoryFileSource(() => files));
});
after(() => {
  engine.dispose();
});

/** Messages of `ruleId` on a Dockerfile, with `options` for the rule and optional extra workspace files. */
function run(ruleId: string, dockerfile: string, options: Record<string, unknown> = {}, extra: Record<string, string> = {}): string[] {
  files = { ...extra, '/ws/Dockerfile': dockerfile };
  const config = new StaticConfigResolver(RULES, { rules: { [ruleId]: { options } } }, '/ws');
  const a = engine.analyze({ path: '/ws/Dockerfile', text: dockerfile }, { config: config.forFile('/ws/Dockerfile'), roots: ['/ws'], onlyRules: new Set([ruleId]) });
  try {
    return a.findings.map((f) => f.message);
  } finally {
    a.dispose();
  }
}

const LEGACY = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n';

test('no-build-cache-mount checks files without BuildKit features unless requireBuildKitOptIn', () => {
  assert.equal(run('docker/no-build-cache-mount', LEGACY).length, 1);
  assert.deepEqual(run('docker/no-build-cache-mount', LEGACY, { requireBuildKitOptIn: true }), []);
  assert.equal(run('docker/no-build-cache-mount', `# syntax=docker/dockerfile:1\n${LEGACY}`, { requireBuildKitOptIn: true }).length, 1);
});

test('package-cache reports unpinned OS packages only with requirePackagePins', () => {
  const file = [
    'FROM alpine:3.19',
    'RUN apk add --no-cache --virtual .deps curl=8.5.0-r0 ca-certificates tzdata~2024 "$EXTRA"',
    'RUN apt-get update && apt-get install -y --no-install-recommends -t bookworm-backports git=1:2.39.2-1.1 make gcc ./local.deb && rm -rf /var/lib/apt/lists/*',
    '',
  ].join('\n');
  assert.deepEqual(run('docker/package-cache', file), []);
  assert.deepEqual(run('docker/package-cache', file, { requirePackagePins: true }), [
    'apk installs ca-certificates without a version: rebuilds get whatever the mirror has that day',
    'apt-get installs make, gcc without a version: rebuilds get whatever the mirror has that day',
  ]);
});

test('base-image-unpinned accepts floating tags listed in allowTags', () => {
  const file = 'FROM nginx:stable-alpine\nCMD ["nginx"]\n';
  assert.equal(run('docker/base-image-unpinned', file).length, 1);
  assert.deepEqual(run('docker/base-image-unpinned', file, { allowTags: ['stable-alpine'] }), []);
});

test('go-version-mismatch: the support floor comes from the release table and today, or minimumGoVersion', () => {
  assert.equal(oldestSupportedGo(new Date('2026-12-05'))?.version, '1.26');
  assert.equal(oldestSupportedGo(new Date('2026-08-18'))?.version, '1.25'); // the day before Go 1.27
  assert.equal(oldestSupportedGo(new Date('2024-01-01'))?.version, '1.20');
  const file = 'FROM golang:1.25 AS build\nRUN go build -o /app .\n';
  const mod = { '/ws/go.mod': 'module example.com/x\n' };
  assert.deepEqual(run('docker/go-version-mismatch', file, { minimumGoVersion: '1.24' }, mod), []);
  assert.match(run('docker/go-version-mismatch', file, { minimumGoVersion: '1.27' }, mod).join(), /older than Go 1\.27, the oldest release accepted here \(minimumGoVersion\)/);
});

test('the go-version-mismatch docs state the release table date', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/rules/docker/go-version-mismatch.md'), 'utf8');
  assert.ok(doc.includes(GO_RELEASES_AS_OF), `docs/rules/docker/go-version-mismatch.md must say the table is as of ${GO_RELEASES_AS_OF}`);
});
