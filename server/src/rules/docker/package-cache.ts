import { defineDockerRule } from '../../engine/rule';
import type { Fix, Span } from '../../core/finding';
import { commandName, type ShellWord, type SimpleCommand } from '../../languages/docker/model/shell';
import { DOCKER_STAGES, flagsOf, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { runScripts, type RunScript } from '../../languages/docker/model/run';

/**
 * Flags package installs that leave caches in the shipped image, in the
 * final stage and the stages it is built FROM (a build stage's layers are
 * not shipped): `apk add` without `--no-cache`; `apt-get install` without
 * `--no-install-recommends`, or without removing /var/lib/apt/lists in the
 * same RUN. Skips RUNs whose cache directories are BuildKit cache mounts and
 * caches removed later in the same RUN.
 */
export const rule = defineDockerRule({
  id: 'docker/package-cache',
  meta: {
    title: 'Package manager cache left in the image',
    description: 'apk and apt leave package indexes and recommended packages in the layer: megabytes shipped on every pull.',
    severity: 'warning',
    fixable: true,
    messages: {
      apkCache: 'apk add without --no-cache leaves the package index in the image layer',
      aptRecommends: 'apt-get install without --no-install-recommends adds recommended packages to the image',
      aptLists: 'apt-get install leaves /var/lib/apt/lists (tens of MB) in the layer: remove it in the same RUN',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const shipped = new Set<Stage>();
    for (let s = model.final; s; s = s.parent) shipped.add(s);
    const scripts = runScripts(model).filter((r) => shipped.has(r.stage) && !r.isExecForm);
    for (const run of scripts) {
      const commands = run.script.commands;
      commands.forEach((cmd, i) => {
        const head = commandName(cmd);
        if (!head) return;
        const args = cmd.words.slice(head.at + 1);
        if (head.name === 'apk' && args.some((w) => w.value === 'add')) checkApk(ctx, run, cmd, args, commands.slice(i + 1));
        if ((head.name === 'apt-get' || head.name === 'apt') && args.some((w) => w.value === 'install')) checkApt(ctx, model, run, cmd, args, commands.slice(i + 1), scripts);
      });
    }
  },
});

type Ctx = Parameters<typeof rule.check>[0];

function checkApk(ctx: Ctx, run: RunScript, cmd: SimpleCommand, args: ShellWord[], later: SimpleCommand[]): void {
  if (args.some((w) => w.value === '--no-cache')) return;
  if (hasCacheMount(run, /\/var\/cache\/apk|\/etc\/apk\/cache/)) return;
  if (removes(later, /\/var\/cache\/apk/) || later.some((c) => c.words[0]?.value === 'apk' && c.words.some((w) => w.value === 'cache') && c.words.some((w) => w.value === 'clean'))) return;
  const add = args.find((w) => w.value === 'add') as ShellWord; // present: checked by the caller
  ctx.report({
    span: spanOf(cmd, add),
    messageId: 'apkCache',
    fixes: [{ title: 'Add --no-cache', safe: true, preferred: true, edits: [{ start: add.span.end, end: add.span.end, newText: ' --no-cache' }] }],
  });
}

function checkApt(ctx: Ctx, model: DockerModel, run: RunScript, cmd: SimpleCommand, args: ShellWord[], later: SimpleCommand[], scripts: RunScript[]): void {
  const install = args.find((w) => w.value === 'install') as ShellWord; // present: checked by the caller
  const span = spanOf(cmd, install);
  const noRecommends = args.some((w) => w.value === '--no-install-recommends' || /APT::Install-Recommends=(false|0)/i.test(w.value));
  if (!noRecommends) {
    ctx.report({
      span,
      messageId: 'aptRecommends',
      // Recommended packages are sometimes needed (curl recommends ca-certificates): not safe.
      fixes: [{ title: 'Add --no-install-recommends', safe: false, preferred: true, edits: [{ start: install.span.end, end: install.span.end, newText: ' --no-install-recommends' }] }],
    });
  }
  if (hasCacheMount(run, /\/var\/lib\/apt|\/var\/cache\/apt/) || removes(later, /\/var\/lib\/apt\/lists/)) return;
  ctx.report({ span, messageId: 'aptLists', fixes: run.isHeredoc ? [] : [removeLists(model, run, scripts)] });
}

/** From the command word to the subcommand: `apt-get install`, `apk add`. */
function spanOf(cmd: SimpleCommand, sub: ShellWord): Span {
  const head = commandName(cmd);
  const start = head ? cmd.words[head.at].span.start : cmd.span.start;
  return { start, end: sub.span.end };
}

function hasCacheMount(run: RunScript, target: RegExp): boolean {
  return flagsOf(run.instruction).some(
    (f) => f.name === 'mount' && f.options.some((o) => o.name === 'type' && o.value === 'cache') && f.options.some((o) => /^(target|dst|destination)$/.test(o.name) && target.test(o.value ?? '')),
  );
}

function removes(later: SimpleCommand[], path: RegExp): boolean {
  return later.some((c) => c.words[0]?.value === 'rm' && c.words.some((w) => path.test(w.value)));
}

function removeLists(model: DockerModel, run: RunScript, scripts: RunScript[]): Fix {
  const file = model.file;
  const text = file.source.text;
  const end = run.span.end;
  const multiLine = text.slice(run.span.start, end).includes('\n');
  const lastLine = file.source.lineOf(end);
  const indent = file.source.indentationAt(file.source.lineStart(lastLine));
  const escape = file.ast.getEscapeCharacter();
  const newText = multiLine ? ` ${escape}${file.source.eol}${indent}&& rm -rf /var/lib/apt/lists/*` : ' && rm -rf /var/lib/apt/lists/*';
  // A later RUN that installs without `apt-get update` needs the lists: then the fix would break it.
  const line = run.instruction.getRange().start.line;
  const laterInstall = scripts.some(
    (r) => r.instruction.getRange().start.line > line &&
      r.script.commands.some((c) => /^apt(-get)?$/.test(commandName(c)?.name ?? '') && c.words.some((w) => w.value === 'install')) &&
      !r.script.commands.some((c) => /^apt(-get)?$/.test(commandName(c)?.name ?? '') && c.words.some((w) => w.value === 'update')),
  );
  return { title: 'Remove /var/lib/apt/lists in the same RUN', safe: !laterInstall, preferred: true, edits: [{ start: end, end, newText }] };
}
