import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import { DOCKER_STAGES, baseTraits, lastInChain, lineStartAboveComments, type Stage } from '../../languages/docker/model/stages';

/**
 * Flags a final image that runs as root: its effective USER (the last of the
 * final stage or the stages it builds on) is `root`/`0`, or there is none and
 * the base image runs as root. Skips bases that default to a non-root user
 * (distroless `:nonroot`, Chainguard), users given by variables, and earlier
 * stages. A base Shipshape does not know may set its own USER: info only.
 */
export const rule = defineDockerRule({
  id: 'docker/runs-as-root',
  meta: {
    title: 'Final image runs as root',
    description: 'The container runs as root: a process compromise or container breakout starts with root privileges.',
    severity: 'warning',
    fixable: true,
    messages: {
      noUser: 'no USER and {image} runs as root: a compromise of the Go process gets root in the container',
      rootUser: 'final image runs as root (USER {user}): a compromise of the Go process gets root',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final) return;
    const traits = baseTraits(final);
    const userIns = lastInChain(final, 'USER');
    const suggestion = traits.musl || traits.debian ? 'nobody' : '65532:65532';
    if (userIns) {
      const user = userIns.getArgumentsContent()?.trim() ?? '';
      if (!isRoot(user)) return;
      const args = userIns.getArguments();
      if (args.length === 0) return;
      const argSpan = { start: file.spanOf(args[0].getRange()).start, end: file.spanOf(args[args.length - 1].getRange()).end };
      // `USER root` to install packages, then a later USER, is fine; only an effective root user is reported.
      // A root USER inherited from a parent stage stays (its later RUNs may need root): the final stage gets its own.
      const fix: Fix = final.instructions.includes(userIns)
        ? { title: `Run as ${suggestion}`, safe: false, preferred: true, edits: [{ ...argSpan, newText: suggestion }] }
        : addUser(file, final, suggestion);
      ctx.report({ span: file.spanOf(userIns.getRange()), messageId: 'rootUser', data: { user }, fixes: [fix] });
      return;
    }
    if (traits.nonrootByDefault || !final.image || final.image.unresolved) return;
    const known = isKnownRootImage(final);
    const fix = addUser(file, final, suggestion);
    const span = { start: final.fromSpan.start, end: Math.min(final.fromSpan.end, file.source.lineContentEnd(file.source.lineOf(final.fromSpan.start))) };
    ctx.report({ span, messageId: 'noUser', data: { image: final.image.text }, severity: known ? undefined : 'info', fixes: [fix] });
  },
});

function addUser(file: DockerFile, stage: Stage, user: string): Fix {
  const at = insertionOffset(file, stage);
  const eol = file.source.eol;
  const newText = at.beforeLine ? `USER ${user}${eol}` : `${eol}USER ${user}`;
  return { title: `Add USER ${user}`, safe: false, preferred: true, edits: [{ start: at.offset, end: at.offset, newText }] };
}

function isRoot(user: string): boolean {
  if (user.includes('$')) return false;
  const name = user.split(':')[0];
  return name === 'root' || name === '0';
}

/** Images known to run as root when no USER is set: Docker Hub official images, scratch, distroless without :nonroot. */
function isKnownRootImage(stage: Stage): boolean {
  const image = stage.image;
  if (!image) return false;
  const traits = baseTraits(stage);
  if (traits.scratch || traits.distroless) return true;
  const hub = image.registry === undefined || image.registry === 'docker.io' || image.registry === 'mirror.gcr.io';
  return hub && !image.repository.includes('/');
}

/**
 * Where USER goes: before the first CMD/ENTRYPOINT of the final stage that no
 * RUN follows (steps that need root stay before it), else after the stage's
 * last instruction.
 */
function insertionOffset(file: DockerFile, stage: Stage): { offset: number; beforeLine: boolean } {
  const ins = stage.instructions;
  const lastRun = ins.reduce((acc, i, idx) => (['RUN', 'COPY', 'ADD'].includes(i.getKeyword()) ? idx : acc), -1);
  const target = ins.find((i, idx) => idx > lastRun && (i.getKeyword() === 'ENTRYPOINT' || i.getKeyword() === 'CMD'));
  if (target) {
    // Keep a comment block that introduces the instruction attached to it.
    return { offset: lineStartAboveComments(file, file.spanOf(target.getRange()).start), beforeLine: true };
  }
  const last: Instruction = ins[ins.length - 1] ?? stage.from;
  return { offset: file.spanOf(last.getRange()).end, beforeLine: false };
}
