// What --fix and fix-all may apply (a safe fix) where applying a fix would change what the program does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config';
import { resolveFixes } from '../../server/src/core/finding';
import { engineFixTarget, fixAll, safeFixOf } from '../../server/src/engine/fixes';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';

let engine: Engine;
let files: Record<string, string> = {};
const source: FileSource = {
  readText: (p) => files[p],
  listDir: () => undefined,
  versionOf: (p) => (p in files ? String(files[p].length) : undefined),
};
before(async () => {
  engine = await Engine.create(RULES, source);
});
after(() => { engine.dispose(); });

/** Every finding of `rule` with the title of its safe fix (undefined: none), and the text --fix would write. */
function run(file: string, text: string, rule: string): { findings: { message: string; safeFix?: string }[]; fixed: string } {
  files = { '/ws/go.mod': 'module example.com/x\n\ngo 1.22\n', [file]: text };
  const config = new StaticConfigResolver(RULES, {}, '/ws');
  const options = { config: config.forFile(file), roots: ['/ws'], onlyRules: new Set([rule]) };
  const a = engine.analyze({ path: file, text }, options);
  const fixed = fixAll(engineFixTarget(engine, { path: file, text }, options)).text;
  return { findings: a.findings.map((f) => ({ message: f.message, safeFix: safeFixOf(resolveFixes(f))?.title })), fixed };
}

const SHUTDOWN = `package main

import (
	"context"
	"net/http"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	srv := &http.Server{Addr: ":8080"}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() { _ = srv.ListenAndServe() }()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
}
`;

const FALLBACK = `package x

import (
	"context"
	"time"
)

type Source interface{ Get(ctx context.Context) (string, error) }

func read(ctx context.Context, primary, fallback Source) (string, error) {
	pctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if v, err := primary.Get(pctx); err == nil {
		return v, nil
	}
	fctx, fcancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer fcancel()
	return fallback.Get(fctx)
}
`;

test('graceful shutdown (signal.NotifyContext docs): no finding, so --fix leaves Shutdown its fresh context', () => {
  const r = run('/ws/main.go', SHUTDOWN, 'go/missing-context');
  assert.deepEqual(r.findings, []);
  assert.equal(r.fixed, SHUTDOWN);
});

test('a fallback given its own budget from Background: no finding, --fix changes nothing', () => {
  const r = run('/ws/read.go', FALLBACK, 'go/missing-context');
  assert.deepEqual(r.findings, []);
  assert.equal(r.fixed, FALLBACK);
});

test('the live case still gets its safe fix: Background in a function that has the caller\'s ctx', () => {
  const text = FALLBACK.replace(/\tpctx[\s\S]*?\t}\n/, '');
  const r = run('/ws/read.go', text, 'go/missing-context');
  assert.deepEqual(r.findings.map((f) => f.safeFix), ['Use ctx']);
  assert.match(r.fixed, /context\.WithTimeout\(ctx, 2\*time\.Second\)/);
});

test('k8s/invalid-resources: cpu 500M as a limit beside a cpu request runs today; 500m is offered, never applied by --fix', () => {
  const yaml = (requests: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1.0.0
      resources:
        requests:
${requests}
        limits:
          cpu: 500M
          memory: 256Mi
`;
  const withRequest = run('/ws/pod.yaml', yaml('          cpu: 100m\n          memory: 128Mi'), 'k8s/invalid-resources');
  assert.deepEqual(withRequest.findings.map((f) => f.safeFix), [undefined]);
  assert.match(withRequest.fixed, /cpu: 500M/);
  const limitOnly = run('/ws/pod.yaml', yaml('          memory: 128Mi'), 'k8s/invalid-resources');
  assert.deepEqual(limitOnly.findings.map((f) => f.safeFix), ['Change to 500m'], 'the request defaults to the limit: the pod cannot be scheduled today');
});
