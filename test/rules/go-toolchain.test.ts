// Every Go golden file (each fix applied) must parse with `gofmt -e` and type-check with `go vet`
// (Go 1.23, offline; third-party imports resolve to stub modules in test/go-stubs/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readGolden, FIXTURES, REPO } from '../support/harness';
import { parseGoMod, compareGoVersions } from '../../server/src/languages/gomod/parser';

const GO_BIN = '/usr/lib/go-1.23/bin';
const STUBS = path.join(REPO, 'test/go-stubs');
const MAX_CHECKED_GO = '1.23';

function goEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${GO_BIN}:${process.env.PATH ?? ''}`,
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOSUMDB: 'off',
    GOCACHE: path.join(os.homedir(), '.cache', 'shipshape-go-build'),
    GOPATH: path.join(home, 'gopath'),
  };
}

/** Stub modules: every directory under test/go-stubs holding a go.mod, by module path. */
function stubModules(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    const mod = path.join(d, 'go.mod');
    if (fs.existsSync(mod)) {
      const name = parseGoMod(fs.readFileSync(mod, 'utf8')).module;
      if (name) out.set(name, d);
    }
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(STUBS);
  return out;
}

/** Go fixture folders: directories under test/fixtures/go holding .go files. */
function goFixtureFolders(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(d);
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  for (const domain of fs.readdirSync(FIXTURES)) {
    const dir = path.join(FIXTURES, domain);
    if (fs.statSync(dir).isDirectory()) walk(dir);
  }
  return out.sort();
}

/** The go directive of the nearest go.mod inside the fixture tree, if any. */
function fixtureGoVersion(folder: string): string | undefined {
  for (let d = folder; d.startsWith(FIXTURES) && d !== FIXTURES; d = path.dirname(d)) {
    const mod = path.join(d, 'go.mod');
    if (fs.existsSync(mod)) return parseGoMod(fs.readFileSync(mod, 'utf8')).go;
  }
  return undefined;
}

test('go toolchain: every Go golden file passes gofmt -e and go vet', (t) => {
  assert.ok(fs.existsSync(path.join(GO_BIN, 'go')), `missing Go toolchain at ${GO_BIN}: scripts/ensure-test-deps.sh installs golang-1.23-go`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-govet-'));
  const stubs = stubModules();
  const used = new Set<string>();
  const variants: { dir: string; from: string }[] = [];
  let n = 0;
  for (const folder of goFixtureFolders()) {
    const version = fixtureGoVersion(folder);
    if (version && compareGoVersions(version, MAX_CHECKED_GO) > 0) {
      t.diagnostic(`${path.relative(FIXTURES, folder)}: go ${version} > ${MAX_CHECKED_GO}, parsed by the harness, not type-checked`);
      continue;
    }
    const goFiles = fs.readdirSync(folder).filter((f) => f.endsWith('.go'));
    const goldens = goFiles.map((f) => ({ f, sections: readGolden(path.join(folder, `${f}.golden`)) }));
    const titles = new Set<string>();
    for (const g of goldens) for (const title of g.sections?.keys() ?? []) titles.add(title);
    if (!goldens.some((g) => g.sections)) continue;
    for (const title of titles) {
      const dir = path.join(tmp, `v${n++}`);
      fs.mkdirSync(dir);
      variants.push({ dir, from: `${path.relative(FIXTURES, folder)}${title ? ` [${title}]` : ''}` });
      for (const g of goldens) {
        const text = g.sections?.get(title) ?? g.sections?.get('') ?? fs.readFileSync(path.join(folder, g.f), 'utf8');
        fs.writeFileSync(path.join(dir, g.f), text);
        for (const m of text.matchAll(/"([a-z0-9.-]+\.[a-z]{2,}\/[^"\s]+)"/g)) {
          const mod = [...stubs.keys()].filter((k) => m[1] === k || m[1].startsWith(`${k}/`)).sort((a, b) => b.length - a.length)[0];
          if (mod) used.add(mod);
        }
      }
    }
  }
  if (variants.length === 0) return;
  let gomod = 'module shipshape.test/goldens\n\ngo 1.23\n';
  for (const mod of [...used].sort()) {
    // A /vN module (N >= 2) needs a vN.x.y version in require lines.
    const major = /\/v(\d+)$/.exec(mod);
    const version = major && Number(major[1]) >= 2 ? `v${major[1]}.0.0` : 'v0.0.0';
    gomod += `\nrequire ${mod} ${version}\nreplace ${mod} => ${stubs.get(mod)}\n`;
  }
  fs.writeFileSync(path.join(tmp, 'go.mod'), gomod);
  const env = goEnv(tmp);
  const fmt = spawnSync(path.join(GO_BIN, 'gofmt'), ['-e', '-l', '.'], { cwd: tmp, env, encoding: 'utf8' });
  const describe = (out: string): string => out.replace(/\.?\/?v(\d+)\//g, (_, i: string) => `[${variants[Number(i)].from}] `);
  assert.equal(fmt.stderr, '', `gofmt -e found syntax errors:\n${describe(fmt.stderr)}`);
  const vet = spawnSync(path.join(GO_BIN, 'go'), ['vet', './...'], { cwd: tmp, env, encoding: 'utf8' });
  assert.equal(vet.status, 0, `go vet failed:\n${describe(vet.stderr + vet.stdout)}`);
  fs.rmSync(tmp, { recursive: true, force: true });
});
