import * as path from 'node:path';
import { defineDockerRule } from '../../engine/rule';
import { buildGoMod, moduleBaseName } from '../../workspace/build-context';
import type { Fix, Span } from '../../core/finding';
import { commandName } from '../../languages/docker/model/shell';
import { DOCKER_STAGES, baseTraits, stageChain, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { builtBinaryPath, cgoModuleRequired, envForGoCommand, goCommandSpan, goCommands, isCompileOnly, isCopiedIntoFinal, runScripts, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags a `go build`/`go install` whose binary is copied into a final image
 * without the C library it links against: cgo on (explicitly, or by default
 * on a golang image that has gcc) and a final stage on scratch or distroless
 * static (error: the binary cannot start), or a glibc build landing on alpine
 * (warning: musl). Skips CGO_ENABLED=0 from ENV/ARG/inline/export/`go env -w`,
 * static links (`-extldflags -static`, `netgo,osusergo` tags), alpine golang
 * images without gcc (cgo is off there since Go 1.20), binaries the final
 * stage does not copy, and build images it does not know.
 */
export const rule = defineDockerRule({
  id: 'docker/cgo-enabled',
  meta: {
    title: 'cgo binary copied into an image without its C library',
    description: 'A binary built with cgo links libc dynamically; on scratch, distroless static or alpine it fails to start.',
    severity: 'warning',
    fixable: true,
    messages: {
      noLibc: '{binary} is built with cgo on ({why}) but {image} has no C library: it will not start',
      musl: '{binary} is built with cgo against glibc ({why}) but {image} uses musl: it may not start',
      needsCgo: '{binary} needs cgo for {module} but {image} has no C library: use a glibc runtime image',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final?.image || final.image.unresolved) return;
    const finalTraits = baseTraits(final);
    if (!finalTraits.noLibc && !finalTraits.musl) return;
    const finalChain = stageChain(final);
    const mod = buildGoMod(ctx.workspace, ctx.filePath);
    const moduleName = moduleBaseName(mod);
    const cgoModule = cgoModuleRequired(mod?.requires ?? []);
    for (const cmd of goCommands(model)) {
      if ((cmd.sub !== 'build' && cmd.sub !== 'install') || isCompileOnly(cmd)) continue;
      const stage = cmd.run.stage;
      if (finalChain.includes(stage)) continue;
      const binary = builtBinaryPath(model, cmd, moduleName);
      if (!isCopiedIntoFinal(model, stage, binary)) continue;
      if (isStaticLink(cmd) || isCrossOs(model, cmd)) continue;
      const cgo = cgoState(model, cmd);
      if (cgo.on === false) continue;
      const buildTraits = baseTraits(stage);
      if (finalTraits.musl && !finalTraits.noLibc && buildTraits.musl) continue;
      const name = binary ? path.posix.basename(binary) : 'the binary';
      const image = final.image.text;
      const span = goCommandSpan(cmd);
      if (cgoModule && finalTraits.noLibc && cgo.on === 'default') {
        ctx.report({ span, messageId: 'needsCgo', data: { binary: name, module: cgoModule, image }, severity: 'error' });
        continue;
      }
      const why = cgo.on === true ? `CGO_ENABLED=${cgo.value}` : `the default on ${stage.image?.text ?? 'the build image'}`;
      const messageId = finalTraits.noLibc ? 'noLibc' : 'musl';
      ctx.report({ span, messageId, data: { binary: name, why, image }, severity: finalTraits.noLibc ? 'error' : 'warning', fixes: () => fixesFor(model, cmd, cgo) });
    }
  },
});

function isStaticLink(cmd: GoCommand): boolean {
  const ld = cmd.flags.get('ldflags');
  if (ld && ld !== true && /-extldflags[= ]+["']?[^"']*-static/.test(ld.value)) return true;
  const tags = cmd.flags.get('tags');
  if (tags && tags !== true) {
    const list = tags.value.split(/[,\s]+/);
    if (list.includes('netgo') && list.includes('osusergo')) return true;
  }
  return false;
}

function isCrossOs(model: DockerModel, cmd: GoCommand): boolean {
  const goos = envForGoCommand(model, cmd, 'GOOS')?.value;
  return goos !== undefined && !goos.includes('$') && goos !== 'linux';
}

type CgoState = { on: false } | { on: true; value: string; span: Span; via: string } | { on: 'default' };

function cgoState(model: DockerModel, cmd: GoCommand): CgoState {
  const setting = envForGoCommand(model, cmd, 'CGO_ENABLED');
  if (setting?.value !== undefined) {
    if (setting.value.includes('$')) return { on: false };
    return setting.value === '0' ? { on: false } : { on: true, value: setting.value, span: setting.span, via: setting.via };
  }
  const traits = baseTraits(cmd.run.stage);
  if (!traits.golang) return { on: false }; // unknown build image: its default is unknown
  // Since Go 1.20 cgo is off when no C compiler is on PATH: golang:alpine ships none unless the Dockerfile adds it.
  if (traits.musl && !installsCompiler(model, cmd.run.stage)) return { on: false };
  return { on: 'default' };
}

function installsCompiler(model: DockerModel, stage: Stage): boolean {
  const chain = stageChain(stage);
  return runScripts(model).some(
    (r) => chain.includes(r.stage) && r.script.commands.some((c) => {
      const head = commandName(c);
      if (!head || !['apk', 'apt-get', 'apt'].includes(head.name)) return false;
      return c.words.slice(head.at + 1).some((w) => /^(gcc|build-base|musl-dev|clang|g\+\+|build-essential)$/.test(w.value));
    }),
  );
}

function fixesFor(model: DockerModel, cmd: GoCommand, cgo: CgoState): Fix[] {
  const file = model.file;
  const eol = file.source.eol;
  if (cgo.on === true) {
    // The setting itself: `CGO_ENABLED=1` becomes `CGO_ENABLED=0` where it is written.
    const text = file.source.text.slice(cgo.span.start, cgo.span.end);
    const at = text.indexOf('CGO_ENABLED');
    const eq = text.indexOf('=', at);
    if (at < 0 || eq < 0) return [];
    const valueStart = cgo.span.start + eq + 1;
    const rest = text.slice(eq + 1);
    const valueLen = /^["']?[^\s"']*["']?/.exec(rest)?.[0].length ?? 0;
    return [{ title: 'Set CGO_ENABLED=0', safe: false, preferred: true, edits: [{ start: valueStart, end: valueStart + valueLen, newText: '0' }] }];
  }
  const stageEnv = envLineFix(model, cmd, eol);
  if (cmd.run.isExecForm) return [{ ...stageEnv, preferred: true }];
  const at = cmd.goWord.span.start;
  return [
    { title: 'Prefix go build with CGO_ENABLED=0', safe: false, preferred: true, edits: [{ start: at, end: at, newText: 'CGO_ENABLED=0 ' }] },
    stageEnv,
  ];
}

/** `ENV CGO_ENABLED=0` right after the build stage's FROM line. */
function envLineFix(model: DockerModel, cmd: GoCommand, eol: string): Fix {
  const file = model.file;
  const fromEnd = file.spanOf(cmd.run.stage.from.getRange()).end;
  return { title: 'Add ENV CGO_ENABLED=0 to the build stage', safe: false, edits: [{ start: fromEnd, end: fromEnd, newText: `${eol}ENV CGO_ENABLED=0` }] };
}
