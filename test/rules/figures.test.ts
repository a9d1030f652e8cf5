// Figures: the numbers rules attach to their findings (the hover's "what it costs here", JSON `figures`,
// SARIF `properties.figures`). Values per rule on fixture files and small workspaces; every figure a rule
// reports is declared in its meta.figures; and the one formatter reads them the same for every rule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import type { Finding } from '../../server/src/core/finding';
import { figureLines, formatBytes, formatFigure } from '../../server/src/host-shared/figures';
import { fixtureDir, fixtureSources } from '../support/harness';

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(50 * 1024 * 1024));
});
after(() => { engine.dispose(); });

function analyse(ruleId: string, file: string, root: string, text = fs.readFileSync(file, 'utf8')): Finding[] {
  const config = new StaticConfigResolver(RULES, {}, root);
  return engine.analyze({ path: file, text }, { config: config.forFile(file), roots: [root], onlyRules: new Set([ruleId]) }).findings.filter((f) => f.ruleId === ruleId);
}

/** The figures of the one finding whose message matches. */
function figuresOf(findings: readonly Finding[], message: RegExp): Finding['figures'] {
  const hits = findings.filter((f) => message.test(f.message));
  assert.equal(hits.length, 1, `one finding matching ${message}, got: ${findings.map((f) => f.message).join(' | ')}`);
  return hits[0].figures;
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-figures-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const MIB = 2 ** 20;

test('go/large-struct-range-copy: the element size, and the bytes copied per pass when the length is known', () => {
  const main = `package main

type Order struct {
	ID    [64]byte
	Items [20]int64
}

func sum(orders []Order) (n int) {
	for _, o := range orders {
		n += len(o.ID)
	}
	return n
}

func fixed() (n int) {
	batch := make([]Order, 1000)
	for _, o := range batch {
		n += len(o.ID)
	}
	var lit = []Order{{}, {}, {}}
	for _, o := range lit {
		n += len(o.ID)
	}
	var arr [4]Order
	for _, o := range arr {
		n += len(o.ID)
	}
	grown := make([]Order, 10)
	grown = append(grown, Order{})
	for _, o := range grown {
		n += len(o.ID)
	}
	return n
}
`;
  const dir = workspace({ 'go.mod': 'module example.com/figures\n\ngo 1.22\n', 'main.go': main });
  const findings = analyse('go/large-struct-range-copy', path.join(dir, 'main.go'), dir, main);
  const byLine = (needle: string): Finding['figures'] => {
    const line = main.slice(0, main.indexOf(needle)).split('\n').length;
    const hit = findings.find((f) => main.slice(0, f.span.start).split('\n').length === line);
    assert.ok(hit, `a finding on "${needle}"`);
    return hit.figures;
  };
  assert.deepEqual(byLine('range orders'), { elementBytes: 224 });
  assert.deepEqual(byLine('range batch'), { elementBytes: 224, length: 1000, bytesPerPass: 224_000 });
  assert.deepEqual(byLine('range lit'), { elementBytes: 224, length: 3, bytesPerPass: 672 });
  assert.deepEqual(byLine('range arr'), { elementBytes: 224, length: 4, bytesPerPass: 896 });
  // Appended to after its declaration: the length is no longer known, no guess.
  assert.deepEqual(byLine('range grown'), { elementBytes: 224 });
});

test('go/string-concat-in-loop: the quadratic copy for a constant bound, in bytes when the pieces are literals', () => {
  const main = `package main

func dots() string {
	s := ""
	for i := 0; i < 1000; i++ {
		s += "ab"
	}
	return s
}

func names(xs []string) string {
	s := ""
	for i := 0; i < 100; i++ {
		s += xs[i]
	}
	return s
}

func unknown(xs []string) string {
	s := ""
	for _, x := range xs {
		s += x
	}
	return s
}
`;
  const dir = workspace({ 'go.mod': 'module example.com/figures\n\ngo 1.22\n', 'main.go': main });
  const findings = analyse('go/string-concat-in-loop', path.join(dir, 'main.go'), dir, main);
  assert.equal(findings.length, 3);
  const [dots, names, unknown] = findings;
  // 1000 steps of 2 bytes: 2 × 1000·1001/2 bytes copied.
  assert.deepEqual(dots.figures, { iterations: 1000, appendedBytes: 2, bytesCopied: 1_001_000, copiesPerByte: 500.5 });
  assert.deepEqual(names.figures, { iterations: 100, copiesPerByte: 50.5 });
  assert.equal(unknown.figures, undefined);
});

test('k8s/gomemlimit-missing: the memory limit, the suggested GOMEMLIMIT and the headroom', () => {
  const dir = fixtureDir('k8s/gomemlimit-missing');
  const file = path.join(dir, 'shop', 'deploy', 'deployment.yaml');
  const findings = analyse('k8s/gomemlimit-missing', file, dir);
  assert.deepEqual(figuresOf(findings, /container api .*512Mi/), { memoryLimit: 512 * MIB, suggestedGomemlimit: '409MiB', gomemlimitBytes: 409 * MIB, headroom: 103 * MIB });
  assert.deepEqual(figuresOf(findings, /container server .*1Gi/), { memoryLimit: 1024 * MIB, suggestedGomemlimit: '819MiB', gomemlimitBytes: 819 * MIB, headroom: 205 * MIB });
});

test('k8s/gomemlimit-invalid: limit, GOMEMLIMIT as Go reads it and the (missing) headroom', () => {
  const dir = fixtureDir('k8s/gomemlimit-invalid');
  const findings = analyse('k8s/gomemlimit-invalid', path.join(dir, 'deployment.yaml'), dir);
  assert.deepEqual(figuresOf(findings, /GOMEMLIMIT=512MiB is not below/), { memoryLimit: 512 * MIB, gomemlimit: 512 * MIB, headroom: 0 });
  assert.deepEqual(figuresOf(findings, /GOMEMLIMIT=2GiB is not below/), { memoryLimit: 1024 * MIB, gomemlimit: 2048 * MIB, headroom: -1024 * MIB });
});

test('k8s/gomaxprocs-cpu-limit: the CPU limit and what the runtime does without GOMAXPROCS on a 16-core node', () => {
  const dir = fixtureDir('k8s/gomaxprocs-cpu-limit');
  const findings = analyse('k8s/gomaxprocs-cpu-limit', path.join(dir, 'orders', 'deploy', 'deployment.yaml'), dir);
  assert.deepEqual(figuresOf(findings, /container orders runs .*500m/), { cpuLimit: 0.5, exampleNodeCores: 16, oversubscription: 32, suggestedGomaxprocs: 1 });
  assert.deepEqual(figuresOf(findings, /container orders-worker runs .*limits.cpu 2/), { cpuLimit: 2, exampleNodeCores: 16, oversubscription: 8, suggestedGomaxprocs: 2 });
});

test('k8s/gomaxprocs-divisor: the CPU quantity, GOMAXPROCS as the divisor makes it, and with divisor 1', () => {
  const dir = fixtureDir('k8s/gomaxprocs-divisor');
  const findings = analyse('k8s/gomaxprocs-divisor', path.join(dir, 'deployment.yaml'), dir);
  assert.deepEqual(figuresOf(findings, /divisor 1m is 500 for 500m/), { cpuLimit: 0.5, gomaxprocs: 500, suggestedGomaxprocs: 1 });
});

test('every figure a rule reports on its fixtures is declared in its meta.figures (labels and units come from there)', () => {
  const problems: string[] = [];
  let seen = 0;
  for (const rule of RULES.filter((r) => r.meta.figures)) {
    const dir = fixtureDir(rule.id);
    for (const file of fixtureSources(dir)) {
      for (const f of analyse(rule.id, file, dir)) {
        for (const name of Object.keys(f.figures ?? {})) {
          seen++;
          if (!rule.meta.figures?.[name]) problems.push(`${rule.id}: figure "${name}" (${path.relative(dir, file)}) is not in meta.figures`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(seen > 20, `figures seen on fixtures: ${seen}`);
});

test('figures read the same for every rule: bytes in binary units, CPUs as cores, in meta.figures order', () => {
  assert.equal(formatBytes(96), '96 B');
  assert.equal(formatBytes(224_000), '219 KiB');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(409 * MIB), '409 MiB');
  assert.equal(formatBytes(-1024 * MIB), '-1 GiB');
  assert.equal(formatFigure(224, 'bytes'), '224 B');
  assert.equal(formatFigure(512 * MIB, 'bytes'), '512 MiB (536,870,912 bytes)');
  assert.equal(formatFigure(0.5, 'cpu'), '0.5 CPUs (500m)');
  assert.equal(formatFigure(1, 'cpu'), '1 CPU');
  assert.equal(formatFigure(32, 'ratio'), '32×');
  assert.equal(formatFigure(1_001_000, 'count'), '1,001,000');
  assert.equal(formatFigure('409MiB', 'text'), '409MiB');
  const meta = { figures: { a: { label: 'First', unit: 'bytes' }, b: { label: 'Second', unit: 'count' } } } as const;
  assert.deepEqual(figureLines({ extra: 'x', b: 2, a: 3 }, meta), [
    { name: 'a', label: 'First', text: '3 B' },
    { name: 'b', label: 'Second', text: '2' },
    { name: 'extra', label: 'extra', text: 'x' },
  ]);
  assert.deepEqual(figureLines(undefined, meta), []);
});
