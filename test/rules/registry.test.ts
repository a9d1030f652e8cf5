// Rule id = path: the rule module, its registry line, its fixture folder and its docs page must all exist (style.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { REPO } from '../support/harness';
import { Languages } from '../../server/src/engine/languages';

const RULES_DIR = path.join(REPO, 'server/src/rules');

test('rule ids are unique and match their domain', async () => {
  const languages = await Languages.load();
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate rule ids');
  // Domains: the kinds of the language adapters, `x` (cross-file) and `shipshape` (the engine's own).
  const domains = [...languages.documents.map((a) => a.kind), 'x', 'shipshape'];
  for (const r of RULES) {
    const [domain, name] = r.id.split('/');
    assert.ok(domains.includes(domain) && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name ?? ''), `${r.id}: <${domains.join('|')}>/<kebab-case name>`);
  }
  for (const r of RULES) assert.equal(r.id.split('/')[0], r.domain, `${r.id}: domain ${r.domain}`);
});

test('every rule has its module, fixture folder and docs page', () => {
  const problems: string[] = [];
  for (const r of RULES) {
    const module = [`${r.id}.ts`, `${r.id}/index.ts`].filter((m) => fs.existsSync(path.join(RULES_DIR, m)));
    if (module.length !== 1) problems.push(`${r.id}: needs exactly one of server/src/rules/${r.id}.ts or ${r.id}/index.ts (found ${module.length})`);
    if (!fs.existsSync(path.join(REPO, 'test/fixtures', r.id))) problems.push(`${r.id}: missing test/fixtures/${r.id}/`);
    if (!fs.existsSync(path.join(REPO, 'docs/rules', `${r.id}.md`))) problems.push(`${r.id}: missing docs/rules/${r.id}.md`);
  }
  assert.deepEqual(problems, []);
});

test('every rule module is in the registry', async () => {
  const registered = new Set<unknown>(RULES);
  const problems: string[] = [];
  for (const domain of fs.readdirSync(RULES_DIR, { withFileTypes: true })) {
    // `rules/shared/` holds report helpers several rules use; it is no domain.
    if (!domain.isDirectory() || domain.name === 'shared') continue;
    for (const entry of fs.readdirSync(path.join(RULES_DIR, domain.name), { withFileTypes: true })) {
      // A rule is `<domain>/<name>.ts`, or a folder `<domain>/<name>/` whose index.ts is the rule and whose other files are its private helpers.
      const f = entry.isDirectory() ? `${entry.name}/index.ts` : entry.name;
      if (!f.endsWith('.ts')) continue;
      if (entry.isDirectory() && !fs.existsSync(path.join(RULES_DIR, domain.name, f))) {
        problems.push(`${domain.name}/${entry.name}/ has no index.ts (a rule folder holds one rule and its helpers)`);
        continue;
      }
      const mod = (await import(path.join(RULES_DIR, domain.name, f))) as { rule?: unknown };
      if (!mod.rule) problems.push(`${domain.name}/${f} exports no \`rule\` (rule folders hold rules only)`);
      else if (!registered.has(mod.rule)) problems.push(`${domain.name}/${f} is not in server/src/rules/index.ts`);
    }
  }
  assert.deepEqual(problems, []);
});

test('rule metadata is complete', () => {
  for (const r of RULES) {
    assert.ok(r.meta.title.length > 0 && r.meta.description.length > 0, `${r.id}: title and description`);
    assert.ok(Object.keys(r.meta.messages).length > 0 || r.domain === 'shipshape', `${r.id}: messages`);
    for (const [id, msg] of Object.entries(r.meta.messages)) {
      // Lower-case start, unless the message opens with the code it names (an env var such as GOMEMLIMIT, a `{placeholder}`).
      assert.ok((/^[^A-Z]/.test(msg) || /^[A-Z][A-Z0-9_]+\b/.test(msg)) && !msg.endsWith('.'), `${r.id}.${id}: lower-case start, no final period`);
    }
    for (const [name, o] of Object.entries(r.meta.options ?? {})) {
      assert.ok(o.description.length > 0 && o.default !== undefined, `${r.id}: option ${name} needs a description and a default`);
    }
  }
});
