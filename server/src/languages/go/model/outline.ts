import { defineAnalysis, resultOf, type Analysis } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { derivedFrom, perDeclaration } from '../decl-memo';

/**
 * The file with every function body left out: types, vars, consts and
 * signatures (the package clause and imports are left to the runner's header
 * key, which re-runs a rule when what was read of them changed). Declaration-scoped rules whose cross-declaration
 * inputs are package-level declarations use it as their context key: an edit
 * inside a body leaves it unchanged, so the other declarations' findings stand.
 */
export const GO_OUTLINE: Analysis<string, 'go-file'> = defineAnalysis({
  id: 'go/outline',
  on: 'go-file',
  fact: true,
  build: readOutline,
  declarationKey: (file): string => resultOf(GO_OUTLINE, file),
});

export function fileOutline(file: GoFile): string {
  return resultOf(GO_OUTLINE, file);
}

function readOutline(file: GoFile): string {
  const text = file.source.text;
  // Per top-level declaration: typing in one body re-reads that declaration only.
  const pieces = perDeclaration(file, 'go/outline', (decl) => {
    // The header (package clause, imports) is in every declaration-scoped context already, as what was read of it.
    if (decl.type === 'package_clause' || decl.type === 'import_declaration') return '';
    const isFunc = decl.type === 'function_declaration' || decl.type === 'method_declaration';
    const body = isFunc ? decl.childForFieldName('body') : null;
    return `${text.slice(decl.startIndex, body ? body.startIndex : decl.endIndex)}\n`;
  });
  return derivedFrom(file, 'go/outline', pieces, () => pieces.join(''));
}
