/**
 * Flags HTTP clients that can wait forever: `http.Get/Head/Post/PostForm`
 * (they use `http.DefaultClient`), other uses of `http.DefaultClient`,
 * `new(http.Client)`, and `http.Client{...}` literals without `Timeout`. A
 * literal whose Transport shows dial/TLS/response-header timeouts is partial
 * (info). Silent when `Timeout` is assigned later in the file to where the
 * client was stored (`c.Timeout = ...`, `http.DefaultClient.Timeout = ...`),
 * for positional literals, in `_test.go` files (option), and when `http` is
 * a local variable rather than the import.
 *
 * Per declaration: everything it reads lies in the declaration holding the
 * client, except the `.Timeout` assignments of the file (the context key).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule, type RuleContext } from '../../engine/rule';
import type { Fix, TextEditData } from '../../core/finding';
import { assignedFieldOwners, isPackageMember } from '../../languages/go/pkg-ref';
import { addGoImport } from '../../languages/go/edits/edits';
import { addKeyedField, assignmentTarget, compositeLiteralOf, declaredValue, goDurationExpr, keyedFields } from '../../languages/go/literal';
import { enclosingFunction, unparen } from '../../languages/go/syntax';
import type { GoFile } from '../../languages/go/parser';
import { contextOfRequest, hasDeadline } from '../../languages/go/model/request-ctx';
import { fieldAssignmentTargets, newCallsOf, nodesNamed, qualifiedLiteralsNamed, selectorCallsNamed } from '../../languages/go/model/names';
import { nodesOfType } from '../../languages/go/syntax-index';

interface Options {
  timeout: string;
  skipTests: boolean;
}

const PACKAGE_FUNCS = ['Get', 'Head', 'Post', 'PostForm'];
const TRANSPORT_TIMEOUTS = ['ResponseHeaderTimeout', 'TLSHandshakeTimeout'];

export const rule = defineGoRule({
  id: 'go/http-client-no-timeout',
  meta: {
    title: 'HTTP client without a timeout',
    description: 'http.DefaultClient and http.Client values without Timeout wait forever on a stalled server, holding goroutines, sockets and callers.',
    severity: 'warning',
    fixable: true,
    messages: {
      pkgFunc: '{call} uses http.DefaultClient, which has no timeout; a stalled server hangs the call',
      defaultClient: 'http.DefaultClient has no timeout; a stalled server hangs every request made with it',
      literal: 'http.Client without Timeout; a stalled server hangs its requests forever',
      partial: 'http.Client has transport timeouts but no Timeout; a slow response body still hangs',
      someBounded: 'http.Client without Timeout; some requests through it carry a deadline, the others can hang forever',
    },
    options: {
      timeout: { type: 'string', default: '10s', description: 'Timeout the quick fix inserts, as a Go duration (`500ms`, `10s`, `2m`).' },
      skipTests: { type: 'boolean', default: true, description: 'Do not report in `_test.go` files (test servers are local).' },
    },
  },
  // No patterns: the rare names this rule needs are found by text (go-names.ts), far cheaper than
  // patterns that hand every call and selector of the file to JavaScript.
  // Per declaration; what it reads outside one: the paths whose `.Timeout` the file assigns.
  scope: 'declaration',
  contextKey: (file) => [...timeoutAssigned(file)].sort().join('\n'),
  queries: {},
  check(ctx, file) {
    if (ctx.options.skipTests && file.isTest) return;
    if (!file.imports.has('net/http')) return;
    const within = ctx.declaration;
    const isHttp = (node: Node, ...names: string[]): boolean => isPackageMember(file, node, 'net/http', ...names);
    const timeoutSet = timeoutAssigned(file);
    const defaultHasTimeout = timeoutSet.has('net/http.DefaultClient');
    const duration = goDurationExpr(ctx.options.timeout);
    const timeImport = (): TextEditData[] => addGoImport(file, 'time');

    if (!defaultHasTimeout) {
      for (const m of selectorCallsNamed(file, PACKAGE_FUNCS, within)) {
        if (m.recv.type !== 'identifier' || !isHttp(m.fn, m.name.text)) continue;
        ctx.report({
          node: m.fn,
          messageId: 'pkgFunc',
          data: { call: m.fn.text },
          fixes: () => [{
            title: `Call ${m.name.text} on an http.Client with a ${ctx.options.timeout} timeout`,
            safe: false,
            edits: [{ start: m.fn.startIndex, end: m.fn.endIndex, newText: `(&${m.recv.text}.Client{Timeout: ${duration}}).${m.name.text}` }, ...timeImport()],
          }],
        });
      }
      for (const field of nodesNamed(file, 'DefaultClient', within)) {
        const sel = field.parent;
        const pkg = sel?.childForFieldName('operand');
        if (field.type !== 'field_identifier' || sel?.type !== 'selector_expression' || pkg?.type !== 'identifier') continue;
        if (!isHttp(sel, 'DefaultClient') || !isRead(sel)) continue;
        if (doCallBounded(file, sel) === true) continue; // `http.DefaultClient.Do(req)`, req with a deadline
        const m = { sel, pkg };
        const operandOfSelector = m.sel.parent?.type === 'selector_expression';
        const replacement = `&${m.pkg.text}.Client{Timeout: ${duration}}`;
        ctx.report({
          node: m.sel,
          messageId: 'defaultClient',
          fixes: () => [{
            title: `Use an http.Client with a ${ctx.options.timeout} timeout`,
            safe: false,
            edits: [{ start: m.sel.startIndex, end: m.sel.endIndex, newText: operandOfSelector ? `(${replacement})` : replacement }, ...timeImport()],
          }],
        });
      }
    }
    for (const m of qualifiedLiteralsNamed(file, 'Client', within)) {
      if (!isHttp(m.type, 'Client')) continue;
      const fields = keyedFields(m.body);
      if (!fields || fields.has('Timeout')) continue;
      const target = assignmentTarget(m.lit);
      if (target !== undefined && timeoutSet.has(target)) continue;
      // A local client whose every request carries a deadline is bounded; when only some do, info.
      const bounded = target !== undefined && !target.includes('.') ? requestsBounded(file, m.lit, target) : 'none';
      if (bounded === 'all') continue;
      const partial = hasTransportTimeouts(fields.get('Transport'));
      const fix: Fix = {
        title: `Add Timeout: ${duration}`,
        safe: false,
        edits: [addKeyedField(file.source, m.body, `Timeout: ${duration}`), ...timeImport()],
      };
      const messageId = bounded === 'some' ? 'someBounded' : partial ? 'partial' : 'literal';
      ctx.report({ node: m.type, messageId, severity: messageId === 'literal' ? undefined : 'info', fixes: [fix] });
    }
    for (const m of newCallsOf(file, 'Client', within)) {
      if (!isHttp(m.arg, 'Client')) continue;
      const target = assignmentTarget(m.call);
      if (target !== undefined && timeoutSet.has(target)) continue;
      reportNew(ctx, m.call, m.arg.text, duration, timeImport);
    }
  },
});

/** Paths whose `.Timeout` is assigned somewhere in the file. */
function timeoutAssigned(file: GoFile): Set<string> {
  return assignedFieldOwners(file, fieldAssignmentTargets(file, 'Timeout'));
}

function reportNew(ctx: RuleContext<Options>, call: Node, typeText: string, duration: string, timeImport: () => TextEditData[]): void {
  ctx.report({
    node: call,
    messageId: 'literal',
    fixes: () => [{
      title: `Add Timeout: ${duration}`,
      safe: false,
      edits: [{ start: call.startIndex, end: call.endIndex, newText: `&${typeText}{Timeout: ${duration}}` }, ...timeImport()],
    }],
  });
}

/** `client.Do(req)` at `clientExpr`: does req carry a deadline-bearing context? Undefined when not a Do call. */
function doCallBounded(file: GoFile, clientExpr: Node): boolean | undefined {
  const sel = clientExpr.parent;
  const call = sel?.type === 'selector_expression' && sel.childForFieldName('field')?.text === 'Do' ? sel.parent : null;
  const arg = call?.type === 'call_expression' ? call.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment') : undefined;
  if (!arg) return undefined;
  const ctxExpr = contextOfRequest(file, arg);
  return !!ctxExpr && hasDeadline(file, ctxExpr);
}

/** How many of the uses of a local client (in its function, after it is made) are Do calls with a deadline. */
function requestsBounded(file: GoFile, lit: Node, name: string): 'all' | 'some' | 'none' {
  const fn = enclosingFunction(lit);
  if (!fn) return 'none';
  const uses = nodesOfType(file, fn, 'identifier').filter((id) => id.text === name && id.startIndex > lit.endIndex);
  const verdicts = uses.map((id) => doCallBounded(file, id) === true);
  if (verdicts.length > 0 && verdicts.every((v) => v)) return 'all';
  return verdicts.some((v) => v) ? 'some' : 'none';
}

/** Is this use of `http.DefaultClient` a read (not the target of an assignment, nor an identity comparison)? */
function isRead(sel: Node): boolean {
  const parent = sel.parent;
  if (!parent) return false;
  if (parent.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.id === parent.id) return false;
  if (parent.type === 'selector_expression') {
    // `http.DefaultClient.Transport = t` configures it; `http.DefaultClient.Do(req)` uses it.
    const up = parent.parent;
    if (up?.type === 'expression_list' && up.parent?.type === 'assignment_statement' && up.parent.childForFieldName('left')?.id === up.id) return false;
  }
  if (parent.type === 'binary_expression') {
    const op = parent.childForFieldName('operator')?.text;
    if (op === '==' || op === '!=') return false;
  }
  return true;
}

/** Does a Transport value show dial, TLS or response-header timeouts? */
function hasTransportTimeouts(value: Node | undefined): boolean {
  if (!value) return false;
  let expr: Node | undefined = value;
  if (unparen(value).type === 'identifier') expr = declaredValue(unparen(value));
  const lit = compositeLiteralOf(expr);
  const fields = lit ? keyedFields(lit.childForFieldName('body') ?? lit) : undefined;
  if (!fields) return false;
  if (TRANSPORT_TIMEOUTS.some((k) => fields.has(k))) return true;
  const dial = fields.get('DialContext') ?? fields.get('Dial');
  return dial !== undefined && /\bTimeout\s*:/.test(dial.text);
}
