import { defineDockerRule } from '../../engine/rule';
import type { Edit, Fix } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import type { ShellWord } from '../../languages/docker/model/shell';
import { buildGoMod, moduleBaseName } from '../../workspace/build-context';
import { DOCKER_STAGES, stageChain } from '../../languages/docker/model/stages';
import { builtBinaryPath, envForGoCommand, isCompileOnly, goCommandSpan, goCommands, isCopiedIntoFinal, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags (info) a release `go build` — one whose binary ships in the final
 * image — without `-trimpath` or without `-s -w` in `-ldflags`. Skips debug
 * builds (`-gcflags` with `-N`, `-race`), flags given through `GOFLAGS`, Go
 * commands other than build/install, and builds that are not shipped.
 */
export const rule = defineDockerRule({
  id: 'docker/go-build-flags',
  meta: {
    title: 'Release build without -trimpath and -s -w',
    description: 'A shipped go build without -trimpath and -ldflags="-s -w" embeds build paths and debug tables (~25% of the binary).',
    severity: 'info',
    fixable: true,
    messages: {
      missing: '{command} without {flags}: the binary embeds {cost}',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final) return;
    const finalChain = stageChain(final);
    const mod = buildGoMod(ctx.workspace, ctx.filePath);
    const moduleName = moduleBaseName(mod);
    for (const cmd of goCommands(model)) {
      if ((cmd.sub !== 'build' && cmd.sub !== 'install') || isCompileOnly(cmd)) continue;
      if (cmd.sub === 'install' && cmd.packages.some((p) => p.value.includes('@'))) continue; // a tool, not the service
      const shipped = finalChain.includes(cmd.run.stage) || isCopiedIntoFinal(model, cmd.run.stage, builtBinaryPath(model, cmd, moduleName));
      if (!shipped || isDebugBuild(cmd)) continue;
      const goflags = envForGoCommand(model, cmd, 'GOFLAGS')?.value ?? '';
      const trimpath = cmd.flags.has('trimpath') || /-trimpath/.test(goflags);
      const ld = cmd.flags.get('ldflags');
      const ldValue = ld && ld !== true ? ld.value : '';
      // -ldflags from a variable may well hold -s -w: given the benefit of the doubt.
      const stripped = hasStrip(ldValue) || ldValue.split(/\s+/).some((w) => /^\$\{?[A-Za-z_]\w*\}?$/.test(w));
      if (trimpath && stripped) continue;
      const missing = [trimpath ? undefined : '-trimpath', stripped ? undefined : '-ldflags="-s -w"'].filter((x): x is string => x !== undefined);
      const words = cmd.command.words;
      const sub = words[words.indexOf(cmd.goWord) + 1];
      ctx.report({
        span: goCommandSpan(cmd),
        messageId: 'missing',
        data: { command: `go ${cmd.sub}`, flags: missing.join(' and '), cost: cost(trimpath, stripped) },
        fixes: () => (cmd.run.isExecForm || !sub ? [] : [addFlags(file, cmd, sub, trimpath, stripped, ld)]),
      });
    }
  },
});

function cost(trimpath: boolean, stripped: boolean): string {
  if (!trimpath && !stripped) return 'build paths and DWARF tables (~25% larger)';
  return trimpath ? 'DWARF and symbol tables (~25% larger)' : 'the build machine\'s paths';
}

function isDebugBuild(cmd: GoCommand): boolean {
  const gc = cmd.flags.get('gcflags');
  return (gc !== undefined && gc !== true && /-N\b/.test(gc.value)) || cmd.flags.has('race') || cmd.flags.has('cover');
}

function hasStrip(ldflags: string): boolean {
  const words = ldflags.split(/\s+/);
  return words.includes('-s') && words.includes('-w');
}

function addFlags(file: DockerFile, cmd: GoCommand, sub: ShellWord, trimpath: boolean, stripped: boolean, ld: ShellWord | true | undefined): Fix {
  const edits: Edit[] = [];
  let inserted = '';
  if (!trimpath) inserted += ' -trimpath';
  if (!stripped) {
    const valueEdit = ld && ld !== true ? addToLdflags(file, cmd, ld) : undefined;
    if (valueEdit) edits.push(valueEdit);
    else if (!ld) inserted += ' -ldflags="-s -w"';
  }
  if (inserted) edits.unshift({ start: sub.span.end, end: sub.span.end, newText: inserted });
  const title = `Add ${[!trimpath ? '-trimpath' : '', !stripped ? '-s -w' : ''].filter(Boolean).join(' and ')}`;
  // Stripping DWARF breaks debuggers and trimpath changes file paths in stack traces: a choice, not a repair.
  return { title, safe: false, preferred: true, edits };
}

/** `-ldflags "-X main.v=1"` → `-ldflags "-s -w -X main.v=1"`, in the value as written. */
function addToLdflags(file: DockerFile, cmd: GoCommand, ld: ShellWord): Edit | undefined {
  const raw = file.source.text.slice(ld.span.start, ld.span.end);
  const flagWord = cmd.flagWords.get('ldflags');
  // `-ldflags=...` is one word: the value starts after `=`.
  const valueAt = flagWord && flagWord.span.start === ld.span.start ? raw.indexOf('=') + 1 : 0;
  const quote = raw[valueAt];
  const existing = ld.value.split(/\s+/).filter(Boolean);
  const add = ['-s', '-w'].filter((f) => !existing.includes(f)).join(' ');
  if (quote === '"' || quote === "'") {
    const at = ld.span.start + valueAt + 1;
    return { start: at, end: at, newText: `${add} ` };
  }
  if (/[\s"'\\$]/.test(ld.value)) return undefined;
  const start = ld.span.start + valueAt;
  return { start, end: ld.span.end, newText: `"${add} ${ld.value}"` };
}
