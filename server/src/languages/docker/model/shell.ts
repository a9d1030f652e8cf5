import type { Span } from '../../../core/finding';

/**
 * A small POSIX-shell word splitter for Dockerfile RUN/CMD/ENTRYPOINT text,
 * keeping UTF-16 offsets into the Dockerfile. It reads what Docker hands to
 * `/bin/sh -c`: Dockerfile line continuations (escape char + newline) and
 * comment lines inside them are dropped first, as BuildKit does. It is not a
 * shell: it knows words, quotes, `$(...)`/backticks, operators and
 * redirections, which is what the rules need (find `go build`, tell a plain
 * command from one that needs a shell).
 */

export interface ShellWord {
  /** The word with quotes removed (escapes resolved); `$VAR`/`$(…)` kept verbatim. */
  value: string;
  span: Span;
  /** Contains quotes. */
  quoted: boolean;
  /** Contains an unquoted or double-quoted expansion (`$`, backtick). */
  expands: boolean;
  /** Contains an unquoted glob character (`*`, `?`, `[`). */
  globs: boolean;
}

export interface SimpleCommand {
  /** Leading `NAME=value` words. */
  assignments: ShellWord[];
  /** The command and its arguments, redirections removed. */
  words: ShellWord[];
  span: Span;
  /** Operator that joined it to the previous command (`&&`, `||`, `;`, `|`, `&`, newline), if any. */
  joinedBy?: string;
}

export interface ShellScript {
  commands: SimpleCommand[];
  /** Uses something only a shell understands: operators, redirections, expansions, globs, assignments, subshells. */
  needsShell: boolean;
  /** Why it needs a shell (the first feature found), for messages. */
  shellFeature?: string;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'];

/**
 * Splits `text[start, end)` into simple commands. `escapeChar` is the
 * Dockerfile's escape character (line continuations); `continuations` is
 * false for heredoc bodies, where newlines separate commands.
 */
export function parseShell(text: string, start: number, end: number, escapeChar = '\\', continuations = true): ShellScript {
  const commands: SimpleCommand[] = [];
  let feature: string | undefined;
  const note = (f: string): void => {
    feature ??= f;
  };
  let current: ShellWord[] = [];
  let joinedBy: string | undefined;
  let redirectNext = false;
  const flush = (op?: string): void => {
    if (current.length > 0) {
      let i = 0;
      while (i < current.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(current[i].value) && !current[i].value.startsWith('=')) i++;
      const assignments = current.slice(0, i);
      if (assignments.length > 0) note('a variable assignment');
      commands.push({
        assignments,
        words: current.slice(i),
        span: { start: current[0].span.start, end: current[current.length - 1].span.end },
        joinedBy,
      });
    }
    current = [];
    joinedBy = op;
  };

  let i = start;
  while (i < end) {
    const skipped = skipContinuation(text, i, end, escapeChar, continuations);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const ch = text[i];
    if (ch === '\n' || ch === '\r') {
      if (!continuations) flush('\n');
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#' && !continuations) {
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      note(op === '(' || op === ')' ? 'a subshell' : `"${op}"`);
      flush(op);
      i += op.length;
      continue;
    }
    const redirect = /^[0-9]*(>>|>&|<<<|<<|<&|>|<)/.exec(text.slice(i, Math.min(end, i + 6)));
    if (redirect) {
      note('a redirection');
      i += redirect[0].length;
      redirectNext = true;
      continue;
    }
    const word = readWord(text, i, end, escapeChar, continuations);
    i = word.next;
    if (redirectNext) {
      redirectNext = false;
      continue;
    }
    if (word.word.expands) note('a variable or command substitution');
    if (word.word.globs) note('a glob');
    current.push(word.word);
  }
  flush();
  return { commands, needsShell: feature !== undefined, shellFeature: feature };
}

/** Skips a Dockerfile line continuation and the comment/blank lines after it. */
function skipContinuation(text: string, i: number, end: number, escapeChar: string, continuations: boolean): number {
  if (!continuations || text[i] !== escapeChar) return i;
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (j < end && text[j] !== '\n' && text[j] !== '\r') return i;
  if (j >= end) return end;
  j += text.startsWith('\r\n', j) ? 2 : 1;
  // Comment lines and empty lines inside a continued instruction are removed by the builder.
  for (;;) {
    let k = j;
    while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < end && text[k] === '#') {
      while (k < end && text[k] !== '\n') k++;
      j = Math.min(end, k + 1);
      continue;
    }
    if (k < end && (text[k] === '\n' || text[k] === '\r')) {
      j = k + (text.startsWith('\r\n', k) ? 2 : 1);
      continue;
    }
    return j;
  }
}

function readWord(text: string, start: number, end: number, escapeChar: string, continuations: boolean): { word: ShellWord; next: number } {
  let value = '';
  let quoted = false;
  let expands = false;
  let globs = false;
  let i = start;
  let last = start;
  while (i < end) {
    const skipped = skipContinuation(text, i, end, escapeChar, continuations);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const ch = text[i];
    if (/[\s;&|()<>]/.test(ch)) break;
    if (ch === '\\') {
      if (i + 1 < end) value += text[i + 1];
      i += 2;
    } else if (ch === "'") {
      quoted = true;
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= end ? end : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (ch === '"') {
      quoted = true;
      i++;
      while (i < end && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < end && '"\\$`'.includes(text[i + 1])) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] === '$' || text[i] === '`') expands = true;
        value += text[i];
        i++;
      }
      i++;
    } else if (ch === '$' && text[i + 1] === '(') {
      expands = true;
      const close = matchParen(text, i + 1, end);
      value += text.slice(i, close);
      i = close;
    } else if (ch === '`') {
      expands = true;
      const close = text.indexOf('`', i + 1);
      const stop = close < 0 || close >= end ? end : close + 1;
      value += text.slice(i, stop);
      i = stop;
    } else {
      if (ch === '$') expands = true;
      if (ch === '*' || ch === '?' || ch === '[') globs = true;
      value += ch;
      i++;
    }
    last = Math.min(i, end);
  }
  return { word: { value, span: { start, end: last }, quoted, expands, globs }, next: Math.max(i, start + 1) };
}

function matchParen(text: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return end;
}

/** Words of the first simple command whose command word (after `env`, `sudo`) is `name`. */
export function commandName(cmd: SimpleCommand): { name: string; at: number } | undefined {
  let at = 0;
  const words = cmd.words;
  while (at < words.length) {
    const w = words[at].value;
    if (w === 'env' || w === 'sudo' || w === 'exec' || w === 'time' || w === 'nice') {
      at++;
      while (at < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at].value) || words[at].value.startsWith('-'))) at++;
      continue;
    }
    break;
  }
  if (at >= words.length) return undefined;
  const base = words[at].value.split('/').pop() ?? '';
  return { name: base, at };
}

/** `NAME=value` assignments that apply to a command: its leading ones and `env NAME=value` words. */
export function commandAssignments(cmd: SimpleCommand): ShellWord[] {
  const out = [...cmd.assignments];
  const head = commandName(cmd);
  for (let i = 0; i < (head?.at ?? 0); i++) if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd.words[i].value)) out.push(cmd.words[i]);
  return out;
}
