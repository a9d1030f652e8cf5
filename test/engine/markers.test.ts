import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText } from '../../server/src/core/source-text';
import { parseMarkers } from '../support/markers';

test('want markers: trailing, alone, several strings, @ranges and escapes', () => {
  const text = [
    'x := 1 // want "a\\\\.b" @"x := 1"',
    '// want "first" "second \\"quoted\\""',
    '// ok: not a marker',
    'y := 2',
  ].join('\n');
  const src = new SourceText(text);
  const comments = [...text.matchAll(/\/\/[^\n]*/g)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
  const exps = parseMarkers(src, comments);
  assert.equal(exps.length, 3);
  assert.equal(exps[0].line, 0);
  assert.equal(exps[0].pattern.source, 'a\\\\.b');
  assert.equal(exps[0].rangeText, 'x := 1');
  assert.equal(exps[1].line, 3);
  assert.equal(exps[2].pattern.source, 'second "quoted"');
});
