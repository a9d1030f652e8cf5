/** The parts of a go.mod file the rules read. */
export interface GoMod {
  module?: string;
  /** `go` directive, e.g. "1.22" or "1.22.3". */
  go?: string;
  toolchain?: string;
  requires: { path: string; version: string }[];
  /** `replace old [v] => new [v]`: `newVersion` absent when `new` is a local directory (relative to go.mod). */
  replaces?: { path: string; version?: string; newPath: string; newVersion?: string }[];
}

/**
 * Reads go.mod's line-oriented format (https://go.dev/ref/mod#go-mod-file):
 * directives, `( ... )` blocks and `//` comments. Unknown directives are ignored.
 */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { requires: [] };
  let block: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    if (block) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      addDirective(mod, block, line.split(/\s+/));
      continue;
    }
    const words = line.split(/\s+/);
    if (words[1] === '(') {
      block = words[0];
      continue;
    }
    addDirective(mod, words[0], words.slice(1));
  }
  return mod;
}

function addDirective(mod: GoMod, verb: string, args: string[]): void {
  const unquoted = args.map((a) => a.replace(/^"(.*)"$/, '$1'));
  if (verb === 'module') mod.module = unquoted[0];
  else if (verb === 'go') mod.go = unquoted[0];
  else if (verb === 'toolchain') mod.toolchain = unquoted[0]?.replace(/^go/, '');
  else if (verb === 'require' && unquoted.length >= 2) mod.requires.push({ path: unquoted[0], version: unquoted[1] });
  else if (verb === 'replace') addReplace(mod, unquoted);
}

function addReplace(mod: GoMod, args: string[]): void {
  const arrow = args.indexOf('=>');
  if (arrow !== 1 && arrow !== 2) return;
  const [path, version] = args.slice(0, arrow);
  const [newPath, newVersion] = args.slice(arrow + 1);
  if (!path || !newPath) return;
  (mod.replaces ??= []).push({ path, ...(version ? { version } : {}), newPath, ...(newVersion ? { newVersion } : {}) });
}

function stripComment(line: string): string {
  const at = line.indexOf('//');
  return at >= 0 ? line.slice(0, at) : line;
}

/**
 * Compares Go versions as Go's own `go/version` does: negative when a < b.
 * `1.21` (a language version) < `1.21beta1` < `1.21rc1` < `1.21.0` < `1.21.1`:
 * pre-releases come before the release they lead to.
 */
export function compareGoVersions(a: string, b: string): number {
  const x = parseGoVersion(a);
  const y = parseGoVersion(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return 0;
}

const PRE_KIND: Readonly<Record<string, number>> = { alpha: 1, beta: 2, rc: 3 };

/** [major, minor, patch (-1 when absent), kind (0 none, 1 alpha, 2 beta, 3 rc), pre-release number]. */
function parseGoVersion(v: string): number[] {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?/.exec(v.trim());
  if (!m) return [0, 0, -1, 0, 0];
  const n = (s: string | undefined, absent: number): number => (s === undefined ? absent : Number.parseInt(s, 10));
  return [n(m[1], 0), n(m[2], 0), n(m[3], -1), m[4] ? PRE_KIND[m[4]] : 0, n(m[5], 0)];
}
