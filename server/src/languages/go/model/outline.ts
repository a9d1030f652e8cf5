import { defineAnalysis, resultOf } from '../../../core/analysis';
import type { GoFile } from '../parser';

/**
 * The file with every function body left out: package clause, imports, types,
 * vars, consts and signatures. Declaration-scoped rules whose cross-declaration
 * inputs are package-level declarations use it as their context key: an edit
 * inside a body leaves it unchanged, so the other declarations' findings stand.
 */
export const GO_OUTLINE = defineAnalysis({ id: 'go/outline', on: 'go-file', fact: true, build: readOutline });

export function fileOutline(file: GoFile): string {
  return resultOf(GO_OUTLINE, file);
}

function readOutline(file: GoFile): string {
  const text = file.source.text;
  let out = '';
  for (const decl of file.root.namedChildren) {
    if (!decl || decl.type === 'comment') continue;
    const isFunc = decl.type === 'function_declaration' || decl.type === 'method_declaration';
    const body = isFunc ? decl.childForFieldName('body') : null;
    out += `${text.slice(decl.startIndex, body ? body.startIndex : decl.endIndex)}\n`;
  }
  return out;
}
