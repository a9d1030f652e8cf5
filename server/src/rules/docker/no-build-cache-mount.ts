import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import { DOCKER_STAGES, baseTraits, flagsOf, instructionsBefore, stageChain, variableAt, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { envForGoCommand, goCommandSpan, goCommands, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags (info), in files that opt into BuildKit (a `# syntax=` line,
 * `--mount` flags or heredocs), a RUN of `go build`/`test`/`install`/
 * `mod download`... without a cache mount on the Go build cache and/or the
 * module cache. Targets honour GOCACHE/GOMODCACHE/GOPATH. Skips non-golang
 * build images (cache paths unknown), RUNs after a non-root USER, vendored
 * builds (no module cache needed) and files without BuildKit features.
 */

const COMPILES = new Set(['build', 'install', 'test', 'vet', 'run']);
const RESOLVES = new Set([...COMPILES, 'mod download', 'mod tidy', 'mod vendor', 'mod verify', 'list', 'get']);

export const rule = defineDockerRule({
  id: 'docker/no-build-cache-mount',
  meta: {
    title: 'Go build without BuildKit cache mounts',
    description: 'In a BuildKit Dockerfile, Go commands without cache mounts recompile and re-download everything on each change.',
    severity: 'info',
    fixable: true,
    messages: {
      missing: '{command} has no cache mount for {what}: every rebuild starts cold',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    if (!model.usesBuildKit) return;
    const byRun = new Map<Instruction, GoCommand[]>();
    for (const c of goCommands(model)) {
      if (!RESOLVES.has(c.sub)) continue;
      const list = byRun.get(c.run.instruction) ?? [];
      list.push(c);
      byRun.set(c.run.instruction, list);
    }
    for (const [ins, cmds] of byRun) {
      const stage = cmds[0].run.stage;
      if (!baseTraits(stage).golang || runsAsNonRoot(stage, ins)) continue;
      const targets = cacheTargets(ins);
      const vendored = cmds.every((c) => isVendored(model, c));
      const wants: { what: string; target: string }[] = [];
      const buildCache = envForGoCommand(model, cmds[0], 'GOCACHE')?.value ?? '/root/.cache/go-build';
      const gopath = variableAt(model, stage, ins, 'GOPATH')?.value ?? '/go';
      const modCache = envForGoCommand(model, cmds[0], 'GOMODCACHE')?.value ?? `${gopath.replace(/\/$/, '')}/pkg/mod`;
      if (!vendored && !targets.some((t) => t === modCache || modCache.startsWith(`${t}/`))) wants.push({ what: 'the module cache', target: modCache });
      if (cmds.some((c) => COMPILES.has(c.sub)) && !targets.some((t) => t === buildCache || buildCache.startsWith(`${t}/`))) wants.push({ what: 'the build cache', target: buildCache });
      if (wants.length === 0 || wants.some((w) => w.target.includes('$'))) continue;
      const first = cmds[0];
      const span = goCommandSpan(first);
      const at = file.spanOf(ins.getInstructionRange()).end;
      const mounts = wants.map((w) => `--mount=type=cache,target=${w.target}`).join(' ');
      ctx.report({
        span,
        messageId: 'missing',
        data: { command: `go ${first.sub}`, what: wants.map((w) => w.what).join(' and ') },
        // A cache mount moves modules out of the layer: a later RUN without the mount downloads them again.
        fixes: [{ title: 'Add BuildKit cache mounts', safe: false, preferred: true, edits: [{ start: at, end: at, newText: ` ${mounts}` }] }],
      });
    }
  },
});

function cacheTargets(ins: Instruction): string[] {
  return flagsOf(ins)
    .filter((f) => f.name === 'mount' && f.options.some((o) => o.name === 'type' && o.value === 'cache'))
    .map((f) => f.options.find((o) => /^(target|dst|destination)$/.test(o.name))?.value ?? '')
    .filter((t) => t !== '')
    .map((t) => t.replace(/\/+$/, ''));
}

function isVendored(model: DockerModel, cmd: GoCommand): boolean {
  const mod = cmd.flags.get('mod');
  if (mod && mod !== true && mod.value === 'vendor') return true;
  return /-mod=vendor/.test(envForGoCommand(model, cmd, 'GOFLAGS')?.value ?? '');
}

/** A non-root USER before the RUN moves HOME, so /root/.cache is not the cache. */
function runsAsNonRoot(stage: Stage, ins: Instruction): boolean {
  for (const s of stageChain(stage)) {
    const users = (s === stage ? instructionsBefore(s, ins) : s.instructions).filter((i) => i.getKeyword() === 'USER');
    const last = users[users.length - 1];
    if (last) return !/^(root|0)(:|$)/.test(last.getArgumentsContent()?.trim() ?? '');
  }
  return false;
}
