import type { Node } from 'web-tree-sitter';
import type { GoFile } from './parser';
import { declaringScope } from './scope';
import { selectorPath, unparen } from './syntax';

/**
 * Does `node` (`http.Get`, `nethttp.Server`, a qualified type) name
 * `importPath`.`name` — through the file's import, not a local variable that
 * shadows the import's name?
 */
export function isPackageMember(file: GoFile, node: Node, importPath: string, ...names: string[]): boolean {
  const q = unparen(node);
  if (!file.imports.resolves(q, importPath, ...names)) return false;
  const pkg = q.type === 'selector_expression' ? q.childForFieldName('operand') : undefined;
  return !(pkg?.type === 'identifier' && declaringScope(pkg) !== undefined);
}

/**
 * Selector paths whose field is assigned in the file (`srv` for
 * `srv.ReadTimeout = d`), from the `@target` operands a rule's query captured;
 * a package member (`http.DefaultClient`) is spelled with its import path
 * (`net/http.DefaultClient`).
 */
export function assignedFieldOwners(file: GoFile, targets: readonly Node[]): Set<string> {
  const out = new Set<string>();
  for (const t of targets) {
    const q = file.imports.qualifiedName(unparen(t));
    if (q) out.add(`${q.path}.${q.name}`);
    const p = selectorPath(t);
    if (p !== undefined) out.add(p);
  }
  return out;
}
