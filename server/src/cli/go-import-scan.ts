// What a Go file imports from its own module, read from its import block with a scan (no parse): the
// parallel audit orders packages by it so that a package's facts are computed before its importers ask.
import * as path from 'node:path';

/** The module (its go.mod's directory and module path) a directory belongs to. */
export type ModuleOf = (dir: string) => { dir: string; path: string } | undefined;

/** The nearest go.mod above each directory, read once per directory asked. */
export function goModuleDirs(readText: (file: string) => string | undefined): ModuleOf {
  const known = new Map<string, { dir: string; path: string } | undefined>();
  const moduleOf: ModuleOf = (dir) => {
    if (known.has(dir)) return known.get(dir);
    const text = readText(path.join(dir, 'go.mod'));
    const name = text === undefined ? undefined : /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
    const parent = path.dirname(dir);
    const found = name !== undefined ? { dir, path: name } : parent === dir ? undefined : moduleOf(parent);
    known.set(dir, found);
    return found;
  };
  return moduleOf;
}

/** Import paths of a Go file: the specs before its first declaration (a comment's quoted text may add a path: a spare dependency only). */
export function importPaths(text: string): string[] {
  const end = /^(?:func|type|var|const)\b/m.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const out: string[] = [];
  for (const block of head.matchAll(/^import\s*\(([^)]*)\)/gm)) for (const spec of block[1].matchAll(/"([^"\n]+)"/g)) out.push(spec[1]);
  for (const single of head.matchAll(/^import\s+(?:[\w.]+\s+)?"([^"\n]+)"/gm)) out.push(single[1]);
  return out;
}

/** Directories of the packages of its own module a Go file imports. */
export function inTreeImports(file: string, readText: (file: string) => string | undefined, moduleOf: ModuleOf): string[] {
  const mod = moduleOf(path.dirname(file));
  const text = mod ? readText(file) : undefined;
  if (!mod || text === undefined) return [];
  const out: string[] = [];
  for (const p of importPaths(text)) {
    if (p === mod.path) out.push(mod.dir);
    else if (p.startsWith(`${mod.path}/`)) out.push(path.join(mod.dir, ...p.slice(mod.path.length + 1).split('/')));
  }
  return out;
}
