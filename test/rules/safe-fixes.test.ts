// What --fix and fix-all may apply (a safe fix) where applying a fix would change what the program does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
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

test('a fresh context given its own budget where the caller\'s ctx is in scope: info, no safe fix', () => {
  const text = FALLBACK.replace(/\tpctx[\s\S]*?\t}\n/, '');
  const r = run('/ws/read.go', text, 'go/missing-context');
  assert.deepEqual(r.findings.map((f) => f.safeFix), [undefined]);
  assert.equal(r.fixed, text);
});

test('the live case still gets its safe fix: the caller\'s ctx replaced by context.TODO()', () => {
  const text = FALLBACK.replace(/\tpctx[\s\S]*?\t}\n/, '').replace('\tfctx, fcancel', '\tctx = context.TODO()\n\tfctx, fcancel').replace('context.WithTimeout(context.Background(), 2*time.Second)', 'context.WithTimeout(ctx, 2*time.Second)');
  const r = run('/ws/read.go', text, 'go/missing-context');
  assert.deepEqual(r.findings.map((f) => f.safeFix), ['Remove the statement: use ctx']);
  assert.doesNotMatch(r.fixed, /context\.TODO/);
});

test('the caller\'s ctx overwritten with a fresh derived one (a worker detached on purpose): info, no safe fix', () => {
  const text = FALLBACK.replace(/\tpctx[\s\S]*?\t}\n/, '').replace('fctx, fcancel := context.WithTimeout(context.Background()', 'ctx, fcancel := context.WithTimeout(context.Background()').replace('fallback.Get(fctx)', 'fallback.Get(ctx)');
  const r = run('/ws/read.go', text, 'go/missing-context');
  assert.deepEqual(r.findings.map((f) => f.safeFix), [undefined]);
  assert.equal(r.fixed, text);
});

test('a test\'s own context and a nil guard are not the caller\'s: --fix leaves them', () => {
  const text = `package x

import (
	"context"
	"database/sql"
)

func count(db *sql.DB) (n int, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	err = tx.QueryRow("SELECT 1").Scan(&n)
	return n, err
}

func orDefault(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return ctx
}
`;
  const r = run('/ws/count.go', text, 'go/missing-context');
  assert.deepEqual(r.findings, []);
  assert.equal(r.fixed, text);
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

test('go/unclosed-body: a response handed to the caller on one path gets no safe defer Close (it would cut the stream)', () => {
  const text = `package x

import (
\t"errors"
\t"io"
\t"net/http"
)

func open(c *http.Client, req *http.Request) (io.ReadCloser, error) {
\tres, err := c.Do(req)
\tif err != nil {
\t\treturn nil, err
\t}
\tif res.StatusCode == http.StatusNoContent {
\t\treturn nil, errors.New("empty")
\t}
\treturn res.Body, nil
}
`;
  const r = run('/ws/open.go', text, 'go/unclosed-body');
  assert.deepEqual(r.findings.map((f) => f.safeFix), [undefined]);
  assert.equal(r.fixed, text);
  const owned = run('/ws/open.go', text.replace('\treturn res.Body, nil', '\tdefer res.Body.Close()\n\treturn io.NopCloser(nil), nil'), 'go/unclosed-body');
  assert.deepEqual(owned.findings.map((f) => f.safeFix), ['Move defer res.Body.Close() up to right after the error check']);
});

test('go/missing-context: rows returned past a deferred cancel get no safe fix; the same query scanned here does', () => {
  const text = `package x

import (
\t"context"
\t"database/sql"
\t"time"
)

func list(ctx context.Context, db *sql.DB) (*sql.Rows, error) {
\tctx, cancel := context.WithTimeout(ctx, time.Second)
\tdefer cancel()
\treturn db.Query("SELECT id FROM users")
}

func count(ctx context.Context, db *sql.DB) (n int, err error) {
\tctx, cancel := context.WithTimeout(ctx, time.Second)
\tdefer cancel()
\terr = db.QueryRow("SELECT count(*) FROM users").Scan(&n)
\treturn n, err
}
`;
  const r = run('/ws/list.go', text, 'go/missing-context');
  assert.deepEqual(r.findings.map((f) => f.safeFix), [undefined, 'Use QueryRowContext']);
});
