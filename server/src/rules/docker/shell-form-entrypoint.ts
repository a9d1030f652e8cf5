import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix, Span } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import { parseShell } from '../../languages/docker/model/shell';
import { DOCKER_STAGES, baseTraits, jsonForm, lastInChain, type Stage } from '../../languages/docker/model/stages';

/**
 * Flags the ENTRYPOINT and CMD that take effect in the final image when they
 * are in shell form (`CMD ./server`), including a JSON array Docker cannot
 * parse (`CMD ['./server']`), which silently becomes shell form. Error when
 * the final base has no /bin/sh (scratch, distroless): the container cannot
 * start. Skips earlier stages, CMDs overridden later, a CMD ignored because
 * the ENTRYPOINT is in shell form, and `exec ./server` (the shell replaces
 * itself) on images that have a shell.
 */
export const rule = defineDockerRule({
  id: 'docker/shell-form-entrypoint',
  meta: {
    title: 'Shell-form CMD or ENTRYPOINT in the final image',
    description: 'A shell-form CMD/ENTRYPOINT makes /bin/sh PID 1: SIGTERM never reaches the Go process, and images without a shell cannot start.',
    severity: 'warning',
    fixable: true,
    messages: {
      signals: 'shell-form {keyword}: /bin/sh is PID 1, so SIGTERM never reaches {command}',
      signalsByHand: 'shell-form {keyword}: /bin/sh is PID 1 and SIGTERM is lost; it uses {feature}, so rewrite it by hand',
      noShell: 'shell-form {keyword} needs /bin/sh, which {image} lacks: the container cannot start',
      cmdArgs: 'shell-form CMD after an exec-form ENTRYPOINT passes "/bin/sh -c ..." to it as arguments',
      notJson: '{keyword} is not a valid JSON array, so Docker runs it through /bin/sh: use double quotes',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final) return;
    const traits = baseTraits(final);
    if (/windows|nanoserver/i.test(final.image?.repository ?? '')) return;
    const entrypoint = lastInChain(final, 'ENTRYPOINT');
    const cmd = lastInChain(final, 'CMD');
    const epShell = entrypoint !== undefined && jsonForm(entrypoint) === undefined;
    const targets = [entrypoint, epShell ? undefined : cmd].filter((i): i is Instruction => i !== undefined);
    for (const ins of targets) {
      if (jsonForm(ins) !== undefined) continue;
      const args = ins.getArguments();
      if (args.length === 0) continue; // docker/syntax reports it
      const span = firstLineSpan(file, file.spanOf(ins.getRange()));
      const argsSpan = { start: file.spanOf(args[0].getRange()).start, end: file.spanOf(args[args.length - 1].getRange()).end };
      const keyword = ins.getKeyword();
      const raw = file.source.text.slice(argsSpan.start, argsSpan.end);
      const severity = traits.hasShell ? undefined : 'error';
      if (raw.trimStart().startsWith('[')) {
        const fixed = repairJson(raw);
        const fixes: Fix[] = fixed ? [{ title: `Rewrite ${keyword} as a JSON array`, safe: true, preferred: true, edits: [{ ...argsSpan, newText: fixed }] }] : [];
        ctx.report({ span, messageId: 'notJson', data: { keyword }, severity, fixes });
        continue;
      }
      const script = parseShell(file.source.text, argsSpan.start, argsSpan.end, file.ast.getEscapeCharacter());
      const commands = script.commands;
      const last = commands[commands.length - 1];
      if (traits.hasShell && last?.words[0]?.value === 'exec' && commands.every((c) => c.joinedBy === undefined || c.joinedBy === '&&' || c.joinedBy === ';')) continue;
      if (keyword === 'CMD' && entrypoint !== undefined) {
        const fixes = script.needsShell ? [] : [execForm(keyword, argsSpan, script.commands[0]?.words.map((w) => w.value) ?? [])];
        ctx.report({ span, messageId: 'cmdArgs', severity: 'error', fixes });
        continue;
      }
      if (!traits.hasShell) {
        const fixes = script.needsShell ? [] : [execForm(keyword, argsSpan, script.commands[0]?.words.map((w) => w.value) ?? [])];
        ctx.report({ span, messageId: 'noShell', data: { keyword, image: imageName(final) }, severity, fixes });
        continue;
      }
      if (script.needsShell) {
        const fixes: Fix[] = [];
        // One command with expansions only: `exec` lets the Go process replace the shell and still expands $VARS.
        if (commands.length === 1 && commands[0].assignments.length === 0 && script.shellFeature?.startsWith('a variable')) {
          fixes.push({ title: `Prefix the ${keyword} command with exec`, safe: true, preferred: true, edits: [{ start: argsSpan.start, end: argsSpan.start, newText: 'exec ' }] });
        }
        ctx.report({ span, messageId: 'signalsByHand', data: { keyword, feature: script.shellFeature ?? 'shell syntax' }, fixes });
        continue;
      }
      const words = commands[0]?.words.map((w) => w.value) ?? [];
      ctx.report({ span, messageId: 'signals', data: { keyword, command: words[0] ?? 'the command' }, fixes: [execForm(keyword, argsSpan, words)] });
    }
  },
});

function execForm(keyword: string, span: Span, allWords: string[]): Fix {
  // `exec` is a shell builtin: in exec form the program itself is PID 1.
  const words = allWords[0] === 'exec' ? allWords.slice(1) : allWords;
  return { title: `Rewrite ${keyword} in exec form`, safe: true, preferred: true, edits: [{ ...span, newText: `[${words.map((w) => JSON.stringify(w)).join(', ')}]` }] };
}

/** The span cut at the end of its first line (a continued instruction is reported on its first line). */
function firstLineSpan(file: DockerFile, span: Span): Span {
  const source = file.source;
  const lineEnd = source.lineContentEnd(source.lineOf(span.start));
  if (span.end <= lineEnd) return span;
  const head = source.text.slice(span.start, lineEnd).replace(/\s*\S?\s*$/, (tail) => (tail.trim() === file.ast.getEscapeCharacter() ? '' : tail));
  return { start: span.start, end: span.start + head.length };
}

function imageName(stage: Stage): string {
  return stage.image ? stage.image.repository.split('/').slice(-2).join('/') : stage.imageText;
}

/** `['./server', '-v']` (single quotes, the usual mistake) as a JSON array, when that is the only problem. */
function repairJson(raw: string): string | undefined {
  const items = /^\s*\[(.*)\]\s*$/s.exec(raw)?.[1];
  if (items === undefined) return undefined;
  const parts = items.split(',').map((p) => p.trim());
  const values: string[] = [];
  for (const p of parts) {
    const m = /^'([^'"\\]*)'$|^"([^"\\]*)"$|^\u201c([^"\\]*)\u201d$/.exec(p);
    if (!m) return undefined;
    values.push(m[1] ?? m[2] ?? m[3]);
  }
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

