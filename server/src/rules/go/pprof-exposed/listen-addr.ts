import type { Node } from 'web-tree-sitter';
import { unquoteGoString } from '../../../languages/go/imports';
import { declaredValue } from '../../../languages/go/literal';
import { namedChildrenOf, unparen } from '../../../languages/go/syntax';

/**
 * What a listen address expression evidently is: a string literal (or a
 * local/package-level name bound to one, or `":" + port` / `fmt.Sprintf(":%d", p)`)
 * that binds every interface, or loopback only. `unknown` for configuration
 * (`os.Getenv`, flags, parameters).
 */
export interface ListenAddr {
  scope: 'public' | 'loopback' | 'unknown';
  /** The string literal holding the address, when the address is exactly one literal (the fix rewrites it). */
  literal?: Node;
  /** The port, when the literal shows it. */
  port?: string;
  /** The address as written, for messages. */
  text: string;
}

export function classifyListenAddr(expr: Node | null | undefined, root: Node): ListenAddr {
  if (!expr) return { scope: 'unknown', text: '' };
  const e = unparen(expr);
  const text = e.text;
  if (e.type === 'interpreted_string_literal' || e.type === 'raw_string_literal') return fromLiteral(e, unquoteGoString(e.text));
  if (e.type === 'identifier') {
    const value = declaredValue(e) ?? packageStringValue(root, e.text);
    if (value && (value.type === 'interpreted_string_literal' || value.type === 'raw_string_literal')) {
      const r = fromLiteral(value, unquoteGoString(value.text));
      return { ...r, text };
    }
    return { scope: 'unknown', text };
  }
  // ":" + port, fmt.Sprintf(":%d", port): every interface, port unknown.
  const first = e.type === 'binary_expression' ? e.childForFieldName('left')
    : e.type === 'call_expression' ? namedChildrenOf(e.childForFieldName('arguments'))[0] : undefined;
  if (first && (first.type === 'interpreted_string_literal' || first.type === 'raw_string_literal')) {
    const head = unquoteGoString(first.text);
    if (head.startsWith(':') || /^(0\.0\.0\.0|\[::\]):/.test(head)) return { scope: 'public', text };
    if (/^(localhost|127\.[0-9.]+|\[::1\]):/.test(head)) return { scope: 'loopback', text };
  }
  return { scope: 'unknown', text };
}

function fromLiteral(literal: Node, addr: string): ListenAddr {
  const m = /^(.*):([0-9a-z-]*)$/i.exec(addr);
  const host = (m ? m[1] : addr).replace(/^\[(.*)\]$/, '$1');
  const port = m?.[2];
  const loopback = host === 'localhost' || /^127\./.test(host) || host === '::1';
  return { scope: loopback ? 'loopback' : 'public', literal, port, text: literal.text };
}

/** Value of a top-level `const`/`var` of the file bound to exactly one expression. */
function packageStringValue(root: Node, name: string): Node | undefined {
  for (const decl of namedChildrenOf(root)) {
    if (decl.type !== 'const_declaration' && decl.type !== 'var_declaration') continue;
    for (const spec of decl.descendantsOfType(['const_spec', 'var_spec'])) {
      if (!spec) continue;
      const names = spec.childrenForFieldName('name');
      const values = namedChildrenOf(spec.childForFieldName('value'));
      const i = names.findIndex((n) => n?.text === name);
      if (i >= 0 && values.length === names.length) return values[i];
    }
  }
  return undefined;
}
