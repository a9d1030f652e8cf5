// The typed rule contract: message ids and option types come from a rule's own meta. The `@ts-expect-error`
// lines are checked by the type-check step of `npm test` (tsc fails when an expected error disappears).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDockerRule, defineGoRule } from '../../server/src/engine/rule';

const goRule = defineGoRule({
  id: 'go/contract-example',
  meta: {
    title: 'Example', description: 'Example.', severity: 'warning', fixable: false,
    messages: { leak: '{name} leaks', loop: 'in a loop' },
    options: { limit: { type: 'integer', description: 'A limit.', default: 3 } },
  },
  queries: { call: '(call_expression) @call' },
  check(ctx, _file, matches) {
    for (const m of matches.call) ctx.report({ node: m.call, messageId: 'leak', data: { name: 'x' } });
    // @ts-expect-error -- a message id the rule does not declare does not compile
    ctx.report({ span: { start: 0, end: 0 }, messageId: 'leek' });
    const limit: number = ctx.options.limit;
    // @ts-expect-error -- an option is typed from its schema's default
    const wrong: string = ctx.options.limit;
    // @ts-expect-error -- an option the schema does not declare does not exist
    const other: unknown = ctx.options.other;
    // @ts-expect-error -- only the rule's query names have matches
    const cal: unknown = matches.cal;
    assert.ok([limit, wrong, other, cal].length === 4);
  },
});

const dockerRule = defineDockerRule({
  id: 'docker/contract-example',
  meta: { title: 'Example', description: 'Example.', severity: 'info', fixable: false, messages: { only: 'only one' } },
  check(ctx) {
    ctx.report({ span: { start: 0, end: 1 }, messageId: 'only' });
    // @ts-expect-error -- ids are per rule: another rule's id does not compile
    ctx.report({ span: { start: 0, end: 1 }, messageId: 'leak' });
  },
});

test('define…Rule infers message ids, option types and query names from the rule itself', () => {
  assert.deepEqual(Object.keys(goRule.meta.messages), ['leak', 'loop']);
  assert.equal(goRule.domain, 'go');
  assert.equal(dockerRule.domain, 'docker');
});
