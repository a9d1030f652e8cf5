// A rewritten file keeps its UTF-8 byte order mark and its line endings (reading strips the mark; writing puts it back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeLike, lineEndingOf, readTextFile, withLineEndingsOf } from '../../server/src/engine/disk';

test('readTextFile strips a BOM and says so; encodeLike puts it back byte for byte', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bom-'));
  try {
    const file = path.join(dir, 'main.go');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('package main\r\n\r\n// café 🚀\r\n', 'utf8')]);
    fs.writeFileSync(file, bytes);
    const read = readTextFile(file, Infinity);
    assert.equal(read.bom, true);
    assert.equal(read.text, 'package main\r\n\r\n// café 🚀\r\n');
    assert.deepEqual(encodeLike(read.text ?? '', { text: read.text ?? '', bom: read.bom }), bytes);
    fs.writeFileSync(file, 'package main\n');
    assert.equal(readTextFile(file, Infinity).bom, false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lines a fix inserts take the line ending the file uses throughout; a mixed file is left as it is', () => {
  assert.equal(lineEndingOf('a\r\nb\r\n'), '\r\n');
  assert.equal(lineEndingOf('a\rb\r'), '\r');
  assert.equal(lineEndingOf('a\nb'), '\n');
  assert.equal(lineEndingOf('a\r\nb\n'), undefined);
  assert.equal(lineEndingOf('one line'), undefined);
  const inserted = 'func f() {\r\n\tdefer resp.Body.Close()\n\treturn\r\n}\r\n';
  assert.equal(withLineEndingsOf(inserted, 'func f() {\r\n\treturn\r\n}\r\n'), 'func f() {\r\n\tdefer resp.Body.Close()\r\n\treturn\r\n}\r\n');
  assert.equal(withLineEndingsOf('a\rb\nc\r', 'a\rc\r'), 'a\rb\rc\r');
  assert.equal(withLineEndingsOf('a\r\nb\nc', 'a\r\nx\nc'), 'a\r\nb\nc');
  assert.equal(encodeLike('x\n', { text: 'y\n' }).toString('utf8'), 'x\n', 'no BOM added where there was none');
});
