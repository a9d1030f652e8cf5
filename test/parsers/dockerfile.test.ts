import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDockerfileName } from '../../server/src/languages/docker/adapter';
import { parseDockerfile, textForParser } from '../../server/src/languages/docker/parser';

test('BuildKit per-Dockerfile ignore files are not Dockerfiles', () => {
  for (const name of ['dockerfile', 'dockerfile.dev', 'api.dockerfile', 'containerfile']) assert.ok(isDockerfileName(name), name);
  for (const name of ['dockerfile.dockerignore', 'dockerfile.dev.dockerignore', 'api.dockerfile.dockerignore']) assert.ok(!isDockerfileName(name), name);
});

test('comment lines inside a split keyword are blanked for the parser, offsets kept', () => {
  const text = 'FROM alpine\nRU\\\n# café 🚀\nN echo hi\r\nEXPO\\\r\n  # x\r\nSE 80\n';
  const parsed = textForParser(text);
  assert.equal(parsed.length, text.length);
  assert.equal(parsed.split('\n')[2].trim(), '');
  assert.deepEqual(parseDockerfile('/x/Dockerfile', text).ast.getInstructions().map((i) => i.getKeyword()), ['FROM', 'RUN', 'EXPOSE']);
  // A continued argument line is not a keyword fragment: its comment stays.
  const args = 'FROM alpine\nRUN echo \\\nfoo\\\n# keep\n  bar\n';
  assert.equal(textForParser(args), args);
});
