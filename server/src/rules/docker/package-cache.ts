import { defineDockerRule } from '../../engine/rule';
import type { Fix, Span } from '../../core/finding';
import { commandName, type ShellWord, type SimpleCommand } from '../../languages/docker/model/shell';
import { DOCKER_STAGES, flagsOf, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { preambleScripts, runScripts, type LooseRunScript } from '../../languages/docker/model/run';

/**
 * Flags package installs that leave caches in the shipped image, in the
 * final stage and the stages it is built FROM (a build stage's layers are
 * not shipped), and in RUNs before any FROM (a snippet): `apk add` without
 * `--no-cache`; `apt-get install` without `--no-install-recommends`, or
 * without removing /var/lib/apt/lists in the same RUN. In every stage:
 * `apt-get install` without `-y` (the build stops at the prompt). With
 * `requirePackagePins`, packages without a version (info). Skips RUNs whose
 * cache directories are BuildKit cache or tmpfs mounts, caches removed later
 * in the same RUN (after `sudo`, `then`, `{`), exec-form RUNs.
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
      aptRecommends: '{command} install without --no-install-recommends adds recommended packages to the image',
      aptLists: '{command} install leaves /var/lib/apt/lists (tens of MB) in the layer: remove it in the same RUN',
      aptYes: '{command} install without -y stops at its confirmation prompt: the build fails when dependencies come in',
      unpinned: '{command} installs {packages} without a version: rebuilds get whatever the mirror has that day',
    },
    options: {
      requirePackagePins: {
        type: 'boolean',
        description: 'Also report (as info) OS packages installed without a version (`curl=8.5.0-2`, `curl~8`). Off by default: pins break when the distribution drops the version, which on real images is noisier than what they prevent.',
        default: false,
      },
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const shipped = new Set<Stage>();
    for (let s = model.final; s; s = s.parent) shipped.add(s);
    const all: { run: LooseRunScript; shipped: boolean }[] = [
      ...preambleScripts(model).map((run) => ({ run, shipped: true })),
      ...runScripts(model).map((run) => ({ run, shipped: shipped.has(run.stage) })),
    ].filter((r) => !r.run.isExecForm);
    const shippedScripts = all.filter((r) => r.shipped).map((r) => r.run);
    for (const { run, shipped: isShipped } of all) {
      const commands = run.script.commands;
      commands.forEach((cmd, i) => {
        const head = commandName(cmd);
        if (!head) return;
        const args = cmd.words.slice(head.at + 1);
        const later = commands.slice(i + 1);
        if (head.name === 'apk') {
          const add = args.find((w) => w.value === 'add');
          if (add && isShipped) checkApk(ctx, run, cmd, add, args, later);
          return;
        }
        const tool = aptTool(head.name);
        const install = args.find((w) => w.value === 'install');
        if (!tool || !install) return;
        const span = spanOf(cmd, install);
        if (!aptAssumesYes(args) && !pipedFromYes(commands, i)) {
          // After the command word (`apt-get -y install`): the other fixes insert after `install`.
          ctx.report({ span, messageId: 'aptYes', data: { command: head.name }, fixes: [insertAfter(cmd.words[head.at], ' -y', 'Add -y', true)] });
        }
        if (!isShipped) return;
        if (!aptSkipsRecommends(tool, args)) {
          // Recommended packages are sometimes needed (curl recommends ca-certificates): not safe.
          const flag = tool === 'aptitude' ? ' --without-recommends' : ' --no-install-recommends';
          ctx.report({ span, messageId: 'aptRecommends', data: { command: head.name }, fixes: [insertAfter(install, flag, `Add ${flag.trim()}`, false)] });
        }
        if (!hasMount(run, /^\/var\/lib\/apt(\/lists)?\/?$/) && !removes(later, /^\/var\/lib\/apt(\/lists)?(\/\*?)?$/)) {
          ctx.report({ span, messageId: 'aptLists', data: { command: head.name }, fixes: run.isHeredoc ? [] : [removeLists(model, run, shippedScripts)] });
        }
        reportPins(ctx, cmd, install, tool, args);
      });
    }
  },
});

type Ctx = Parameters<typeof rule.check>[0];

function aptTool(name: string): PackageTool | undefined {
  return name === 'apt-get' || name === 'apt' || name === 'aptitude' ? name : undefined;
}

function checkApk(ctx: Ctx, run: LooseRunScript, cmd: SimpleCommand, add: ShellWord, args: ShellWord[], later: SimpleCommand[]): void {
  if (!args.some((w) => w.value === '--no-cache') && !hasMount(run, /^(\/var\/cache\/apk|\/etc\/apk\/cache)\/?$/) && !cleansApk(later)) {
    ctx.report({ span: spanOf(cmd, add), messageId: 'apkCache', fixes: [insertAfter(add, ' --no-cache', 'Add --no-cache', true)] });
  }
  reportPins(ctx, cmd, add, 'apk', args);
}

function reportPins(ctx: Ctx, cmd: SimpleCommand, sub: ShellWord, tool: PackageTool, args: ShellWord[]): void {
  if (!ctx.options.requirePackagePins) return;
  const names = unpinnedPackages(tool, args);
  if (names.length === 0) return;
  const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  ctx.report({ span: spanOf(cmd, sub), messageId: 'unpinned', severity: 'info', data: { command: commandName(cmd)?.name ?? tool, packages: shown } });
}

function cleansApk(later: SimpleCommand[]): boolean {
  if (removes(later, /^\/var\/cache\/apk(\/\*?)?$/)) return true;
  return later.some((c) => {
    const head = commandName(c);
    const rest = c.words.slice((head?.at ?? 0) + 1).map((w) => w.value);
    return head?.name === 'apk' && rest.includes('cache') && rest.includes('clean');
  });
}

/** `yes | apt-get install ...` answers the prompt. */
function pipedFromYes(commands: SimpleCommand[], i: number): boolean {
  return commands[i].joinedBy === '|' && i > 0 && commandName(commands[i - 1])?.name === 'yes';
}

/** From the command word to the subcommand: `apt-get install`, `apk add`. */
function spanOf(cmd: SimpleCommand, sub: ShellWord): Span {
  const head = commandName(cmd);
  const start = head ? cmd.words[head.at].span.start : cmd.span.start;
  return { start, end: sub.span.end };
}

function insertAfter(word: ShellWord, text: string, title: string, safe: boolean): Fix {
  return { title, safe, preferred: true, edits: [{ start: word.span.end, end: word.span.end, newText: text }] };
}

/** A BuildKit cache or tmpfs mount on a directory the pattern matches: its content never reaches the layer. */
function hasMount(run: LooseRunScript, target: RegExp): boolean {
  return flagsOf(run.instruction).some(
    (f) => f.name === 'mount' && f.options.some((o) => o.name === 'type' && (o.value === 'cache' || o.value === 'tmpfs')) &&
      f.options.some((o) => /^(target|dst|destination)$/.test(o.name) && target.test(o.value ?? '')),
  );
}

/** A later `rm` (also `sudo rm`, `then rm`) or `find ... -delete` of a path the pattern matches. */
function removes(later: SimpleCommand[], path: RegExp): boolean {
  return later.some((c) => {
    const head = commandName(c);
    if (!head) return false;
    const rest = c.words.slice(head.at + 1);
    if (head.name === 'rm') return rest.some((w) => path.test(w.value));
    return head.name === 'find' && path.test(rest[0]?.value ?? '') && rest.some((w) => w.value === '-delete');
  });
}

function removeLists(model: DockerModel, run: LooseRunScript, shipped: LooseRunScript[]): Fix {
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
  const isApt = (c: SimpleCommand, sub: string): boolean => aptTool(commandName(c)?.name ?? '') !== undefined && c.words.some((w) => w.value === sub);
  const laterInstall = shipped.some(
    (r) => r.instruction.getRange().start.line > line && r.script.commands.some((c) => isApt(c, 'install')) && !r.script.commands.some((c) => isApt(c, 'update')),
  );
  return { title: 'Remove /var/lib/apt/lists in the same RUN', safe: !laterInstall, preferred: true, edits: [{ start: end, end, newText }] };
}

type PackageTool = 'apk' | 'apt-get' | 'apt' | 'aptitude';

/** `-y`, `--yes`, `--assume-yes`, short flags holding `y` (`-qy`), or quiet level 2 (`-qq`, `-q=2`, `-q -q`), which implies yes. */
function aptAssumesYes(args: ShellWord[]): boolean {
  let quiet = 0;
  for (const { value: w } of args) {
    if (w === '--yes' || w === '--assume-yes' || w === '--force-yes' || /^-[a-z]*y[a-z]*$/.test(w)) return true;
    if (/^APT::Get::Assume-Yes=(true|1|yes)$/i.test(w)) return true;
    if (w === '-q=2' || w === '--quiet=2') return true;
    if (/^-q+$/.test(w)) quiet += w.length - 1;
    else if (w === '--quiet') quiet++;
  }
  return quiet >= 2;
}

function aptSkipsRecommends(tool: PackageTool, args: ShellWord[]): boolean {
  if (tool === 'aptitude') return args.some((w) => w.value === '--without-recommends' || w.value === '-R');
  return args.some((w) => w.value === '--no-install-recommends' || /APT::Install-Recommends=(false|0|no)/i.test(w.value));
}

/** Flags whose next word is their value, not a package. */
const VALUE_FLAGS: Readonly<Record<PackageTool, readonly string[]>> = {
  apk: ['-t', '--virtual', '-X', '--repository', '--repositories-file', '-p', '--root', '--arch', '--cache-dir', '--keys-dir'],
  'apt-get': ['-o', '--option', '-t', '--target-release', '-c', '--config-file', '-a', '--host-architecture'],
  apt: ['-o', '--option', '-t', '--target-release', '-c', '--config-file', '-a', '--host-architecture'],
  aptitude: ['-o', '-t', '--target-release', '-F', '--display-format', '-w', '--width'],
};

/** Package operands of an install without a version (`curl`, not `curl=8.5.0-2`, `curl~8`, `./x.deb` or `$PKGS`). */
function unpinnedPackages(tool: PackageTool, args: ShellWord[]): string[] {
  const sub = tool === 'apk' ? 'add' : 'install';
  const at = args.findIndex((w) => w.value === sub);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (VALUE_FLAGS[tool].includes(w.value)) {
      i++;
      continue;
    }
    if (i <= at || w.value.startsWith('-') || w.expands || w.globs) continue;
    if (/[=~<>]/.test(w.value) || w.value.includes('/') || w.value.endsWith('.deb') || w.value.endsWith('.apk')) continue;
    out.push(w.value);
  }
  return out;
}
