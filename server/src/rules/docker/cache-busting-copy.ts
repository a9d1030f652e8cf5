import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import { buildContextDir, contextGoMod } from '../../workspace/build-context';
import { DOCKER_STAGES, copyOperands, flagsOf, isWholeContextCopy, lineStartAboveComments, stageChain, workdirAt } from '../../languages/docker/model/stages';
import { goCommands, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags the first copy of the whole build context (`COPY . .`, `ADD ./ /src`)
 * that a module-resolving Go command (`go build`, `go mod download`, `go test`,
 * ...) follows, when no `go mod download` (or other Go command) ran before it
 * in the stage: every source edit then re-downloads every module. Skips
 * vendored modules, modules without requirements, Go commands whose module
 * cache is a BuildKit cache mount, contexts without go.mod at their root.
 */

const MODULE_COMMANDS = new Set(['build', 'install', 'test', 'vet', 'run', 'generate', 'mod download', 'mod tidy', 'mod vendor', 'mod verify', 'list']);

export const rule = defineDockerRule({
  id: 'docker/cache-busting-copy',
  meta: {
    title: 'Whole context copied before go mod download',
    description: 'Copying all sources before downloading modules makes every code change re-download every dependency.',
    severity: 'warning',
    fixable: true,
    messages: {
      busts: '{copy} comes before go mod download: every source change re-downloads all {count} modules',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const contextDir = buildContextDir(ctx.workspace, ctx.filePath);
    const mod = contextGoMod(ctx.workspace, contextDir);
    if (!mod || mod.requires.length === 0) return;
    if (ctx.workspace.exists(path.join(contextDir, 'vendor', 'modules.txt'))) return;
    const hasGoSum = ctx.workspace.exists(path.join(contextDir, 'go.sum'));
    const commands = goCommands(model).filter((c) => MODULE_COMMANDS.has(c.sub));
    for (const stage of model.stages) {
      const wide = stage.instructions.find(isWholeContextCopy);
      if (!wide) continue;
      const line = wide.getRange().start.line;
      const chain = stageChain(stage);
      const before = commands.filter((c) => chain.includes(c.run.stage) && (c.run.stage !== stage || c.run.instruction.getRange().start.line < line));
      if (before.length > 0) continue;
      const after = commands.filter((c) => c.run.stage === stage && c.run.instruction.getRange().start.line > line);
      if (after.length === 0 || usesModuleCacheMount(after[0])) continue;
      const span = file.spanOf(wide.getRange());
      const copyText = file.source.text.slice(span.start, Math.min(span.end, file.source.lineContentEnd(file.source.lineOf(span.start))));
      ctx.report({
        span: { start: span.start, end: span.start + copyText.length },
        messageId: 'busts',
        data: { copy: copyText, count: mod.requires.length },
        fixes: () => [downloadFirst(file, wide, after[0], hasGoSum, workdirAt(model, stage, wide))],
      });
    }
  },
});

function usesModuleCacheMount(cmd: GoCommand): boolean {
  return flagsOf(cmd.run.instruction).some(
    (f) => f.name === 'mount' && f.options.some((o) => o.name === 'type' && o.value === 'cache') && f.options.some((o) => (o.name === 'target' || o.name === 'dst' || o.name === 'destination') && /pkg\/mod/.test(o.value ?? '')),
  );
}

function downloadFirst(file: DockerFile, wide: Instruction, firstGo: GoCommand, hasGoSum: boolean, workdir: string): Fix {
  const ops = copyOperands(wide);
  const dest = ops[ops.length - 1];
  const destDir = dest === '.' || dest === './' ? './' : dest.endsWith('/') ? dest : `${dest}/`;
  // Private modules: the download needs the same secret/ssh mounts as the build.
  const secrets = flagsOf(firstGo.run.instruction).filter((f) => f.name === 'mount' && f.options.some((o) => o.name === 'type' && (o.value === 'secret' || o.value === 'ssh')));
  const mountText = secrets.map((f) => `--mount=${f.value} `).join('');
  const at = lineStartAboveComments(file, file.spanOf(wide.getRange()).start);
  const indent = file.source.indentationAt(file.spanOf(wide.getRange()).start);
  const eol = file.source.eol;
  const copyMods = `${indent}COPY go.mod ${hasGoSum ? 'go.sum ' : ''}${destDir}${eol}`;
  // go mod download must run where go.mod lands.
  const target = path.posix.resolve(workdir, destDir);
  const cd = target === workdir ? '' : `cd ${destDir.replace(/\/$/, '')} && `;
  const download = `${indent}RUN ${mountText}${cd}go mod download${eol}`;
  return {
    title: `Copy go.mod${hasGoSum ? ' and go.sum' : ''} and download modules first`,
    safe: secrets.length === 0,
    preferred: true,
    edits: [{ start: at, end: at, newText: copyMods + download }],
  };
}
