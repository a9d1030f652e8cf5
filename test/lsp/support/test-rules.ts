// A small registry for the protocol tests, so they do not depend on which real
// rules have landed. Each rule exercises one path of the server: lazy fixes,
// safe/unsafe fixes, multi-pass fix-all, a cross-file dependency, Dockerfiles.
import { compareGoVersions } from '../../../server/src/languages/gomod/parser';
import { defineDockerRule, defineEngineRule, defineGoRule, type AnyRule } from '../../../server/src/engine/rule';

const println = defineGoRule({
  id: 'go/test-println',
  meta: {
    title: 'fmt.Println in a service',
    description: 'Flags fmt.Println (test rule).',
    severity: 'warning',
    fixable: true,
    messages: { println: 'fmt.Println writes to stdout unbuffered; use the logger' },
  },
  queries: { call: '(call_expression function: (selector_expression field: (field_identifier) @name) @fn) @call' },
  check(ctx, file, matches) {
    for (const m of matches.call) {
      if (!file.imports.resolves(m.fn, 'fmt', 'Println')) continue;
      const name = m.name;
      const call = m.call;
      ctx.report({
        node: m.fn,
        messageId: 'println',
        // Lazy: reads the tree only when a host asks, so the server must keep it alive.
        fixes: () => [
          { title: 'Remove the call', safe: false, edits: [{ start: call.startIndex, end: call.endIndex, newText: '_ = 0' }] },
          { title: 'Use fmt.Print', safe: true, preferred: true, edits: [{ start: name.startIndex, end: name.endIndex, newText: 'Print' }] },
        ],
      });
    }
  },
});

const print = defineGoRule({
  id: 'go/test-print',
  meta: {
    title: 'fmt.Print in a service',
    description: 'Flags fmt.Print (test rule): its fix is what the fmt.Println fix produces, so fix-all needs two passes.',
    severity: 'info',
    fixable: true,
    messages: { print: 'fmt.Print has no format; use fmt.Printf' },
  },
  queries: { call: '(call_expression function: (selector_expression field: (field_identifier) @name) @fn) @call' },
  check(ctx, file, matches) {
    for (const m of matches.call) {
      if (!file.imports.resolves(m.fn, 'fmt', 'Print')) continue;
      ctx.report({ node: m.fn, messageId: 'print', fixes: [{ title: 'Use fmt.Printf', safe: true, edits: [{ start: m.name.startIndex, end: m.name.endIndex, newText: 'Printf' }] }] });
    }
  },
});

const gomod = defineGoRule({
  id: 'go/test-old-go',
  meta: {
    title: 'Old go directive',
    description: 'Flags the package clause when go.mod asks for Go before 1.21 (test rule; reads go.mod).',
    severity: 'warning',
    fixable: false,
    messages: { old: 'go.mod says go {version}; loop variables are shared before 1.22' },
  },
  queries: { pkg: '(package_clause (package_identifier) @name)' },
  check(ctx, file, matches) {
    const mod = ctx.workspace.goModFor(file.path);
    if (!mod?.go || compareGoVersions(mod.go, '1.22') >= 0) return;
    for (const m of matches.pkg) ctx.report({ node: m.name, messageId: 'old', data: { version: mod.go } });
  },
});

const latest = defineDockerRule({
  id: 'docker/test-latest',
  meta: {
    title: 'Image tag latest',
    description: 'Flags FROM images tagged latest (test rule).',
    severity: 'error',
    fixable: true,
    messages: { latest: 'FROM {image} is not reproducible; pin a version' },
  },
  check(ctx, file) {
    for (const instruction of file.ast.getFROMs()) {
      const image = instruction.getImageName();
      const tag = instruction.getImageTag();
      const range = instruction.getImageRange();
      if (!range || tag !== 'latest') continue;
      const span = file.spanOf(range);
      ctx.report({ span, messageId: 'latest', data: { image: `${image}:${tag}` }, fixes: [{ title: 'Pin to 1.0', safe: false, edits: [{ start: span.end - 'latest'.length, end: span.end, newText: '1.0' }] }] });
    }
  },
});

const unusedIgnore = defineEngineRule({
  id: 'shipshape/unused-ignore',
  meta: { title: 'Unused ignore', description: 'test', severity: 'info', fixable: true, messages: {} },
});

export const TEST_RULES: readonly AnyRule[] = [println, print, gomod, latest, unusedIgnore];
