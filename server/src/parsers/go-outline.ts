import type { Tree } from 'web-tree-sitter';
import type { GoFile } from './go';

const outlines = new WeakMap<Tree, string>();

/**
 * The file with every function body left out: package clause, imports, types,
 * vars, consts and signatures. Declaration-scoped rules whose cross-declaration
 * inputs are package-level declarations use it as their context key: an edit
 * inside a body leaves it unchanged, so the other declarations' findings stand.
 */
export function fileOutline(file: GoFile): string {
  const cached = outlines.get(file.tree);
  if (cached !== undefined) return cached;
  const text = file.source.text;
  let out = '';
  for (const decl of file.root.namedChildren) {
    if (!decl || decl.type === 'comment') continue;
    const isFunc = decl.type === 'function_declaration' || decl.type === 'method_declaration';
    const body = isFunc ? decl.childForFieldName('body') : null;
    out += `${text.slice(decl.startIndex, body ? body.startIndex : decl.endIndex)}\n`;
  }
  outlines.set(file.tree, out);
  return out;
}
