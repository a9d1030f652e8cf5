// Go versions order as Go's own go/version orders them: pre-releases before their release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareGoVersions } from '../../server/src/languages/gomod/parser';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import { RULES } from '../../server/src/rules/index';

test('1.22 < 1.22beta1 < 1.22rc1 < 1.22rc2 < 1.22.0 < 1.22.1 < 1.23rc1', () => {
  const ordered = ['1.21.13', '1.22', '1.22beta1', '1.22rc1', '1.22rc2', '1.22.0', '1.22.1', '1.23rc1', '1.23.0'];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      assert.equal(Math.sign(compareGoVersions(ordered[i], ordered[j])), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  assert.equal(compareGoVersions('go1.21.0', '1.21.0'), 0);
});

test('a CPU quantity option takes a number as Kubernetes does (defaultCpu: 1)', () => {
  const r = new ConfigValidator(RULES).check('.shipshape.yaml', 'rules:\n  k8s/missing-limits:\n    options: { defaultCpu: 1, defaultMemory: 512Mi }\n');
  assert.deepEqual(r.problems, []);
});
