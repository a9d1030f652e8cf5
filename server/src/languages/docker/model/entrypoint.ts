import type { Instruction } from 'dockerfile-ast';
import type { Span } from '../../../core/finding';
import { commandAssignments, commandName, parseShell, type ShellWord, type SimpleCommand } from './shell';
import { jsonForm, lastInChain, type DockerModel, type Stage } from './stages';

/**
 * What the container of a stage starts: the effective ENTRYPOINT and CMD
 * (through parent stages), read in exec or shell form, with wrappers
 * (`env`, `exec`, tini, dumb-init) looked through to the program they run.
 */

export interface LaunchedProgram {
  /** The ENTRYPOINT or CMD the program word comes from. */
  instruction: Instruction;
  /** The program as written (`/app/server`, `./server`, `server`). */
  program: string;
  /** Span of the program word; for exec form, the JSON string holding it when found, else the array. */
  span: Span;
  isExecForm: boolean;
}

/** Init wrappers that run their arguments (after an optional `--`) as the real program. */
const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit']);

/** The words of an ENTRYPOINT/CMD as one simple command, or undefined for a shell script of several commands. */
function commandOf(model: DockerModel, ins: Instruction): { cmd: SimpleCommand; isExecForm: boolean } | undefined {
  const args = ins.getArguments();
  if (args.length === 0) return undefined;
  const file = model.file;
  const span = { start: file.spanOf(args[0].getRange()).start, end: file.spanOf(args[args.length - 1].getRange()).end };
  const json = jsonForm(ins);
  if (json) return { cmd: { assignments: [], words: json.map((value) => ({ value, span: execWordSpan(model, span, value), quoted: true, expands: false, globs: false })), span }, isExecForm: true };
  if (file.source.text.slice(span.start, span.end).trimStart().startsWith('[')) return undefined; // broken JSON: docker/shell-form-entrypoint
  const script = parseShell(file.source.text, span.start, span.end, file.ast.getEscapeCharacter());
  return script.commands.length === 1 ? { cmd: script.commands[0], isExecForm: false } : undefined;
}

/** The span of `"value"` inside an exec-form array when it occurs once, else the whole array. */
function execWordSpan(model: DockerModel, array: Span, value: string): Span {
  const raw = model.file.source.text.slice(array.start, array.end);
  const quoted = JSON.stringify(value);
  const at = raw.indexOf(quoted);
  if (at < 0 || raw.indexOf(quoted, at + 1) >= 0) return array;
  return { start: array.start + at + 1, end: array.start + at + quoted.length - 1 };
}

/** `NAME=value` words an ENTRYPOINT/CMD sets for its program (shell prefixes, `env NAME=value`). */
export function entrypointAssignments(model: DockerModel, ins: Instruction): ShellWord[] {
  const c = commandOf(model, ins);
  return c ? commandAssignments(c.cmd) : [];
}

/** The program the final container of `stage` runs, looking through `env`, `exec`, tini and dumb-init. */
export function launchedProgram(model: DockerModel, stage: Stage): LaunchedProgram | undefined {
  const entrypoint = lastInChain(stage, 'ENTRYPOINT');
  const cmd = lastInChain(stage, 'CMD');
  const sources: Instruction[] = [];
  if (entrypoint) sources.push(entrypoint);
  // CMD becomes arguments of an exec-form ENTRYPOINT; a shell-form ENTRYPOINT ignores it.
  if (cmd && (!entrypoint || jsonForm(entrypoint) !== undefined)) sources.push(cmd);
  for (let i = 0; i < sources.length; i++) {
    const c = commandOf(model, sources[i]);
    if (!c) return undefined;
    const head = commandName(c.cmd);
    if (!head) {
      if (c.cmd.words.length === 0 && c.cmd.assignments.length === 0) continue;
      return undefined;
    }
    let at = head.at;
    if (INITS.has(head.name)) {
      at++;
      while (at < c.cmd.words.length && c.cmd.words[at].value.startsWith('-')) at++;
    }
    if (at >= c.cmd.words.length) continue; // `ENTRYPOINT ["tini", "--"]`: the program is CMD's
    const word = c.cmd.words[at];
    if (word.expands || word.value === '') return undefined;
    return { instruction: sources[i], program: word.value, span: word.span, isExecForm: c.isExecForm };
  }
  return undefined;
}
