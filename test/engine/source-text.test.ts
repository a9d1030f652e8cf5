import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SourceText } from '../../server/src/core/source-text';

const NON_ASCII = 'é 日本 🚀';

for (const eol of ['\n', '\r\n', '\r']) {
  const name = JSON.stringify(eol);
  test(`positions with ${name} line ends and non-ASCII text before the target`, () => {
    const text = ['package main', `// café ${NON_ASCII}`, `x := "${NON_ASCII}"; resp, err := http.Get(u)`, ''].join(eol);
    const s = new SourceText(text);
    const at = text.indexOf('http.Get');
    const line2 = text.indexOf('x :=');
    assert.deepEqual(s.positionAt(at), { line: 2, character: at - line2 });
    // 🚀 is two UTF-16 code units: the column counts both, as LSP and editors do.
    assert.equal(at - line2, `x := "${NON_ASCII}"; resp, err := `.length);
    assert.deepEqual(s.lineCol(at), { line: 3, column: at - line2 + 1 });
    assert.equal(s.offsetAt({ line: 2, character: at - line2 }), at);
    assert.equal(s.lineCount, 4);
    assert.equal(s.lineText(1), `// café ${NON_ASCII}`);
    assert.equal(s.eol, eol);
    // UTF-8: é is 2 bytes, 日 and 本 3 each, 🚀 4.
    assert.equal(s.byteOffset(text.indexOf('x :=')), Buffer.byteLength(text.slice(0, text.indexOf('x :=')), 'utf8'));
  });
}

test('an offset between \\r and \\n stays on its line', () => {
  const s = new SourceText('ab\r\ncd');
  assert.deepEqual(s.positionAt(3), { line: 0, character: 2 });
  assert.deepEqual(s.positionAt(4), { line: 1, character: 0 });
});

test('offsetAt clamps past the end of a line and of the text', () => {
  const s = new SourceText('ab\ncd');
  assert.equal(s.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(s.offsetAt({ line: 9, character: 0 }), 5);
  assert.deepEqual(s.positionAt(99), { line: 1, character: 2 });
});

test('offsetAt(positionAt(o)) round-trips for every offset that is not inside a line break (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'é', '日', '🚀', '\n', '\r\n', '\r', ' '), { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const s = new SourceText(text);
      for (let o = 0; o <= text.length; o++) {
        if (text[o - 1] === '\r' && text[o] === '\n') continue;
        assert.equal(s.offsetAt(s.positionAt(o)), o);
      }
    }),
  );
});

test('indentationAt and lineContentEnd', () => {
  const s = new SourceText('func f() {\r\n\t\tx := 1\r\n}');
  assert.equal(s.indentationAt(s.text.indexOf('x')), '\t\t');
  assert.equal(s.lineContentEnd(1), s.text.indexOf('1') + 1);
});
