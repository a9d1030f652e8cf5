import * as path from 'node:path';
import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { buildGoMod, moduleBaseName } from '../../workspace/build-context';
import { DOCKER_STAGES, baseTraits, stageChain, variableAt, workdirAt, type Stage } from '../../languages/docker/model/stages';
import { launchedProgram } from '../../languages/docker/model/entrypoint';
import { imageFiles, type ImageEntry } from '../../languages/docker/model/image-files';

/**
 * Flags an ENTRYPOINT/CMD of the final stage that does not start the Go
 * binary the build produced and copied: it names a directory the binary was
 * copied into, another name in the directory the binary went to, or (on
 * scratch and distroless static/base images, which hold no programs) a path
 * nothing copies. Only when a Go binary is known to reach the final image.
 * Skips programs given by variables, shells, paths under a copied folder of
 * unknown content, and files a RUN of the final stage may have created.
 */
export const rule = defineDockerRule({
  id: 'docker/entrypoint-not-copied',
  meta: {
    title: 'ENTRYPOINT does not name the binary the build copied',
    description: 'An ENTRYPOINT or CMD naming a directory, another file name or a path never copied: the container fails at start with "no such file or directory" or "permission denied".',
    severity: 'error',
    fixable: true,
    messages: {
      directory: '{keyword} runs {program}, a directory in this image ({binary} was copied into it): the container cannot start',
      otherName: '{keyword} runs {program}, but the build copied the binary to {binary}: the container cannot start',
      notCopied: '{keyword} runs {program}, which nothing copies into {base}: the container cannot start',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final) return;
    const launched = launchedProgram(model, final);
    if (!launched || /^(sh|bash|ash|dash|zsh)$/.test(path.posix.basename(launched.program))) return;
    const files = imageFiles(model, final, moduleBaseName(buildGoMod(ctx.workspace, ctx.filePath)));
    const binaries = files.filter((e) => e.kind === 'binary');
    if (binaries.length === 0) return;
    const empty = hasNoPrograms(final);
    const candidates = programPaths(launched.program, workdirAt(model, final), pathDirs(model, final));
    if (candidates === undefined || mentionedByRun(final, launched.program)) return;
    if (candidates.some((p) => isProvided(files, p))) return;
    const keyword = launched.instruction.getKeyword();
    const program = launched.program;
    const dir = candidates.length === 1 ? files.find((e) => (e.kind === 'dir' || e.kind === 'open-dir') && e.path === candidates[0]) : undefined;
    if (dir) {
      const inside = binaries.filter((b) => path.posix.dirname(b.path) === dir.path);
      const binary = inside.length === 1 ? inside[0] : undefined;
      if (!binary) return;
      ctx.report({ span: launched.span, messageId: 'directory', data: { keyword, program, binary: binary.path }, fixes: () => useBinary(launched, binary) });
      return;
    }
    const sameDir = binaries.filter((b) => candidates.some((c) => path.posix.dirname(c) === path.posix.dirname(b.path)));
    if (sameDir.length === 1 && candidates.length === 1) {
      const binary = sameDir[0];
      ctx.report({ span: launched.span, messageId: 'otherName', data: { keyword, program, binary: binary.path }, fixes: () => useBinary(launched, binary) });
      return;
    }
    if (!empty) return;
    const only = binaries.length === 1 ? binaries[0] : undefined;
    ctx.report({ span: launched.span, messageId: 'notCopied', data: { keyword, program, base: final.image?.text ?? 'the image' }, fixes: () => (only ? useBinary(launched, only) : []) });
  },
});

type Launched = NonNullable<ReturnType<typeof launchedProgram>>;

/** scratch, and distroless/chainguard images without a shell or interpreter, hold no programs of their own. */
function hasNoPrograms(stage: Stage): boolean {
  const traits = baseTraits(stage);
  if (traits.scratch || traits.noLibc) return true;
  const name = stage.image?.name.toLowerCase() ?? '';
  return traits.distroless && !traits.hasShell && /^(static|base|cc)(-|$)/.test(name);
}

/** Absolute paths a program word may resolve to: itself, against WORKDIR, or through PATH for a bare name. */
function programPaths(program: string, workdir: string, pathDirs: string[]): string[] | undefined {
  if (program.includes('$')) return undefined;
  if (program.includes('/')) return [path.posix.resolve(workdir, program)];
  return pathDirs.map((d) => path.posix.join(d, program));
}

const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function pathDirs(model: Parameters<typeof variableAt>[0], stage: Stage): string[] {
  const value = variableAt(model, stage, undefined, 'PATH')?.value;
  if (!value || value.includes('$')) return DEFAULT_PATH;
  return value.split(':').filter((d) => d.startsWith('/'));
}

/** A RUN of the final chain that names the program (`ln -s`, `mv`, `chmod`) may have made it. */
function mentionedByRun(stage: Stage, program: string): boolean {
  const name = path.posix.basename(program);
  return stageChain(stage).some((s) => s.instructions.some((i) => i.getKeyword() === 'RUN' && i.getTextContent().includes(name)));
}

function isProvided(entries: ImageEntry[], p: string): boolean {
  return entries.some((e) => {
    if (e.kind === 'binary') return e.path === p;
    if (e.kind === 'dir') return false;
    return e.path === p ? e.kind === 'unknown' : p.startsWith(`${e.path.replace(/\/$/, '')}/`);
  });
}

function useBinary(launched: Launched, binary: ImageEntry): Fix[] {
  // The build's own binary is the likely intent, but which one to start is the author's call.
  return [{ title: `Run ${binary.path}`, safe: false, preferred: true, edits: [{ ...launched.span, newText: binary.path }] }];
}
