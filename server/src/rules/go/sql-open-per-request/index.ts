/**
 * Flags database pools and network clients created once per request (in a
 * per-request function of the request-scope model) or once per loop item:
 * `sql.Open`, sqlx `Open/Connect/MustConnect`, `gorm.Open`, `pgx.Connect`,
 * `pgxpool.New/Connect`, `mongo.Connect`, `redis.NewClient`, `grpc.Dial/NewClient`,
 * and `http.Client{}` / `http.Transport{}` literals.
 * Skips: startup code (main, init, constructors), `once.Do` bodies, results
 * stored in a package variable or a field (a lazily cached handle), loops that
 * keep what they open (one pool per shard) or retry until one open succeeds.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { REQUEST_SCOPE, type RequestFunction, type RequestScope } from '../../../languages/go/model/request-scope';
import { compareGoVersions } from '../../../languages/gomod/parser';
import { hoistFix, localNamesOf } from './hoist';
import { sqlWrapperOpener } from '../../../languages/go/model/sql-openers';
import { nodesOfType } from '../../../languages/go/syntax-index';

interface Opener {
  what: 'database pool' | 'database connection' | 'client' | 'transport';
  /** Result type with `{q}` for the package qualifier. */
  type: string;
  /** Returns (handle, error). */
  withError: boolean;
  /** Not safe for concurrent use: sharing it is no fix (pgx.Conn). */
  single?: boolean;
}

/** Names the openers below (and `sql.OpenDB`-style wrappers) are called by. */
const OPENER_NAMES = ['Open', 'Connect', 'MustConnect', 'MustOpen', 'New', 'NewWithConfig', 'ConnectConfig', 'NewClient', 'NewClusterClient', 'Dial', 'OpenDB'];
const OPENER_CALL = new RegExp(`\\.(${OPENER_NAMES.join('|')})$`);

const OPENERS: Partial<Record<string, Partial<Record<string, Opener>>>> = {
  'database/sql': { Open: { what: 'database pool', type: '*{q}.DB', withError: true } },
  'github.com/jmoiron/sqlx': {
    Open: { what: 'database pool', type: '*{q}.DB', withError: true },
    Connect: { what: 'database pool', type: '*{q}.DB', withError: true },
    MustConnect: { what: 'database pool', type: '*{q}.DB', withError: false },
    MustOpen: { what: 'database pool', type: '*{q}.DB', withError: false },
  },
  'gorm.io/gorm': { Open: { what: 'database pool', type: '*{q}.DB', withError: true } },
  'github.com/jackc/pgx/v5': { Connect: { what: 'database connection', type: '*{q}.Conn', withError: true, single: true } },
  'github.com/jackc/pgx/v4': { Connect: { what: 'database connection', type: '*{q}.Conn', withError: true, single: true } },
  'github.com/jackc/pgx/v5/pgxpool': {
    New: { what: 'database pool', type: '*{q}.Pool', withError: true },
    NewWithConfig: { what: 'database pool', type: '*{q}.Pool', withError: true },
  },
  'github.com/jackc/pgx/v4/pgxpool': {
    Connect: { what: 'database pool', type: '*{q}.Pool', withError: true },
    ConnectConfig: { what: 'database pool', type: '*{q}.Pool', withError: true },
  },
  'go.mongodb.org/mongo-driver/mongo': { Connect: { what: 'database pool', type: '*{q}.Client', withError: true } },
  'go.mongodb.org/mongo-driver/v2/mongo': { Connect: { what: 'database pool', type: '*{q}.Client', withError: true } },
  'github.com/redis/go-redis/v9': {
    NewClient: { what: 'client', type: '*{q}.Client', withError: false },
    NewClusterClient: { what: 'client', type: '*{q}.ClusterClient', withError: false },
  },
  'github.com/go-redis/redis/v8': { NewClient: { what: 'client', type: '*{q}.Client', withError: false } },
  'google.golang.org/grpc': {
    Dial: { what: 'client', type: '*{q}.ClientConn', withError: true },
    NewClient: { what: 'client', type: '*{q}.ClientConn', withError: true },
  },
};

export const rule = defineGoRule({
  id: 'go/sql-open-per-request',
  meta: {
    title: 'Connection pool or client created per request',
    description: 'A database pool or network client built inside a request handler or a loop: every call opens new connections and exhausts the server or the database.',
    severity: 'error',
    fixable: true,
    messages: {
      perRequest: '{call} opens a new {what} on every request: connections pile up; open it once',
      perItem: '{call} opens a new {what} for every item of the loop: connections pile up; open it once',
      noFixScoped: '{call} opens a new {what} on every request; no fix: its arguments use request data',
      noFixLocal: '{call} opens a new {what} on every request; no fix: its arguments use the local variable {name}',
      noFixConn: '{call} opens a new database connection on every request; share a pgxpool.Pool instead',
    },
  },
  analyses: [REQUEST_SCOPE],
  queries: {
    // Only calls of an opener's name: every other method call would be a match to carry from edit to edit.
    call: `(call_expression function: (selector_expression field: (field_identifier) @name (#any-of? @name ${OPENER_NAMES.map((n) => `"${n}"`).join(' ')})) @fn) @call`,
    literal: '(composite_literal type: (qualified_type) @type) @lit',
  },
  check(ctx, file, matches) {
    if (matches.call.length === 0 && matches.literal.length === 0) return;
    let scope: RequestScope | undefined;
    const getScope = (): RequestScope => (scope ??= ctx.resultOf(REQUEST_SCOPE));
    const go = ctx.workspace.goModFor(file.path)?.go;
    const modern = go !== undefined && compareGoVersions(go, '1.21') >= 0;

    const consider = (site: Node, display: string, opener: Opener, qualifier: string): void => {
      const fn = getScope().enclosing(site);
      const where = fn ? 'perRequest' : loopOpening(file, site);
      if (!where) return;
      if (isCached(file, site)) return;
      const severity = opener.what.startsWith('database') ? 'error' : 'warning';
      const base = { node: site, severity, data: { call: display, what: opener.what } } as const;
      if (where === 'perItem') {
        ctx.report({ ...base, messageId: 'perItem' });
        return;
      }
      if (opener.single) {
        ctx.report({ ...base, messageId: 'noFixConn' });
        return;
      }
      const blocker = fixBlocker(file, getScope(), fn as RequestFunction, site);
      if (blocker) {
        ctx.report({ ...base, messageId: blocker.scoped ? 'noFixScoped' : 'noFixLocal', data: { ...base.data, name: blocker.name ?? '' } });
        return;
      }
      const fixes = (): Fix[] => {
        const fix = hoistFix(file, site, opener.type.replace('{q}', qualifier), opener.withError, modern);
        return fix ? [fix] : [];
      };
      ctx.report({ ...base, messageId: 'perRequest', fixes });
    };

    for (const m of matches.call) {
      const { fn, call } = m as { fn?: Node; call?: Node };
      if (!fn || !call || !OPENER_CALL.test(fn.text)) continue;
      const q = file.imports.qualifiedName(fn);
      const opener = (q ? OPENERS[q.path]?.[q.name] : undefined) ?? (q ? sqlWrapperOpener(file, q) : undefined);
      if (!q || !opener) continue;
      const qualifier = fn.childForFieldName('operand')?.text ?? '';
      consider(call, `${qualifier}.${q.name}`, opener, qualifier);
    }
    for (const m of matches.literal) {
      const { type, lit } = m as { type?: Node; lit?: Node };
      if (!type || !lit) continue;
      const q = file.imports.qualifiedName(type);
      if (q?.path !== 'net/http' || (q.name !== 'Client' && q.name !== 'Transport')) continue;
      const qualifier = type.childForFieldName('package')?.text ?? 'http';
      const site = lit.parent?.type === 'unary_expression' ? lit.parent : lit;
      const pointer = site.type === 'unary_expression';
      const opener: Opener = { what: q.name === 'Client' ? 'client' : 'transport', type: `${pointer ? '*' : ''}{q}.${q.name}`, withError: false };
      // A Transport inside a Client literal is reported once, at the client.
      if (q.name === 'Transport' && site.parent?.type === 'keyed_element') continue;
      consider(site, `${pointer ? '&' : ''}${qualifier}.${q.name}{}`, opener, qualifier);
    }
  },
});

/** The handle is assigned to a field or a package variable: cached, not re-opened per call. */
function isCached(file: GoFile, site: Node): boolean {
  const list = site.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : undefined;
  if (!stmt) return site.parent?.type === 'keyed_element' || site.parent?.type === 'literal_element';
  if (stmt.type === 'assignment_statement') {
    const target = stmt.childForFieldName('left')?.namedChildren[0];
    if (!target) return false;
    if (target.type === 'selector_expression' || target.type === 'index_expression') return true;
    return target.type === 'identifier' && !localNamesOf(file, site).has(target.text);
  }
  return false;
}

/** `perItem` when `site` runs once per item of a loop that drops what it opens; else undefined. */
function loopOpening(file: GoFile, site: Node): 'perItem' | undefined {
  for (let n: Node | null = site.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return undefined;
    if (n.type !== 'for_statement') continue;
    const body = n.childForFieldName('body');
    if (!body) return undefined;
    // Retry loops (`for i := 0; i < 5; i++ { db, err = sql.Open(...); if err == nil { break } }`) open once.
    if (nodesOfType(file, body, ['break_statement', 'return_statement']).length > 0) return undefined;
    const stmt = site.parent?.type === 'expression_list' ? site.parent.parent : undefined;
    if (stmt?.type !== 'short_var_declaration') return undefined;
    const name = stmt.childForFieldName('left')?.namedChildren[0]?.text;
    if (!name) return undefined;
    // Kept (appended, stored in a map or field, sent on a channel): one pool per shard, fine.
    for (const id of nodesOfType(file, body, 'identifier')) {
      if (id.text !== name) continue;
      const p = id.parent;
      if (p?.type === 'argument_list' && p.parent?.childForFieldName('function')?.text === 'append') return undefined;
      if (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.childForFieldName('right')?.id === p.id) return undefined;
      if (p?.type === 'send_statement' || p?.type === 'keyed_element' || p?.type === 'literal_element') return undefined;
      // Handed to a setter or registration that stores it (`f.proxies[i].SetHTTPClient(&c)`): kept.
      const arg = p?.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&' ? p : id;
      const call = arg.parent?.type === 'argument_list' ? arg.parent.parent : null;
      const callee = call?.childForFieldName('function');
      if (callee?.type === 'selector_expression' && /^(Set|Add|Register|Use|Store|Put)[A-Z]?/.test(callee.childForFieldName('field')?.text ?? '')) return undefined;
    }
    return 'perItem';
  }
  return undefined;
}

/** Why the call cannot move to package level: request data or a local in its arguments. */
function fixBlocker(file: GoFile, scope: RequestScope, fn: RequestFunction, site: Node): { scoped: boolean; name?: string } | undefined {
  const args = site.type === 'call_expression' ? site.childForFieldName('arguments') : site;
  if (!args) return undefined;
  if (scope.isRequestScoped(fn, args)) return { scoped: true };
  const locals = localNamesOf(file, site);
  for (const id of nodesOfType(file, args, 'identifier')) {
    if (file.imports.isLocalName(id.text)) continue;
    // Field names of keyed literals are not variables.
    if (id.parent?.type === 'literal_element' && id.parent.parent?.type === 'keyed_element' && id.parent.parent.namedChildren[0]?.id === id.parent.id) continue;
    if (locals.has(id.text)) return { scoped: false, name: id.text };
  }
  return undefined;
}
