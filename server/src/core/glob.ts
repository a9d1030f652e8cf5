/**
 * Glob matching in time linear in the path's length (times the pattern's):
 * the pattern is compiled to a Thompson NFA and simulated state set by state
 * set, never by backtracking. Configuration globs come from the workspace
 * (`.shipshape.yaml`, a Dockerfile's COPY sources), so they are untrusted:
 * picomatch compiles to a backtracking RegExp in which `**\/(a+)+$` doubles
 * in cost with each character of a file name and plain `*a*a*a*a*a*a*a*a*b`
 * is polynomial of degree 8.
 *
 * Syntax (picomatch's, with `dot: true`): `*` (any characters but `/`), `?`
 * (one character but `/`), `[a-z]`, `[!a]`/`[^a]`, `**` as a whole segment
 * (any number of segments, none included), `{a,b}` (nested), the extglobs
 * `@(a|b)`, `?(a|b)`, `*(a|b)`, `+(a|b)`, `\` escapes, a leading `!`
 * negating the whole pattern. Not supported, each a {@link GlobError} with
 * the reason: `!(a|b)`, bare parentheses (a regular-expression group in
 * picomatch), patterns over {@link MAX_GLOB_LENGTH} characters. A path with
 * a `.` or `..` segment (outside the folder the patterns are relative to)
 * matches nothing, as with picomatch.
 */

export const MAX_GLOB_LENGTH = 1024;

export class GlobError extends Error {}

export type GlobMatcher = (path: string) => boolean;

type CharTest = (c: string) => boolean;
type Item =
  | { kind: 'char'; test: CharTest }
  | { kind: 'star' } // [^/]*
  | { kind: 'any' } // .* (a whole-pattern `**`, or `**` ending an alternative)
  | { kind: 'dirs' } // ([^/]*\/)* : `**/`
  | { kind: 'tail' } // (\/.*)? : a trailing `/**`
  | { kind: 'group'; alts: Item[][]; quant: 'one' | 'optional' | 'star' | 'plus' };

const notSlash: CharTest = (c) => c !== '/';
const anyChar: CharTest = () => true;

/** Why a pattern cannot be used, or undefined when it compiles. */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

/** A matcher for `pattern`; `matchBase`: a pattern without `/` is matched against the last segment. Throws {@link GlobError}. */
export function compileGlob(pattern: string, options: { matchBase?: boolean } = {}): GlobMatcher {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(`a glob is at most ${MAX_GLOB_LENGTH} characters long`);
  let body = pattern;
  let negated = false;
  while (body.startsWith('!') && !body.startsWith('!(')) {
    negated = !negated;
    body = body.slice(1);
  }
  const items = new Parser(body).parseAll();
  const nfa = new Nfa(items);
  const base = options.matchBase === true && !body.includes('/');
  return (p) => {
    const segments = p.split('/');
    const matched = !segments.some((s) => s === '.' || s === '..') && nfa.matches(base ? segments[segments.length - 1] : p);
    return matched !== negated;
  };
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parseAll(): Item[] {
    const items = this.parseSeq(new Set());
    if (this.at < this.text.length) throw new GlobError(`unexpected "${this.text[this.at]}" at ${this.at + 1}`);
    return items;
  }

  /** Items up to (not including) one of the `stops` at this level. */
  private parseSeq(stops: ReadonlySet<string>): Item[] {
    const out: Item[] = [];
    const t = this.text;
    while (this.at < t.length && !stops.has(t[this.at])) {
      const c = t[this.at];
      const next = this.at + 1 < t.length ? t[this.at + 1] : '';
      if (c === '\\') {
        // A trailing backslash is itself.
        out.push(literal(next === '' ? '\\' : next));
        this.at += next === '' ? 1 : 2;
      } else if ('@?*+!'.includes(c) && next === '(') {
        if (c === '!') throw new GlobError('negated extglobs "!(…)" are not supported: list the paths to leave out under exclude instead');
        this.at += 2;
        const alts = this.parseAlts('|', ')');
        out.push({ kind: 'group', alts, quant: c === '@' ? 'one' : c === '?' ? 'optional' : c === '*' ? 'star' : 'plus' });
      } else if (c === '(' || c === ')') {
        throw new GlobError('parentheses are not glob syntax here: write {a,b} or @(a|b) for alternatives, or \\( for a literal parenthesis');
      } else if (c === '*') {
        this.parseStars(out);
      } else if (c === '?') {
        out.push({ kind: 'char', test: notSlash });
        this.at++;
      } else if (c === '[') {
        out.push(this.parseClass());
      } else if (c === '{' && this.braceHasComma()) {
        this.at++;
        out.push({ kind: 'group', alts: this.parseAlts(',', '}'), quant: 'one' });
      } else if (c === '/' && t.slice(this.at + 1) === '**') {
        out.push({ kind: 'tail' });
        this.at = t.length;
      } else {
        out.push(literal(c));
        this.at++;
      }
    }
    return out;
  }

  private parseAlts(separator: string, close: string): Item[][] {
    const alts: Item[][] = [];
    const stops = new Set([separator, close]);
    for (;;) {
      alts.push(this.parseSeq(stops));
      if (this.at >= this.text.length) throw new GlobError(`unclosed "${close === ')' ? '(' : '{'}"`);
      const c = this.text[this.at];
      this.at++;
      if (c === close) return alts;
    }
  }

  /** `*`, or `**` standing for whole segments when it is one (between `/`, braces' commas, or the ends). */
  private parseStars(out: Item[]): void {
    const t = this.text;
    let end = this.at;
    while (t[end] === '*') end++;
    const before = this.at === 0 ? '' : t[this.at - 1];
    const after = t[end] ?? '';
    const segmentStart = before === '' || before === '/' || before === '{' || before === ',' || before === '|' || before === '(';
    if (end - this.at >= 2 && segmentStart && after === '/') {
      out.push({ kind: 'dirs' });
      this.at = end + 1;
      return;
    }
    if (end - this.at >= 2 && segmentStart && (after === '' || after === '}' || after === ',' || after === ')' || after === '|')) {
      out.push({ kind: 'any' });
    } else {
      // A star that is a whole segment matches at least one character (`a/*` is not `a/`).
      if ((before === '' || before === '/') && (after === '' || after === '/')) out.push({ kind: 'char', test: notSlash });
      out.push({ kind: 'star' });
    }
    this.at = end;
  }

  /** A `{` opens alternatives only when a `,` stands at its own level before its `}`; otherwise it is literal. */
  private braceHasComma(): boolean {
    const t = this.text;
    let depth = 0;
    for (let i = this.at; i < t.length; i++) {
      const c = t[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return false;
      else if (c === ',' && depth === 1) return true;
    }
    return false;
  }

  private parseClass(): Item {
    const t = this.text;
    let i = this.at + 1;
    const negate = t[i] === '!' || t[i] === '^';
    if (negate) i++;
    const ranges: [string, string][] = [];
    let first = true;
    while (i < t.length && (t[i] !== ']' || first)) {
      first = false;
      let lo = t[i];
      if (lo === '\\' && i + 1 < t.length) lo = t[++i];
      let hi = lo;
      if (t[i + 1] === '-' && i + 2 < t.length && t[i + 2] !== ']') {
        hi = t[i + 2] === '\\' && i + 3 < t.length ? t[i + 3] : t[i + 2];
        i += t[i + 2] === '\\' ? 3 : 2;
      }
      ranges.push([lo, hi]);
      i++;
    }
    if (i >= t.length) {
      // No closing bracket: a literal "[".
      this.at++;
      return literal('[');
    }
    this.at = i + 1;
    const inSet = (c: string): boolean => ranges.some(([lo, hi]) => c >= lo && c <= hi);
    return { kind: 'char', test: (c) => c !== '/' && inSet(c) !== negate };
  }
}

function literal(ch: string): Item {
  return { kind: 'char', test: (c) => c === ch };
}

type State = { kind: 'match' } | { kind: 'char'; test: CharTest; out: number } | { kind: 'split'; outs: number[] };

class Nfa {
  private readonly states: State[] = [{ kind: 'match' }];
  private readonly start: number;
  private readonly seen: number[];
  private stamp = 0;

  constructor(items: readonly Item[]) {
    this.start = this.seq(items, 0);
    this.seen = new Array<number>(this.states.length).fill(-1);
  }

  private add(s: State): number {
    this.states.push(s);
    return this.states.length - 1;
  }

  private split(): { index: number; outs: number[] } {
    const outs: number[] = [];
    return { index: this.add({ kind: 'split', outs }), outs };
  }

  /** States for `items` followed by `next`, built from the end. */
  private seq(items: readonly Item[], next: number): number {
    let at = next;
    for (let i = items.length - 1; i >= 0; i--) at = this.item(items[i], at);
    return at;
  }

  private loop(test: CharTest, next: number): number {
    const s = this.split();
    s.outs.push(this.add({ kind: 'char', test, out: s.index }), next);
    return s.index;
  }

  private item(item: Item, next: number): number {
    switch (item.kind) {
      case 'char':
        return this.add({ kind: 'char', test: item.test, out: next });
      case 'star':
        return this.loop(notSlash, next);
      case 'any':
        return this.loop(anyChar, next);
      case 'dirs': {
        const s = this.split();
        s.outs.push(this.loop(notSlash, this.add({ kind: 'char', test: (c) => c === '/', out: s.index })), next);
        return s.index;
      }
      case 'tail': {
        const s = this.split();
        s.outs.push(this.add({ kind: 'char', test: (c) => c === '/', out: this.loop(anyChar, next) }), next);
        return s.index;
      }
      case 'group': {
        if (item.quant === 'one' || item.quant === 'optional') {
          const s = this.split();
          for (const alt of item.alts) s.outs.push(this.seq(alt, next));
          if (item.quant === 'optional') s.outs.push(next);
          return s.index;
        }
        const again = this.split();
        for (const alt of item.alts) again.outs.push(this.seq(alt, again.index));
        again.outs.push(next);
        if (item.quant === 'star') return again.index;
        const once = this.split();
        for (const alt of item.alts) once.outs.push(this.seq(alt, again.index));
        return once.index;
      }
    }
  }

  /** The states reached from `from` through splits, added to `into` (each once per step). */
  private close(from: number, into: number[]): void {
    const stack = [from];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (this.seen[i] === this.stamp) continue;
      this.seen[i] = this.stamp;
      const s = this.states[i];
      if (s.kind === 'split') for (let k = s.outs.length - 1; k >= 0; k--) stack.push(s.outs[k]);
      else into.push(i);
    }
  }

  matches(text: string): boolean {
    let current: number[] = [];
    this.stamp++;
    this.close(this.start, current);
    for (const c of text) {
      if (current.length === 0) return false;
      const next: number[] = [];
      this.stamp++;
      for (const i of current) {
        const s = this.states[i];
        if (s.kind === 'char' && s.test(c)) this.close(s.out, next);
      }
      current = next;
    }
    return current.some((i) => this.states[i].kind === 'match');
  }
}
