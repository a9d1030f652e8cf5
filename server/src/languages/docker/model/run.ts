import * as path from 'node:path';
import type { Instruction, Run } from 'dockerfile-ast';
import type { Span } from '../../../core/finding';
import { commandAssignments, commandName, parseShell, type ShellScript, type ShellWord, type SimpleCommand } from './shell';
import { DOCKER_STAGES, copiesFrom, copySourceCovers, flagsOf, jsonForm, stageChain, variableAt, workdirAt, type DockerModel, type Stage } from './stages';
import { defineAnalysis, resultOf } from '../../../core/analysis';

/**
 * What the RUN instructions of a Dockerfile execute: their shell scripts
 * (shell form, exec form and heredoc bodies) and the Go commands among them
 * (`go build` with its output path, flags and environment). Built once per
 * parsed file and shared by the rules.
 */

export interface RunScript {
  instruction: Instruction;
  stage: Stage;
  script: ShellScript;
  /** Span of the command text (after flags), or of the heredoc bodies. */
  span: Span;
  isHeredoc: boolean;
  isExecForm: boolean;
}

export interface GoCommand {
  run: RunScript;
  command: SimpleCommand;
  /** `build`, `install`, `mod download`, ... */
  sub: string;
  /** The `go` word. */
  goWord: ShellWord;
  /** Flags by name without dashes; `true` for a boolean flag. */
  flags: Map<string, ShellWord | true>;
  /** The word holding a flag (for `-ldflags=...` the flag word itself). */
  flagWords: Map<string, ShellWord>;
  packages: ShellWord[];
  /** Absolute `-o` path (ends with `/` for a directory), resolved against WORKDIR. */
  output?: string;
}

export interface EnvSetting {
  value: string | undefined;
  span: Span;
  via: 'env' | 'arg' | 'inline' | 'export' | 'go-env';
}

/** The shell scripts of every RUN and the `go` commands in them. */
export const DOCKER_RUN = defineAnalysis({
  id: 'docker/run',
  on: 'docker-file',
  requires: [DOCKER_STAGES],
  build: (_file, pass): { scripts: RunScript[]; goCommands: GoCommand[] } => {
    const model = pass.resultOf(DOCKER_STAGES);
    const scripts = buildScripts(model);
    return { scripts, goCommands: scripts.flatMap((s) => goCommandsOf(model, s)) };
  },
});

function runModel(model: DockerModel): { scripts: RunScript[]; goCommands: GoCommand[] } {
  return resultOf(DOCKER_RUN, model.file);
}

export function runScripts(model: DockerModel): RunScript[] {
  return runModel(model).scripts;
}

export function goCommands(model: DockerModel): GoCommand[] {
  return runModel(model).goCommands;
}

function buildScripts(model: DockerModel): RunScript[] {
  const out: RunScript[] = [];
  const text = model.file.source.text;
  const escape = model.file.ast.getEscapeCharacter();
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() !== 'RUN') continue;
      const args = ins.getArguments();
      if (args.length === 0) continue;
      const heredocs = (ins as Run).getHeredocs?.() ?? [];
      const bodies = heredocs.map((h) => h.getContentRange()).filter((r): r is NonNullable<typeof r> => r !== null);
      if (bodies.length > 0) {
        for (const r of bodies) {
          const span = model.file.spanOf(r);
          out.push({ instruction: ins, stage, script: parseShell(text, span.start, span.end, escape, false), span, isHeredoc: true, isExecForm: false });
        }
        continue;
      }
      const span = { start: model.file.spanOf(args[0].getRange()).start, end: model.file.spanOf(args[args.length - 1].getRange()).end };
      const json = jsonForm(ins);
      if (json) {
        out.push({ instruction: ins, stage, script: execScript(json, span), span, isHeredoc: false, isExecForm: true });
        continue;
      }
      out.push({ instruction: ins, stage, script: parseShell(text, span.start, span.end, escape, true), span, isHeredoc: false, isExecForm: false });
    }
  }
  return out;
}

/** An exec-form command as one simple command; every word spans the whole array (JSON has no word ranges here). */
function execScript(values: string[], span: Span): ShellScript {
  const words = values.map((value) => ({ value, span, quoted: true, expands: false, globs: false }));
  return { commands: [{ assignments: [], words, span }], needsShell: false };
}

const VALUE_FLAGS = new Set([
  'o', 'p', 'asmflags', 'buildmode', 'compiler', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod', 'modfile',
  'overlay', 'pgo', 'pkgdir', 'tags', 'toolexec', 'C', 'coverpkg', 'covermode', 'exec', 'run', 'timeout', 'count',
]);

function goCommandsOf(model: DockerModel, run: RunScript): GoCommand[] {
  const out: GoCommand[] = [];
  for (const command of run.script.commands) {
    const head = commandName(command);
    if (!head || head.name !== 'go') continue;
    const words = command.words.slice(head.at + 1);
    if (words.length === 0) continue;
    let sub = words[0].value;
    let rest = words.slice(1);
    if (sub === 'mod' && rest.length > 0) {
      sub = `mod ${rest[0].value}`;
      rest = rest.slice(1);
    }
    const flags = new Map<string, ShellWord | true>();
    const flagWords = new Map<string, ShellWord>();
    const packages: ShellWord[] = [];
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i];
      const m = /^--?([A-Za-z][\w.-]*)(?:=(.*))?$/s.exec(w.value);
      if (!m) {
        packages.push(w);
        continue;
      }
      const name = m[1];
      flagWords.set(name, w);
      if (m[2] !== undefined) flags.set(name, { ...w, value: m[2] });
      else if (VALUE_FLAGS.has(name) && i + 1 < rest.length) flags.set(name, rest[++i]);
      else flags.set(name, true);
    }
    const o = flags.get('o');
    const cwd = workdirAt(model, run.stage, run.instruction);
    const output = o && o !== true && !o.expands ? path.posix.resolve(cwd, o.value) + (o.value.endsWith('/') ? '/' : '') : undefined;
    out.push({ run, command, sub, goWord: command.words[head.at], flags, flagWords, packages, output });
  }
  return out;
}

/**
 * The value of an environment variable for a Go command: an inline
 * `NAME=value` / `env NAME=value`, an earlier `export NAME=value` in the same
 * RUN, `go env -w NAME=value` in an earlier RUN of the stage (or its
 * parents), or the stage's ENV/ARG.
 */
export function envForGoCommand(model: DockerModel, cmd: GoCommand, name: string): EnvSetting | undefined {
  const assign = (w: ShellWord): string | undefined => (w.value.startsWith(`${name}=`) ? w.value.slice(name.length + 1) : undefined);
  for (const w of commandAssignments(cmd.command)) {
    const v = assign(w);
    if (v !== undefined) return { value: v, span: w.span, via: 'inline' };
  }
  const commands = cmd.run.script.commands;
  for (let i = commands.indexOf(cmd.command) - 1; i >= 0; i--) {
    const c = commands[i];
    const head = commandName(c);
    if (head?.name === 'export') {
      for (const w of c.words.slice(head.at + 1)) {
        const v = assign(w);
        if (v !== undefined) return { value: v, span: w.span, via: 'export' };
      }
    }
    if (c.words.length === 0) for (const w of c.assignments) {
      const v = assign(w);
      if (v !== undefined) return { value: v, span: w.span, via: 'export' };
    }
  }
  const goEnv = goEnvWrite(model, cmd, name);
  if (goEnv) return goEnv;
  const v = variableAt(model, cmd.run.stage, cmd.run.instruction, name);
  return v ? { value: v.value, span: v.span, via: v.kind } : undefined;
}

function goEnvWrite(model: DockerModel, cmd: GoCommand, name: string): EnvSetting | undefined {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = cmd.run.stage; s; s = s.parent) chain.push(s);
  const line = cmd.run.instruction.getRange().start.line;
  let found: EnvSetting | undefined;
  for (const c of goCommands(model)) {
    if (!chain.includes(c.run.stage) || c.sub !== 'env' || !c.flags.has('w')) continue;
    if (c.run.stage === cmd.run.stage && c.run.instruction.getRange().start.line >= line) continue;
    for (const w of c.packages) if (w.value.startsWith(`${name}=`)) found = { value: w.value.slice(name.length + 1), span: w.span, via: 'go-env' };
  }
  return found;
}

/** Go commands of a stage. */
export function goCommandsIn(model: DockerModel, stage: Stage, sub?: string): GoCommand[] {
  return goCommands(model).filter((c) => c.run.stage === stage && (sub === undefined || c.sub === sub));
}

/** Stages whose files the final image can hold: the final stage, its parents, and stages copied from (transitively). */
export function stagesFeedingFinal(model: DockerModel): Set<Stage> {
  const seen = new Set<Stage>();
  const visit = (s: Stage | undefined): void => {
    if (!s || seen.has(s)) return;
    seen.add(s);
    visit(s.parent);
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      const from = flagsOf(ins).find((f) => f.name === 'from')?.value;
      if (from) visit(model.stageByRef(from));
    }
  };
  visit(model.final);
  return seen;
}

/** `go build` that writes no binary: several packages (`./...`) without -o. */
export function isCompileOnly(cmd: GoCommand): boolean {
  return cmd.sub === 'build' && !cmd.flags.has('o') && cmd.packages.some((p) => p.value.includes('...'));
}

/**
 * Absolute path of the binary a `go build`/`go install` writes: `-o` (a file,
 * or a directory + the package name), else the package's last path element
 * in WORKDIR (build) or /go/bin (install). `moduleName` is the last element
 * of the module path, for `.`. Undefined when it cannot be known (several
 * packages, variables, `./...`).
 */
export function builtBinaryPath(model: DockerModel, cmd: GoCommand, moduleName?: string): string | undefined {
  if (cmd.sub !== 'build' && cmd.sub !== 'install') return undefined;
  const pkgs = cmd.packages.filter((p) => !p.value.endsWith('.go'));
  const files = cmd.packages.filter((p) => p.value.endsWith('.go'));
  let name: string | undefined;
  if (pkgs.length === 1 && files.length === 0 && !pkgs[0].expands && !pkgs[0].value.includes('...')) {
    const p = pkgs[0].value.replace(/\/+$/, '').replace(/@.*$/, '');
    name = p === '.' || p === '' ? moduleName : p.split('/').pop();
  } else if (pkgs.length === 0 && files.length === 0) name = moduleName;
  else if (pkgs.length === 0 && files.length > 0) name = files[0].value.split('/').pop()?.replace(/\.go$/, '');
  const o = cmd.flags.get('o');
  if (isCompileOnly(cmd)) return undefined;
  if (cmd.sub === 'build' && o !== undefined) {
    if (!cmd.output) return undefined;
    return cmd.output.endsWith('/') ? (name ? cmd.output + name : undefined) : cmd.output;
  }
  if (!name || name === '.' || name === '..') return undefined;
  if (/^v\d+$/.test(name) && pkgs.length === 1) return undefined; // major-version suffix: the name is the element before it
  return cmd.sub === 'install' ? `/go/bin/${name}` : path.posix.join(workdirAt(model, cmd.run.stage, cmd.run.instruction), name);
}

/** Modules that only build with cgo: a binary using them needs a C library at run time. */
const CGO_MODULES = [
  'github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go', 'github.com/google/gopacket',
  'github.com/linxgnu/grocksdb', 'github.com/tecbot/gorocksdb', 'github.com/valyala/gozstd', 'github.com/datadog/zstd',
  'github.com/go-gl/glfw', 'github.com/ibm/db2', 'github.com/godror/godror', 'github.com/mattn/go-oci8',
];

/** A cgo-only module the go.mod requires, if any. */
export function cgoModuleRequired(requires: readonly { path: string }[]): string | undefined {
  return requires.map((r) => r.path).find((p) => CGO_MODULES.some((m) => p.toLowerCase() === m || p.toLowerCase().startsWith(`${m}/`)));
}

/**
 * The final stage copies a binary built in `stage` (by path, directory or
 * glob; anything from that stage when the path is unknown).
 */
export function isCopiedIntoFinal(model: DockerModel, stage: Stage, binary: string | undefined): boolean {
  if (!model.final) return false;
  return copiesFrom(model, model.final).some((c) => {
    if (!c.stage || !stageChain(c.stage).includes(stage)) return false;
    if (!binary) return true;
    return c.sources.some((src) => copySourceCovers(src, binary));
  });
}

/** Span of `go build` / `go mod download`: the go word through its subcommand. */
export function goCommandSpan(cmd: GoCommand): Span {
  const words = cmd.command.words;
  const at = words.indexOf(cmd.goWord);
  const last = words[at + cmd.sub.split(' ').length] ?? cmd.goWord;
  return { start: cmd.goWord.span.start, end: Math.max(last.span.end, cmd.goWord.span.end) };
}
