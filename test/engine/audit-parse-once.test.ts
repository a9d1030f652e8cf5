import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { auditFiles, collectFiles } from '../../server/src/engine/audit';
import { RULES } from '../../server/src/rules/index';
import { findingsAlone, shownFindings } from '../support/alone';

// An audit parses each Go file once: the trees the fact store parsed for the first file's questions about its
// siblings are the ones the siblings are analysed on, and the service model reads the facts the Go files left
// (main: three parses per Go file in a workspace with Dockerfiles or manifests).

/** Counts Go parses of an engine (every parse goes through GoParser.parseTree). */
function countParses(engine: Engine): { count: number } {
  const counter = { count: 0 };
  const parser = engine.goParser;
  const parseTree = parser.parseTree.bind(parser);
  parser.parseTree = (text, old) => {
    counter.count++;
    return parseTree(text, old);
  };
  return counter;
}


test('audit: each Go file parsed once, with Dockerfiles and manifests; findings as when each file is analysed alone', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-parse-once-'));
  try {
    fs.cpSync(path.resolve(__dirname, '../../examples/shop'), root, { recursive: true });
    const config = new StaticConfigResolver(RULES, {}, root);
    const collected = collectFiles([root], config);
    const goFiles = collected.files.filter((f) => f.endsWith('.go'));
    assert.ok(goFiles.length >= 5 && collected.files.some((f) => f.endsWith('.yaml')));

    const engine = await Engine.create(RULES, new DiskFileSource(1024 * 1024));
    const parses = countParses(engine);
    // The first audit learns which fact kinds the rules ask (a file audited before a kind is first asked is parsed
    // again for it); from the second on, with its facts forgotten, the store builds every kind from one parse.
    auditFiles(engine, collected, { roots: [root], config });
    engine.facts.clear();
    parses.count = 0;
    const audited = auditFiles(engine, collected, { roots: [root], config });
    assert.equal(parses.count, goFiles.length);
    assert.deepEqual(audited.analyses.map((a) => a.path), collected.files, 'results in the order of the files');
    engine.dispose();

    // Each file alone, on a fresh engine per file: nothing carried between analyses.
    assert.deepEqual(shownFindings(audited.findings), shownFindings(await findingsAlone(collected.files, config, root)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
