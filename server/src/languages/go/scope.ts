import type { Node } from 'web-tree-sitter';
import type { Span } from '../../core/finding';
import { resultOf } from '../../core/analysis';
import { GO_SYNTAX_INDEX } from './syntax-index';
import type { GoFile } from './parser';
import { FUNCTION_TYPES, assignedNames, namedChildrenOf, sameNode, specsOf } from './syntax';

/**
 * Lexical scopes of Go identifiers, cheap and syntactic: which identifiers in
 * a subtree refer to the same variable as a given one, honouring shadowing by
 * `:=`, `var`, parameters, `range`/`if`/`switch`/`for` initializers and type
 * switch aliases in nested scopes. No types, no package scope: a name not
 * declared in any function scope resolves to the outermost function body.
 *
 * Identifiers are found through the file's syntax index, so rules asking
 * about the same function share one walk.
 */

/**
 * `identifier` nodes under `root` (a node of `file`) named `name`, in source
 * order, from the file's syntax index (one walk per top-level declaration,
 * shared by every rule; names read from the source text on the first question).
 */
export function identifiersIn(file: GoFile, root: Node, name: string): Node[] {
  return resultOf(GO_SYNTAX_INDEX, file).identifiersNamed(root, name);
}

/** Node types that open a scope in which a declaration can shadow an outer one. */
const SCOPE_TYPES: ReadonlySet<string> = new Set([
  ...FUNCTION_TYPES, 'statement_list', 'if_statement', 'for_statement', 'expression_switch_statement',
  'type_switch_statement', 'type_case', 'communication_case',
]);

/**
 * Does `scope` declare `name` before offset `before`? (For statement lists, only
 * declarations that start before `before` count: Go scopes begin after the declaration.)
 */
export function declaresName(scope: Node, name: string, before: number, self?: Node): boolean {
  const declaredBefore = (stmt: Node): boolean => stmt.endIndex <= before || (!!self && isDeclaredAt(stmt, self));
  switch (scope.type) {
    case 'function_declaration':
    case 'method_declaration':
    case 'func_literal':
      return functionParamNames(scope).includes(name);
    case 'statement_list':
      for (const stmt of namedChildrenOf(scope)) {
        if (stmt.startIndex >= before) break;
        if (stmtDeclares(stmt, name) && declaredBefore(stmt)) return true;
      }
      return false;
    case 'if_statement':
    case 'expression_switch_statement':
    case 'type_switch_statement': {
      const init = scope.childForFieldName('initializer');
      if (init && declaredBefore(init) && stmtDeclares(init, name)) return true;
      if (scope.type === 'type_switch_statement') {
        const alias = scope.childForFieldName('alias');
        if (alias && namedChildrenOf(alias).some((n) => n.text === name) && alias.endIndex <= before) return true;
      }
      return false;
    }
    case 'for_statement':
      for (const c of namedChildrenOf(scope)) {
        if (c.type === 'for_clause') {
          const init = c.childForFieldName('initializer');
          if (init && stmtDeclares(init, name)) return true;
        } else if (c.type === 'range_clause' && isDefine(c) && assignedNames(c).some((n) => n.text === name)) return true;
      }
      return false;
    case 'communication_case': {
      const comm = scope.childForFieldName('communication');
      return !!comm && comm.type === 'receive_statement' && isDefine(comm) && receivedNames(comm).includes(name);
    }
    case 'type_case': {
      // The alias of `switch v := x.(type)` is declared anew in every clause.
      const sw = scope.parent;
      const alias = sw?.childForFieldName('alias');
      return !!alias && namedChildrenOf(alias).some((n) => n.text === name);
    }
    default:
      return false;
  }
}

/** Is `ident` one of the names `stmt` declares (the declaration itself, not a use)? */
function isDeclaredAt(stmt: Node, ident: Node): boolean {
  if (stmt.type === 'short_var_declaration') return assignedNames(stmt).some((n) => sameNode(n, ident));
  if (stmt.type === 'var_declaration') {
    return specsOf(stmt).some((spec) => spec.childrenForFieldName('name').some((n) => sameNode(n, ident)));
  }
  return false;
}

function receivedNames(receive: Node): string[] {
  return namedChildrenOf(receive.childForFieldName('left')).map((n) => n.text);
}

function isDefine(node: Node): boolean {
  for (const c of node.children) if (c && !c.isNamed && c.type === ':=') return true;
  return false;
}

/** Does one statement declare `name` (`:=`, `var`, `const`, a labeled statement's inner one)? */
function stmtDeclares(stmt: Node, name: string): boolean {
  if (stmt.type === 'short_var_declaration') return assignedNames(stmt).some((n) => n.text === name);
  if (stmt.type === 'var_declaration' || stmt.type === 'const_declaration') {
    for (const spec of specsOf(stmt)) {
      if (spec.childrenForFieldName('name').some((n) => n?.text === name)) return true;
    }
  }
  return false;
}

/** Names of a function's receiver, parameters and named results. */
export function functionParamNames(fn: Node): string[] {
  const out: string[] = [];
  for (const field of ['receiver', 'parameters', 'result']) {
    const list = fn.childForFieldName(field);
    if (!list || list.type !== 'parameter_list') continue;
    for (const decl of namedChildrenOf(list)) {
      for (const n of decl.childrenForFieldName('name')) if (n) out.push(n.text);
    }
  }
  return out;
}

/**
 * The scope node in which the variable named by identifier `ident` is declared:
 * the innermost enclosing scope that declares it before `ident` (or at `ident`
 * itself, for a `:=`), else the outermost enclosing function.
 */
export function declarationScope(ident: Node): Node | undefined {
  return declaringScope(ident) ?? outermostFunction(ident);
}

/** The function-level scope declaring `ident`'s name, or undefined for a package-level (or undeclared) name. */
export function declaringScope(ident: Node): Node | undefined {
  const name = ident.text;
  for (let n = ident.parent; n; n = n.parent) {
    if (SCOPE_TYPES.has(n.type) && declaresName(n, name, ident.endIndex, ident)) return n;
  }
  return undefined;
}

function outermostFunction(node: Node): Node | undefined {
  let out: Node | undefined;
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) out = n;
  return out;
}

/**
 * Identifiers that refer to the same variable as `ident` (a declaration or
 * any use of it), within that variable's scope, skipping nested scopes that
 * redeclare the name. Includes `ident` itself. Sorted by position.
 */
export function referencesTo(file: GoFile, ident: Node): Node[] {
  const scope = declarationScope(ident);
  if (!scope) return [ident];
  return referencesInScope(file, scope, ident.text);
}

/** Identifiers named `name` under `scope` that are not shadowed by a nested declaration. */
export function referencesInScope(file: GoFile, scope: Node, name: string): Node[] {
  const candidates = identifiersIn(file, scope, name);
  return candidates.filter((c) => !isShadowedBetween(c, scope, name) && !isFieldOrLabel(c));
}

function isShadowedBetween(use: Node, scope: Node, name: string): boolean {
  for (let n = use.parent; n && !sameNode(n, scope); n = n.parent) {
    if (SCOPE_TYPES.has(n.type) && declaresName(n, name, use.endIndex, use)) return true;
  }
  return false;
}

/** Keys of keyed struct literals (`T{Name: v}`) parse as identifiers too; they are not references. */
function isFieldOrLabel(ident: Node): boolean {
  const p = ident.parent;
  if (p?.type !== 'literal_element') return false;
  const keyed = p.parent;
  return keyed?.type === 'keyed_element' && sameNode(keyed.childForFieldName('key'), p);
}

const WORD_START = /[\p{L}_]/u;
const TEXT_TYPES: ReadonlySet<string> = new Set(['comment', 'interpreted_string_literal', 'interpreted_string_literal_content', 'raw_string_literal', 'raw_string_literal_content', 'rune_literal', 'escape_sequence']);
const WORD_PART = /[\p{L}\p{N}_]/u;

/**
 * Does every mention of the word `word` in `span` of `text` name a variable
 * declared in a function scope (a local, a parameter, a receiver), so that no
 * package-level declaration of that name is read there by scope? Words in
 * comments and string literals mention nothing; any other mention (a
 * package-level or undeclared name, a field, a type, a key of a literal, part
 * of an error) makes it false. `root` is
 * the tree's root. (Split-by-name keys: `NamedKey.reach` `'free'`.)
 */
export function onlyLocalMentions(root: Node, text: string, span: Span, word: string): boolean {
  const hay = text.slice(span.start, span.end);
  for (let rel = hay.indexOf(word); rel >= 0; rel = hay.indexOf(word, rel + 1)) {
    const at = span.start + rel;
    // Inside a longer word (as the runner's word split reads it): not a mention of this one.
    if ((at > 0 && WORD_START.test(text[at - 1])) || WORD_PART.test(text[at + word.length] ?? '')) continue;
    const n = root.descendantForIndex(at, at + word.length);
    // Text of a comment or a literal names nothing that is resolved by scope.
    if (n && TEXT_TYPES.has(n.type)) continue;
    if (n?.type !== 'identifier' || n.startIndex !== at || n.endIndex !== at + word.length) return false;
    if (n.parent?.type === 'literal_element' || declaringScope(n) === undefined) return false;
  }
  return true;
}
