// `.shipshape.yaml`: schema validation with line:column, did-you-mean, nearest-file-wins resolution,
// and the generated schema file and docs/config.md being up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, ConfigValidator, NearestConfigResolver } from '../../server/src/engine/config/config-file';
import { defineGoRule } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules/index';
import { CONFIG_DOC, SCHEMA_FILE, renderConfigDoc, renderSchema } from '../../scripts/config-gen';
import { workspace } from '../support/cli';

const rule = defineGoRule({
  id: 'go/test-depth',
  meta: {
    title: 't', description: 'd', severity: 'warning', fixable: false, messages: { m: 'm' },
    options: { maxDepth: { type: 'integer', description: 'how deep', default: 3, minimum: 1 }, mode: { type: 'string', description: 'm', default: 'a', enum: ['a', 'b'] } },
  },
  queries: {},
  check() {},
});
const validator = new ConfigValidator([rule]);

function problems(text: string): string[] {
  const r = validator.check('c.yaml', text);
  return r.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
}

test('valid configs load; an empty file configures nothing', () => {
  const text = 'rules:\n  go/test-depth:\n    severity: error\n    options: { maxDepth: 5, mode: b }\nexclude: [gen/**]\noverrides:\n  - files: ["**/*_test.go", "x/**"]\n    rules: { go/test-depth: off }\nmaxFileSize: 1000\n';
  assert.deepEqual(problems(text), []);
  assert.deepEqual(validator.check('c.yaml', '').config, {});
  assert.deepEqual(validator.check('c.yaml', '# only a comment\n').config, {});
});

test('unknown rule ids and options: line:column of the key and a suggestion', () => {
  assert.deepEqual(problems('rules:\n  go/test-dept: error\n'), ['2:3 unknown rule id "go/test-dept" in "rules" (did you mean "go/test-depth"?)']);
  assert.deepEqual(problems('rules:\n  go/test-depth:\n    options:\n      maxDepht: 2\n'), ['4:7 unknown option "maxDepht" in "rules.go/test-depth.options" (did you mean "maxDepth"?)']);
  assert.deepEqual(problems('overrides:\n  - files: a\n    rules:\n      go/nothing-like-it-at-all: off\n'), ['4:7 unknown rule id "go/nothing-like-it-at-all" in "overrides.0.rules"']);
  assert.deepEqual(problems('rulez: {}\n'), ['1:1 unknown key "rulez" in the config (did you mean "rules"?)']);
});

test('wrong values: one message per problem, at the value', () => {
  assert.deepEqual(problems('rules:\n  go/test-depth: warn\n'), ['2:18 "rules.go/test-depth" must be one of "off", "info", "warning", "error", not "warn"']);
  const line = '    options: { maxDepth: 0, mode: c }';
  assert.deepEqual(problems(`rules:\n  go/test-depth:\n${line}\n`), [
    `3:${line.indexOf('0') + 1} "rules.go/test-depth.options.maxDepth" must be >= 1`,
    `3:${line.indexOf('c }') + 1} "rules.go/test-depth.options.mode" must be one of "a", "b", not "c"`,
  ]);
  assert.deepEqual(problems('maxFileSize: big\n'), ['1:14 "maxFileSize" must be integer']);
  assert.deepEqual(problems('overrides:\n  - rules: {}\n'), ["2:5 \"overrides.0\" must have required property 'files'"]);
  assert.deepEqual(problems('- a\n- b\n'), ['1:1 the config must be object']);
});

test('broken YAML and duplicate keys are reported at their position', () => {
  assert.match(problems('rules:\n  a: [1,\n')[0], /^\d+:\d+ invalid YAML: /);
  assert.match(problems('rules: {}\nrules: {}\n')[0], /^2:1 invalid YAML: Map keys must be unique/);
});

test('columns count UTF-16 units after non-ASCII text', () => {
  const line = '{ exclude: ["café 🚀"], rules: { "go/test-dëpth": off } }';
  assert.deepEqual(problems(`${line}\n`), [`1:${line.indexOf('"go/') + 1} unknown rule id "go/test-dëpth" in "rules" (did you mean "go/test-depth"?)`]);
});

test('nearest .shipshape.yaml wins, within the root; invalid files throw ConfigError', () => {
  const ws = workspace({
    '.shipshape.yaml': 'rules: { go/test-depth: error }\nexclude: ["skip/**"]\n',
    'a/b/main.go': '',
    'c/.shipshape.yaml': 'rules: { go/test-depth: { options: { maxDepth: 9 } } }\nmaxFileSize: 10\n',
    'c/d/main.go': '',
    'bad/.shipshape.yaml': 'rules: { nope/x: off }\n',
    'bad/main.go': '',
  });
  try {
    const r = new NearestConfigResolver([rule], validator, { roots: [ws.dir] });
    assert.equal(r.forFile(path.join(ws.dir, 'a/b/main.go')).rules.get('go/test-depth')?.severity, 'error');
    const c = r.forFile(path.join(ws.dir, 'c/d/main.go')).rules.get('go/test-depth');
    assert.deepEqual([c?.severity, c?.options.maxDepth], ['warning', 9], 'files do not merge: c/ is configured by c/.shipshape.yaml alone');
    assert.equal(r.maxFileSizeFor(path.join(ws.dir, 'c/d/main.go')), 10);
    assert.equal(r.isExcluded(path.join(ws.dir, 'skip/x.go')), true);
    assert.equal(r.configFileFor(path.join(ws.dir, 'a/b/main.go')), path.join(ws.dir, '.shipshape.yaml'));
    assert.throws(() => r.forFile(path.join(ws.dir, 'bad/main.go')), (e: unknown) => e instanceof ConfigError && /bad\/\.shipshape\.yaml:1:10: unknown rule id "nope\/x"/.test(e.message));
    // Above the root, nothing is read.
    const inner = new NearestConfigResolver([rule], validator, { roots: [path.join(ws.dir, 'a')] });
    assert.equal(inner.forFile(path.join(ws.dir, 'a/b/main.go')).rules.get('go/test-depth')?.severity, 'warning');
    assert.equal(inner.configFileFor(path.join(ws.dir, 'a/b/main.go')), undefined);
  } finally {
    ws.cleanup();
  }
});

test('defaults (editor settings) fill what a config file leaves unset', () => {
  const ws = workspace({ '.shipshape.yaml': 'rules: { go/test-depth: { options: { mode: b } } }\n', 'main.go': '' });
  try {
    const r = new NearestConfigResolver([rule], validator, { roots: [ws.dir], defaults: { rules: { 'go/test-depth': 'info' } }, inlineConfig: false });
    const c = r.forFile(path.join(ws.dir, 'main.go'));
    assert.equal(c.inlineConfig, false);
    assert.equal(c.rules.get('go/test-depth')?.options.mode, 'b');
  } finally {
    ws.cleanup();
  }
});

test('schemas/shipshape.schema.json and docs/config.md are up to date (npm run docs:gen)', () => {
  assert.equal(fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '', renderSchema(RULES), 'schemas/shipshape.schema.json is stale: run npm run docs:gen');
  assert.equal(fs.existsSync(CONFIG_DOC) ? fs.readFileSync(CONFIG_DOC, 'utf8') : '', renderConfigDoc(RULES), 'docs/config.md is stale: run npm run docs:gen');
});

test('package.json registers the schema for .shipshape.yaml', () => {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { contributes: { yamlValidation?: { fileMatch: string; url: string }[] } };
  const entry = pkg.contributes.yamlValidation?.find((v) => v.fileMatch === '.shipshape.yaml');
  assert.ok(entry);
  assert.ok(fs.existsSync(path.resolve(__dirname, '../..', entry.url)));
});
