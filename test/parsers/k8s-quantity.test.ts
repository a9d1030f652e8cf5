import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correctGoByteCount, correctQuantityTypo, formatBytes, formatGoMiB, parseGoByteCount, parseQuantity } from '../../server/src/languages/k8s/model/quantity';

test('parses quantities the API server accepts', () => {
  const cases: [string, number][] = [
    ['512Mi', 512 * 2 ** 20], ['1Gi', 2 ** 30], ['0.5Gi', 2 ** 29], ['500m', 0.5], ['1', 1], ['1.5', 1.5], ['.5', 0.5],
    ['2.', 2], ['1k', 1000], ['512M', 512e6], ['1e3', 1000], ['1E3', 1000], ['100n', 1e-7], ['+1', 1], ['1Ei', 2 ** 60], ['2E', 2e18],
  ];
  for (const [text, value] of cases) {
    const q = parseQuantity(text);
    assert.ok(q, text);
    assert.ok(Math.abs(q.value - value) <= value * 1e-12, `${text} = ${q.value}`);
  }
});

test('rejects what the API server rejects', () => {
  for (const text of ['512mb', '1.5.0', '500mi', '1GB', '', 'Mi', '1 Gi', '1.2.3Mi', '1KiB', '0x10', '1e', '--1']) {
    assert.equal(parseQuantity(text), undefined, text);
  }
});

test('suggests spellings for unit typos only', () => {
  assert.equal(correctQuantityTypo('512mb'), '512Mi');
  assert.equal(correctQuantityTypo('500mi'), '500Mi');
  assert.equal(correctQuantityTypo('1GB'), '1Gi');
  assert.equal(correctQuantityTypo('2gib'), '2Gi');
  assert.equal(correctQuantityTypo('1.5.0'), undefined);
  assert.equal(correctQuantityTypo('512Mi'), undefined);
  assert.equal(correctQuantityTypo('5xyz'), undefined);
});

test('formats bytes', () => {
  assert.equal(formatBytes(512 * 2 ** 20), '512Mi');
  assert.equal(formatBytes(1.5 * 2 ** 30), '1536Mi');
  assert.equal(formatGoMiB(0.8 * 512 * 2 ** 20), '409MiB');
});

test('parses GOMEMLIMIT as the Go runtime does', () => {
  assert.equal(parseGoByteCount('409MiB'), 409 * 2 ** 20);
  assert.equal(parseGoByteCount('1GiB'), 2 ** 30);
  assert.equal(parseGoByteCount('1000'), 1000);
  assert.equal(parseGoByteCount('100B'), 100);
  assert.equal(parseGoByteCount('off'), Infinity);
  for (const bad of ['400M', '400Mi', '400MB', '1.5GiB', '-1', '', 'MiB', '400 MiB', '1PiB']) assert.equal(parseGoByteCount(bad), undefined, bad);
  assert.equal(correctGoByteCount('400M'), '400MiB');
  assert.equal(correctGoByteCount('400Mi'), '400MiB');
  assert.equal(correctGoByteCount('2gb'), '2GiB');
  assert.equal(correctGoByteCount('1.5GiB'), undefined);
});
