// dist/server.js with the real registry, driven over the fixture folders of real
// rules: the diagnostics are exactly the markers, and applying the preferred
// quick fix of every diagnostic gives the golden file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { SourceText } from '../../server/src/core/source-text';
import { RULES } from '../../server/src/rules/index';
import { documentKindOf } from '../../server/src/engine/languages';
import { commentSpans, fixtureDir, fixtureSources, readGolden } from '../support/harness';
import { parseMarkers, type Expectation } from '../support/markers';
import { LspClient, builtServer } from './support/client';
import { applyTextEdits } from './support/text';

/** Rules with a fixture folder; shipshape/ rules report on other rules' directives, so their fixtures need the harness. */
const RULE_IDS = RULES.map((r) => r.id).filter((id) => !id.startsWith('shipshape/') && fs.existsSync(fixtureDir(id)));
const LANGUAGE: Record<string, string> = { go: 'go', docker: 'dockerfile', k8s: 'yaml' };

async function expectationsOf(engine: Engine, file: string, text: string): Promise<Expectation[]> {
  const source = new SourceText(text);
  const parsed = engine.parse({ path: file, text }, source);
  if (!parsed) return [];
  try {
    return parseMarkers(source, commentSpans(engine, parsed));
  } finally {
    if (parsed.kind === 'go') parsed.dispose();
  }
}

for (const RULE of RULE_IDS) test(`${RULE}: the built server publishes exactly the marked diagnostics, and preferred quick fixes give the goldens`, async () => {
  const dir = fixtureDir(RULE);
  const engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  const client = await LspClient.start(builtServer(), { folder: dir });
  const problems: string[] = [];
  let checked = 0;
  try {
    for (const file of fixtureSources(dir)) {
      const text = fs.readFileSync(file, 'utf8');
      const uri = await client.open(file, text, LANGUAGE[documentKindOf(file) ?? 'go']);
      const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics.filter((d) => d.code === RULE);
      const source = new SourceText(text);
      const unmatched = new Set<Diagnostic>(diagnostics);
      for (const exp of await expectationsOf(engine, file, text)) {
        const hit = [...unmatched].find((d) => {
          if (d.range.start.line !== exp.line || !exp.pattern.test(typeof d.message === "string" ? d.message : d.message.value)) return false;
          if (exp.rangeText === undefined) return true;
          const at = source.lineStart(exp.line) + source.lineText(exp.line).indexOf(exp.rangeText);
          return source.offsetAt(d.range.start) === at && source.offsetAt(d.range.end) === at + exp.rangeText.length;
        });
        if (hit) unmatched.delete(hit);
        else problems.push(`${path.relative(dir, file)}:${exp.line + 1}: no diagnostic for /${exp.pattern.source}/`);
        checked++;
      }
      for (const d of unmatched) problems.push(`${path.relative(dir, file)}:${d.range.start.line + 1}: unexpected diagnostic ${d.message}`);

      const edits: TextEdit[] = [];
      for (const d of diagnostics) {
        const actions = ((await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) ?? []) as CodeAction[];
        const preferred = actions.find((a) => a.isPreferred);
        // Two findings' fixes may carry the same edit (one import added by both): it applies once,
        // as in engine/fixes.ts and the fixture harness.
        for (const e of preferred?.edit?.changes?.[uri] ?? []) {
          if (!edits.some((o) => o.newText === e.newText && JSON.stringify(o.range) === JSON.stringify(e.range))) edits.push(e);
        }
      }
      // Identical edits of different findings' fixes (one import added by several) apply once, as the harness does.
      const unique = edits.filter((e, i) => edits.findIndex((o) => o.newText === e.newText && JSON.stringify(o.range) === JSON.stringify(e.range)) === i);
      edits.splice(0, edits.length, ...unique);
      const golden = readGolden(`${file}.golden`)?.get('');
      if (golden !== undefined) {
        if (applyTextEdits(text, edits) !== golden) problems.push(`${path.relative(dir, file)}: preferred quick fixes do not give the golden`);
      } else if (edits.length) problems.push(`${path.relative(dir, file)}: quick fixes but no golden`);
      await client.close(uri);
    }
  } finally {
    await client.shutdown();
    engine.dispose();
  }
  assert.ok(checked > 0, 'the fixture has markers');
  assert.deepEqual(problems, []);
});
