// go/missing-context cases that need their own go.mod or are easier to state as tables than as fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { resolveFixes } from '../../server/src/core/finding';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';

let engine: Engine;
let files: Record<string, string> = {};
const source: FileSource = {
  readText: (p) => files[p],
  listDir: (d) => {
    const names = Object.keys(files).filter((p) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/')).map((p) => p.slice(d.length + 1));
    return names.length > 0 ? names : undefined;
  },
  versionOf: (p) => (p in files ? String(files[p].length) : undefined),
};
before(async () => {
  engine = await Engine.create(RULES, source);
});
after(() => { engine.dispose(); });

function run(goVersion: string, body: string): { message: string; fixes: number }[] {
  files = { '/ws/go.mod': `module example.com/x\n\ngo ${goVersion}\n`, '/ws/h.go': body };
  const config = new StaticConfigResolver(RULES, {}, '/ws');
  const a = engine.analyze({ path: '/ws/h.go', text: body }, { config: config.forFile('/ws/h.go'), roots: ['/ws'], onlyRules: new Set(['go/missing-context']) });
  return a.findings.map((f) => ({ message: f.message, fixes: resolveFixes(f).length }));
}

const HANDLER = `package x

import (
	"context"
	"database/sql"
	"net/http"
)

var db *sql.DB

func h(w http.ResponseWriter, r *http.Request) {
	go func() {
		_, _ = db.Exec("DELETE FROM t")
	}()
}

func keep(ctx context.Context) {}
`;

test('a goroutine outliving the request gets context.WithoutCancel only from go 1.21', () => {
  const modern = run('1.22', HANDLER);
  assert.equal(modern.length, 1);
  assert.match(modern[0].message, /pass context\.WithoutCancel\(r\.Context\(\)\)/);
  assert.equal(modern[0].fixes, 1);
  const old = run('1.20', HANDLER);
  assert.equal(old.length, 1);
  assert.match(old[0].message, /no fix: context\.WithoutCancel needs go 1\.21/);
  assert.equal(old[0].fixes, 0);
});

test('shadowed, discarded and unused contexts', () => {
  const src = `package x

import (
	"context"
	"database/sql"
)

var db *sql.DB

func shadowed(ctx context.Context, ids []int) {
	for _, id := range ids {
		ctx := id
		_ = ctx
		_, _ = db.Exec("x")
	}
}

func discarded(_ context.Context) {
	_, _ = db.Exec("x")
}

func unused(ctx context.Context) {
	_, _ = db.Exec("x")
}

func derived(ctx context.Context) {
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	_, _ = db.Exec("x")
	_ = sub
}
`;
  const got = run('1.22', src).map((f) => f.message);
  assert.deepEqual(got, [
    'db.Exec ignores ctx: the work goes on after the caller gives up; use db.ExecContext',
    'db.Exec ignores sub: the work goes on after the caller gives up; use db.ExecContext',
  ]);
});

const NO_CONTEXT = `package x

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os/exec"
)

var db *sql.DB

func startup() error {
	if _, err := db.Query("SELECT 1"); err != nil {
		return err
	}
	resp, err := http.Get("http://config/service")
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	_ = req
	_ = exec.Command("true").Run()
	c, _ := net.Dial("tcp", "cache:6379")
	_ = c
	return nil
}

func live(ctx context.Context) {
	_ = db.PingContext(ctx)
}
`;

function runWith(options: Record<string, unknown>, body: string): { message: string; severity: string; fixes: number }[] {
  files = { '/ws/go.mod': 'module example.com/x\n\ngo 1.22\n', '/ws/h.go': body };
  const config = new StaticConfigResolver(RULES, { rules: { 'go/missing-context': { options } } }, '/ws');
  const a = engine.analyze({ path: '/ws/h.go', text: body }, { config: config.forFile('/ws/h.go'), roots: ['/ws'], onlyRules: new Set(['go/missing-context']) });
  return a.findings.map((f) => ({ message: f.message, severity: f.severity, fixes: resolveFixes(f).length }));
}

test('requireContext (off by default): context-less calls with no context in scope, at info and without a fix', () => {
  assert.deepEqual(runWith({}, NO_CONTEXT), []);
  const strict = runWith({ requireContext: true }, NO_CONTEXT);
  assert.deepEqual(strict.map((f) => f.message.split(' ')[0]), ['db.Query', 'http.Get', 'http.NewRequest', 'exec.Command', 'net.Dial']);
  assert.ok(strict.every((f) => f.severity === 'info' && f.fixes === 0));
  assert.match(strict[0].message, /db\.Query cannot be cancelled and no context is in scope; take a context and use db\.QueryContext/);
});
