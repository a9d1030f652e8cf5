/** The parts of a go.mod file the rules read. */
export interface GoMod {
  module?: string;
  /** `go` directive, e.g. "1.22" or "1.22.3". */
  go?: string;
  toolchain?: string;
  requires: { path: string; version: string }[];
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
}

function stripComment(line: string): string {
  const at = line.indexOf('//');
  return at >= 0 ? line.slice(0, at) : line;
}

/** Compares Go versions "1.21", "1.21.3", "1.21rc1": negative when a < b. */
export function compareGoVersions(a: string, b: string): number {
  const pa = a.split(/[.a-z]+/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.a-z]+/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
