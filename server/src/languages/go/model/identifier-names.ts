import { defineAnalysis, resultOf } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { GO_SYNTAX_INDEX } from '../syntax-index';

/**
 * Every identifier spelled in a Go file, collected once per parsed file: fix
 * builders that pick a fresh name (`handlerSem2`, a hoisted handle) ask it
 * per finding, and a walk of the whole tree per finding made fixes quadratic
 * in the file's size (a 2 MB file took a minute). An engine analysis: its
 * result lives in the tree's slot, exactly as long as the tree.
 */
export const GO_IDENTIFIER_NAMES = defineAnalysis({
  id: 'go/identifier-names',
  on: 'go-file',
  requires: [GO_SYNTAX_INDEX],
  build: (file, pass): ReadonlySet<string> => pass.resultOf(GO_SYNTAX_INDEX).identifierNames(file.root),
});

/** The names of {@link GO_IDENTIFIER_NAMES} for a file (fix builders, which get the file rather than a rule context). */
export function identifierNames(file: GoFile): ReadonlySet<string> {
  return resultOf(GO_IDENTIFIER_NAMES, file);
}
