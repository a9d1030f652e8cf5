import { Keyword, type Env, type Flag, type From, type Instruction, type Run } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';

/**
 * Flags what the builder rejects before running anything: unknown
 * instructions (often a line that lost its `\` continuation), instructions
 * without arguments, unknown or empty flags, bad `--mount` types, stray words
 * after `FROM image AS name`, instructions before the first FROM, duplicate
 * stage names, ENV without a value, unclosed heredocs. Skips everything the
 * builder accepts, even when unusual (lower-case keywords, legacy `ENV a b`).
 */

const KEYWORDS = new Set<string>(Object.values(Keyword));

/** Flags each instruction accepts (Dockerfile reference, BuildKit 1.x labs excluded); true = value required. */
const FLAGS: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {
  FROM: { platform: true },
  RUN: { mount: true, network: true, security: true },
  COPY: { from: true, chown: true, chmod: true, link: false, parents: false, exclude: true },
  ADD: { chown: true, chmod: true, link: false, checksum: true, 'keep-git-dir': false, exclude: true, unpack: false },
  HEALTHCHECK: { interval: true, timeout: true, 'start-period': true, 'start-interval': true, retries: true },
};

const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);

/** Instructions that may stand without arguments: none, except `HEALTHCHECK NONE` style handled by the argument check. */
const SHELL_CONTINUATIONS = /^(&&|\|\||\||;|-)/;

export const rule = defineDockerRule({
  id: 'docker/syntax',
  meta: {
    title: 'Dockerfile syntax error',
    description: 'Reports what the Docker builder rejects before it runs a step: unknown instructions, missing arguments, bad flags.',
    severity: 'error',
    fixable: true,
    messages: {
      unknown: 'unknown instruction "{word}": the build fails on this line',
      lostContinuation: '"{word}" starts a new instruction: the line above lacks a "{escape}" continuation and the build fails',
      noArgs: '{keyword} has no arguments: the build fails on this line',
      badFlag: 'unknown flag --{flag} for {keyword}: the build fails on this line',
      flagNoValue: '--{flag} needs a value: the build fails on this line',
      badMount: '--mount type "{type}" is not bind, cache, tmpfs, secret or ssh: the build fails',
      fromExtra: 'extra word "{word}" after FROM: it takes "image [AS name]" and the build fails',
      fromNoName: '"{word}" is not followed by a stage name: the build fails',
      beforeFrom: '{keyword} before the first FROM: only ARG may come first, the build fails',
      duplicateStage: 'stage name "{name}" is already used by an earlier stage: the build fails',
      envNoValue: 'no value for ENV {name}: the build fails on this line',
      unclosedHeredoc: 'heredoc <<{name} is never closed: the rest of the file becomes its body',
    },
  },
  check(ctx, file) {
    const ast = file.ast;
    const instructions = ast.getInstructions();
    const firstFrom = ast.getFROMs()[0];
    const escape = ast.getEscapeCharacter();
    const stageNames = new Set<string>();
    for (const ins of instructions) {
      const keyword = ins.getKeyword();
      const keywordSpan = file.spanOf(ins.getInstructionRange());
      if (!KEYWORDS.has(keyword)) {
        reportUnknown(ctx, file, ins, escape);
        continue;
      }
      if (ins.getArguments().length === 0 && !hasHeredoc(ins)) {
        ctx.report({ span: keywordSpan, messageId: 'noArgs', data: { keyword } });
        continue;
      }
      if ((!firstFrom || ins.getRange().start.line < firstFrom.getRange().start.line) && keyword !== 'ARG' && keyword !== 'FROM') {
        ctx.report({ span: keywordSpan, messageId: 'beforeFrom', data: { keyword } });
      }
      checkFlags(ctx, file, ins, keyword);
      if (keyword === 'FROM') checkFrom(ctx, file, ins as From, stageNames);
      if (keyword === 'ENV') checkEnv(ctx, file, ins as Env);
      if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
        for (const h of (ins as Run).getHeredocs?.() ?? []) {
          if (h.getDelimiterRange() === null) ctx.report({ span: file.spanOf(h.getStartRange()), messageId: 'unclosedHeredoc', data: { name: h.getName() } });
        }
      }
    }
  },
});

type Ctx = Parameters<typeof rule.check>[0];

function hasHeredoc(ins: Instruction): boolean {
  return ((ins as Run).getHeredocs?.() ?? []).length > 0;
}

function reportUnknown(ctx: Ctx, file: DockerFile, ins: Instruction, escape: string): void {
  const word = ins.getInstruction();
  const span = file.spanOf(ins.getInstructionRange());
  const source = file.source;
  const line = source.lineOf(span.start);
  const previousLine = line > 0 ? previousCodeLine(file, line) : undefined;
  if (previousLine !== undefined && SHELL_CONTINUATIONS.test(word)) {
    const end = source.lineContentEnd(previousLine);
    const fix: Fix = { title: `Add a "${escape}" continuation to the line above`, safe: false, preferred: true, edits: [{ start: end, end, newText: ` ${escape}` }] };
    ctx.report({ span, messageId: 'lostContinuation', data: { word, escape }, fixes: [fix] });
    return;
  }
  const upper = word.toUpperCase();
  const near = [...KEYWORDS].filter((k) => isOneEditApart(upper, k));
  const fixes: Fix[] = near.length === 1 ? [{ title: `Change to ${near[0]}`, safe: false, preferred: true, edits: [{ ...span, newText: near[0] }] }] : [];
  ctx.report({ span, messageId: 'unknown', data: { word }, fixes });
}

/** The nearest line above `line` that is not blank or a comment. */
function previousCodeLine(file: DockerFile, line: number): number | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const t = file.source.lineText(l).trim();
    if (t !== '' && !t.startsWith('#')) return l;
  }
  return undefined;
}

function checkFlags(ctx: Ctx, file: DockerFile, ins: Instruction, keyword: string): void {
  const getFlags = (ins as Partial<Pick<From, 'getFlags'>>).getFlags;
  if (typeof getFlags !== 'function') return;
  const allowed = FLAGS[keyword] ?? {};
  for (const flag of getFlags.call(ins) as Flag[]) {
    const name = flag.getName();
    const span = file.spanOf(flag.getRange());
    if (!(name in allowed)) {
      ctx.report({ span, messageId: 'badFlag', data: { flag: name, keyword } });
      continue;
    }
    if (allowed[name] && !flag.getValue()) {
      ctx.report({ span, messageId: 'flagNoValue', data: { flag: name } });
      continue;
    }
    if (keyword === 'RUN' && name === 'mount') {
      const type = flag.getOption('type')?.getValue() ?? 'bind';
      if (!MOUNT_TYPES.has(type)) {
        const option = flag.getOption('type');
        ctx.report({ span: option ? file.spanOf(option.getRange()) : span, messageId: 'badMount', data: { type } });
      }
    }
  }
}

function checkFrom(ctx: Ctx, file: DockerFile, from: From, stageNames: Set<string>): void {
  const args = from.getArguments();
  if (args.length === 2 && args[1].getValue().toUpperCase() === 'AS') {
    ctx.report({ span: file.spanOf(args[1].getRange()), messageId: 'fromNoName', data: { word: args[1].getValue() } });
    return;
  }
  const extraAt = args.length >= 3 && args[1].getValue().toUpperCase() === 'AS' ? 3 : 1;
  if (args.length > extraAt) {
    ctx.report({ span: file.spanOf(args[extraAt].getRange()), messageId: 'fromExtra', data: { word: args[extraAt].getValue() } });
    return;
  }
  const name = from.getBuildStage();
  const nameRange = from.getBuildStageRange();
  if (name && nameRange) {
    if (stageNames.has(name.toLowerCase())) ctx.report({ span: file.spanOf(nameRange), messageId: 'duplicateStage', data: { name } });
    stageNames.add(name.toLowerCase());
  }
}

function checkEnv(ctx: Ctx, file: DockerFile, env: Env): void {
  const props = env.getProperties();
  // `ENV NAME value with spaces` (legacy form) is one property with a value.
  for (const p of props) {
    if (p.getValue() === null) ctx.report({ span: file.spanOf(p.getNameRange()), messageId: 'envNoValue', data: { name: p.getName() } });
  }
}

function isOneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diffs = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0);
    if (diffs.length === 1) return true;
    // A swap of two neighbours (FORM for FROM).
    return diffs.length === 2 && diffs[1] === diffs[0] + 1 && a[diffs[0]] === b[diffs[1]] && a[diffs[1]] === b[diffs[0]];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}
