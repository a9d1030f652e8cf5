import { defineAnalysis, resultOf, type Analysis } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { perDeclaration } from '../decl-memo';

/**
 * The file with every function body left out: package clause, imports, types,
 * vars, consts and signatures. Declaration-scoped rules whose cross-declaration
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
  return perDeclaration(file, 'go/outline', (decl) => {
    const isFunc = decl.type === 'function_declaration' || decl.type === 'method_declaration';
    const body = isFunc ? decl.childForFieldName('body') : null;
    return `${text.slice(decl.startIndex, body ? body.startIndex : decl.endIndex)}\n`;
  }).join('');
}
