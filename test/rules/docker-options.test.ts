// docker/ rule options: cases a fixture cannot state (fixtures run every rule at its defaults).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config';
import { RULES } from '../../server/src/rules/index';
import { memoryFileSource } from '../support/memory-source';

let engine: Engine;
let files: Record<string, string> = {};
before(async () => {
  engine = await Engine.create(RULES, memoryFileSource(() => files));
});
after(() => engine.dispose());

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
