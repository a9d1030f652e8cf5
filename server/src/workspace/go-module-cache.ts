import * as path from 'node:path';

/**
 * Where Go keeps downloaded modules, as `go env GOMODCACHE` would say —
 * without running `go` (it may download a toolchain): `$GOMODCACHE` when set,
 * else `pkg/mod` under the first `$GOPATH` entry, else `~/go/pkg/mod`.
 * Relative settings are ignored, as Go ignores them. Hosts call this, and
 * only for a trusted workspace.
 */
export function goModuleCacheDir(env: Readonly<Record<string, string | undefined>>, home: string | undefined): string | undefined {
  const explicit = env.GOMODCACHE?.trim();
  if (explicit) return path.isAbsolute(explicit) ? explicit : undefined;
  const gopath = env.GOPATH?.split(path.delimiter).map((p) => p.trim()).find((p) => p !== '');
  if (gopath) return path.isAbsolute(gopath) ? path.join(gopath, 'pkg', 'mod') : undefined;
  return home ? path.join(home, 'go', 'pkg', 'mod') : undefined;
}

/**
 * A module path or version as the module cache spells it on disk: each
 * capital letter becomes `!` and its lower case (`github.com/BurntSushi/toml`
 * → `github.com/!burnt!sushi/toml`), so that case-insensitive file systems
 * keep distinct modules apart (golang.org/x/mod/module.EscapePath).
 */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** The directory of package `importPath` of module `modulePath@version` in the module cache. */
export function moduleCachePackageDir(cache: string, modulePath: string, version: string, importPath: string): string {
  const sub = importPath.slice(modulePath.length).split('/').filter((s) => s !== '');
  return path.join(cache, `${escapeModulePath(modulePath)}@${escapeModulePath(version)}`, ...sub);
}
