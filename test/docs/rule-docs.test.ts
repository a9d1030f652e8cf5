// Each rule's docs page: front matter title = meta.title, the headings of style.md in order,
// every option documented, Bad yields a finding of the rule and Good none (as typescript-eslint lints its docs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { REPO } from '../support/harness';
import { renderRulesIndex, RULES_INDEX } from '../../scripts/docs-gen';

const HEADINGS = ['What it flags', 'Why it matters', 'Bad', 'Good', 'Fix', 'Options', 'Suppress', 'Limits', 'Peers'];
const DEFAULT_NAMES: Record<string, string> = { go: 'main.go', dockerfile: 'Dockerfile', yaml: 'deploy.yaml', yml: 'deploy.yaml' };

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(50 * 1024 * 1024));
});
after(() => { engine.dispose(); });

interface Page {
  title?: string;
  sections: Map<string, string>;
  order: string[];
}

function readPage(file: string): Page {
  const text = fs.readFileSync(file, 'utf8');
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const title = fm ? /^title:\s*(.+)$/m.exec(fm[1])?.[1].trim().replace(/^(['"])(.*)\1$/, '$2') : undefined;
  const sections = new Map<string, string>();
  const order: string[] = [];
  let current: string | undefined;
  let inFence = false;
  for (const line of text.slice(fm ? fm[0].length : 0).split(/\r?\n/)) {
    if (line.startsWith('```')) inFence = !inFence;
    const h = !inFence && /^## (.+)$/.exec(line);
    if (h) {
      current = h[1].trim();
      order.push(current);
      sections.set(current, '');
    } else if (current) sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return { title, sections, order };
}

/** Fenced blocks of a section: ```lang [path=relative/file]. */
function codeBlocks(section: string): { lang: string; file: string; code: string }[] {
  const out: { lang: string; file: string; code: string }[] = [];
  const fence = /^```(\S*)([^\n]*)\n([\s\S]*?)^```/gm;
  for (let m = fence.exec(section); m; m = fence.exec(section)) {
    const lang = m[1].toLowerCase();
    const file = /path=(\S+)/.exec(m[2])?.[1] ?? DEFAULT_NAMES[lang];
    if (file) out.push({ lang, file, code: m[3] });
  }
  return out;
}

function findingsFor(ruleId: string, blocks: { file: string; code: string }[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-docs-'));
  try {
    for (const b of blocks) {
      fs.mkdirSync(path.dirname(path.join(dir, b.file)), { recursive: true });
      fs.writeFileSync(path.join(dir, b.file), b.code);
    }
    const config = new StaticConfigResolver(RULES, {}, dir);
    const rule = RULES.find((r) => r.id === ruleId);
    const onlyRules = rule?.domain === 'shipshape' ? undefined : new Set([ruleId]);
    return blocks.flatMap((b) => {
      const file = path.join(dir, b.file);
      return engine.analyze({ path: file, text: b.code }, { config: config.forFile(file), roots: [dir], onlyRules }).findings
        .filter((f) => f.ruleId === ruleId).map((f) => f.message);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const rule of RULES) {
  test(`${rule.id}: docs page`, () => {
    const file = path.join(REPO, 'docs/rules', `${rule.id}.md`);
    assert.ok(fs.existsSync(file), `missing docs/rules/${rule.id}.md`);
    const page = readPage(file);
    assert.equal(page.title, rule.meta.title, 'front-matter title must equal meta.title');
    assert.deepEqual(page.order, HEADINGS, 'headings must be, in order: ' + HEADINGS.join(' · '));
    const options = page.sections.get('Options') ?? '';
    for (const name of Object.keys(rule.meta.options ?? {})) assert.ok(options.includes(`\`${name}\``), `option \`${name}\` is not documented under Options`);
    const bad = codeBlocks(page.sections.get('Bad') ?? '');
    const good = codeBlocks(page.sections.get('Good') ?? '');
    assert.ok(bad.length > 0, 'Bad needs a code block');
    assert.ok(good.length > 0, 'Good needs a code block');
    assert.ok(findingsFor(rule.id, bad).length > 0, 'the Bad example must yield a finding of this rule');
    assert.deepEqual(findingsFor(rule.id, good), [], 'the Good example must yield no finding of this rule');
  });
}

test('docs/rules/README.md is up to date (npm run docs:gen)', () => {
  const actual = fs.existsSync(RULES_INDEX) ? fs.readFileSync(RULES_INDEX, 'utf8') : '';
  assert.equal(actual, renderRulesIndex(RULES), 'docs/rules/README.md is stale: run npm run docs:gen');
});
