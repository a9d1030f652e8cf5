import type { GoFile } from './go';

/**
 * Every identifier spelled in a Go file, collected once per parsed file: fix
 * builders that pick a fresh name (`handlerSem2`, a hoisted handle) ask it
 * per finding, and a walk of the whole tree per finding made fixes quadratic
 * in the file's size (a 2 MB file took a minute). Keyed weakly by the parsed
 * file, so it lives exactly as long as its tree.
 */
const namesByFile = new WeakMap<GoFile, ReadonlySet<string>>();

export function identifierNames(file: GoFile): ReadonlySet<string> {
  let names = namesByFile.get(file);
  if (!names) {
    names = new Set(file.root.descendantsOfType('identifier').flatMap((n) => (n ? [n.text] : [])));
    namesByFile.set(file, names);
  }
  return names;
}
