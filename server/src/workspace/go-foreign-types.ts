import * as path from 'node:path';
import type { GoFile } from '../languages/go/parser';
import type { GoMod } from '../languages/gomod/parser';
import { GoPackageTypes } from '../languages/go/model/decl-index';
import { TYPE_FACTS } from '../languages/go/model/type-expr';
import type { ForeignPackages } from '../languages/go/model/type-size';
import { moduleCachePackageDir } from './go-module-cache';
import type { WorkspaceView } from './view';

/**
 * Declarations of the packages a Go file imports, read from disk the way the
 * `go` command would find them — without running it:
 * 1. a package of the file's own module (go.mod's `module` path): its folder;
 * 2. with `vendor/modules.txt` beside go.mod: `vendor/<import path>` only (Go
 *    builds from vendor/ then);
 * 3. else the required module (the longest `require` path that prefixes the
 *    import path), after `replace`: a local directory (read only inside the
 *    workspace), or `module@version` in the module cache, when the host gave
 *    one (`WorkspaceView.goModuleCache`: never in an untrusted workspace).
 * Anything else — the standard library, a module not required, files not on
 * disk — is unknown, and the type model stays silent about it.
 *
 * Each package is read lazily, on the first question about one of its
 * types, through its files' `go/type-facts` facts (the engine's fact store
 * parses each file once per content; no tree is kept). The returned reader
 * belongs to its caller (one rule run): nothing is cached here.
 */
export function foreignPackages(workspace: WorkspaceView, file: GoFile): ForeignPackages {
  let locate: ((importPath: string) => string | undefined) | undefined;
  return {
    packageTypes(importPath: string): GoPackageTypes | undefined {
      if (!importPath.split('/')[0].includes('.')) return undefined; // the standard library (goimports' rule)
      locate ??= locator(workspace, file);
      const dir = locate(importPath);
      if (dir === undefined) return undefined;
      const facts = workspace.goPackage(file).packageFactsAt(dir, TYPE_FACTS);
      return facts.length > 0 ? new GoPackageTypes(facts) : undefined;
    },
  };
}

function locator(workspace: WorkspaceView, file: GoFile): (importPath: string) => string | undefined {
  const mod = path.isAbsolute(file.path) ? workspace.goModFor(file.path) : undefined;
  const own = mod?.module;
  if (!mod || own === undefined) return () => undefined;
  const root = path.dirname(mod.path);
  const vendored = workspace.readText(path.join(root, 'vendor', 'modules.txt')) !== undefined;
  const cache = workspace.goModuleCache;
  return (importPath) => {
    if (isUnder(importPath, own)) return path.join(root, ...importPath.slice(own.length).split('/').filter((s) => s !== ''));
    if (vendored) return path.join(root, 'vendor', ...importPath.split('/'));
    const req = requiredModule(mod, importPath);
    if (!req) return undefined;
    const rep = mod.replaces?.find((r) => r.path === req.path && (r.version === undefined || r.version === req.version));
    if (rep && rep.newVersion === undefined) {
      // A local directory: Go requires it to be absolute or to start with ./ or ../.
      if (!path.isAbsolute(rep.newPath) && !/^\.\.?(\/|$)/.test(rep.newPath)) return undefined;
      const sub = importPath.slice(req.path.length).split('/').filter((s) => s !== '');
      return path.join(path.resolve(root, rep.newPath), ...sub);
    }
    if (cache === undefined) return undefined;
    return rep?.newVersion !== undefined
      ? moduleCachePackageDir(cache, rep.newPath, rep.newVersion, rep.newPath + importPath.slice(req.path.length))
      : moduleCachePackageDir(cache, req.path, req.version, importPath);
  };
}

function requiredModule(mod: GoMod, importPath: string): { path: string; version: string } | undefined {
  let best: { path: string; version: string } | undefined;
  for (const r of mod.requires) if (isUnder(importPath, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

function isUnder(importPath: string, modulePath: string): boolean {
  return importPath === modulePath || importPath.startsWith(`${modulePath}/`);
}
