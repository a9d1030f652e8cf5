import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import { buildGoMod, moduleBaseName } from '../../workspace/build-context';
import type { Edit, Fix } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import { parseShell } from '../../languages/docker/model/shell';
import { DOCKER_STAGES, baseTraits, jsonForm, lastInChain, stageChain, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { builtBinaryPath, cgoModuleRequired, isCompileOnly, envForGoCommand, goCommands, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags a final stage that is a `golang` image (directly or through the
 * stages it is built FROM) and builds or runs Go code: the shipped image
 * carries the toolchain. Skips stages and files named for development or CI
 * (`dev`, `test`, `ci`, `lint`, `Dockerfile.dev`), and golang images that
 * never build (tool images).
 */

const DEV_NAME = /(^|[._-])(dev|devel|development|test|tests|ci|lint|debug|local)([._-]|$)/i;
const STATIC_IMAGE = 'gcr.io/distroless/static-debian12:nonroot';
/** For binaries that need cgo: glibc, still no shell or package manager. */
const GLIBC_IMAGE = 'gcr.io/distroless/base-debian12:nonroot';

export const rule = defineDockerRule({
  id: 'docker/single-stage-go-build',
  meta: {
    title: 'Go toolchain image shipped as the final image',
    description: 'The final stage is a golang image: it ships ~800 MB of compiler and sources instead of one static binary.',
    severity: 'warning',
    fixable: true,
    messages: {
      ships: 'final image {image} ships the Go toolchain (~800 MB): copy {binary} into a small runtime stage',
      shipsUnknown: 'final image {image} ships the Go toolchain (~800 MB); add -o to go build to get a fix',
      goRun: 'final image {image} compiles at start with go run and ships the toolchain (~800 MB)',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const final = model.final;
    if (!final || !baseTraits(final).golang) return;
    const fileName = ctx.filePath.split(/[\\/]/).pop() ?? '';
    if (DEV_NAME.test(fileName.replace(/dockerfile|containerfile/gi, '')) || stageChain(final).some((s) => s.name && DEV_NAME.test(s.name))) return;
    // `go install tool@version` installs a tool, it does not build the service.
    const builds = goCommands(model).filter(
      (c) => stageChain(final).includes(c.run.stage) && ((c.sub === 'build' && !isCompileOnly(c)) || (c.sub === 'install' && !c.packages.some((p) => p.value.includes('@')))),
    );
    const entry = entryWords(file, final);
    const image = final.image?.text ?? final.imageText;
    const span = lineSpan(file, final.fromSpan);
    if (builds.length === 0) {
      if (entry && entry[0] === 'go' && entry[1] === 'run') ctx.report({ span, messageId: 'goRun', data: { image } });
      return;
    }
    const mod = buildGoMod(ctx.workspace, ctx.filePath);
    const moduleName = moduleBaseName(mod);
    const binaries = builds.map((b) => ({ build: b, path: builtBinaryPath(model, b, moduleName) }));
    const chosen = pickBinary(model, final, binaries, entry);
    if (!chosen?.path) {
      ctx.report({ span, messageId: 'shipsUnknown', data: { image } });
      return;
    }
    const binary = chosen.path;
    ctx.report({ span, messageId: 'ships', data: { image, binary }, fixes: () => [addRuntimeStage(model, final, chosen.build, binary, entry, cgoModuleRequired(mod?.requires ?? []) !== undefined)] });
  },
});

function lineSpan(file: DockerFile, span: { start: number; end: number }): { start: number; end: number } {
  return { start: span.start, end: Math.min(span.end, file.source.lineContentEnd(file.source.lineOf(span.start))) };
}

/** Words of the effective ENTRYPOINT + CMD, when both are plain (exec form or shell words without shell features). */
function entryWords(file: DockerFile, stage: Stage): string[] | undefined {
  const words = (ins: Instruction | undefined): string[] | undefined => {
    if (!ins) return [];
    const json = jsonForm(ins);
    if (json) return json;
    const args = ins.getArguments();
    if (args.length === 0) return [];
    const start = file.spanOf(args[0].getRange()).start;
    const end = file.spanOf(args[args.length - 1].getRange()).end;
    const script = parseShell(file.source.text, start, end, file.ast.getEscapeCharacter());
    if (script.needsShell || script.commands.length !== 1) return undefined;
    const w = script.commands[0].words.map((x) => x.value);
    return w[0] === 'exec' ? w.slice(1) : w;
  };
  const ep = lastInChain(stage, 'ENTRYPOINT');
  const epWords = words(ep);
  if (epWords === undefined) return undefined;
  if (ep && jsonForm(ep) === undefined) return epWords;
  const cmdWords = words(lastInChain(stage, 'CMD'));
  return cmdWords === undefined ? undefined : [...epWords, ...cmdWords];
}

function pickBinary(
  model: DockerModel, final: Stage, binaries: { build: GoCommand; path: string | undefined }[], entry: string[] | undefined,
): { build: GoCommand; path: string | undefined } | undefined {
  const first = entry?.[0];
  if (first) {
    const hit = binaries.find((b) => b.path && (b.path === first || b.path.endsWith(`/${first.replace(/^\.\//, '')}`)));
    if (hit) return hit;
  }
  const distinct = new Set(binaries.map((b) => b.path));
  return distinct.size === 1 ? binaries[binaries.length - 1] : undefined;
}

function addRuntimeStage(model: DockerModel, final: Stage, build: GoCommand, binary: string, entry: string[] | undefined, needsCgo: boolean): Fix {
  const file = model.file;
  const text = file.source.text;
  const eol = file.source.eol;
  const edits: Edit[] = [];
  let stageName = final.name;
  if (!stageName) {
    const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()));
    stageName = taken.has('build') ? 'builder' : 'build';
    edits.push({ start: final.imageSpan.end, end: final.imageSpan.end, newText: ` AS ${stageName}` });
  }
  const cgo = envForGoCommand(model, build, 'CGO_ENABLED');
  if (cgo?.value !== '0' && !needsCgo) {
    if (build.run.isExecForm) {
      const at = file.spanOf(build.run.instruction.getRange()).start;
      const indent = file.source.indentationAt(at);
      edits.push({ start: at, end: at, newText: `ENV CGO_ENABLED=0${eol}${indent}` });
    } else {
      const at = build.goWord.span.start;
      edits.push({ start: at, end: at, newText: 'CGO_ENABLED=0 ' });
    }
  }
  const name = binary.split('/').pop() ?? 'app';
  const args = entry && entry.length > 0 && (entry[0] === binary || binary.endsWith(`/${entry[0].replace(/^\.\//, '')}`)) ? entry.slice(1) : [];
  const carried = final.instructions
    .filter((i) => i.getKeyword() === 'EXPOSE' || (i.getKeyword() === 'ENV' && !/^\s*(GO|CGO_|PATH\b)/.test(i.getRawArgumentsContent() ?? '')))
    .map((i) => file.source.text.slice(file.spanOf(i.getRange()).start, file.spanOf(i.getRange()).end));
  const lines = [
    `FROM ${needsCgo ? GLIBC_IMAGE : STATIC_IMAGE}`,
    `COPY --from=${stageName} ${binary} /${name}`,
    ...carried,
    `ENTRYPOINT ${JSON.stringify([`/${name}`, ...args]).replace(/","/g, '", "')}`,
  ];
  const needsBreak = text.length > 0 && !text.endsWith('\n') && !text.endsWith('\r');
  edits.push({ start: text.length, end: text.length, newText: `${needsBreak ? eol : ''}${eol}${lines.join(eol)}${eol}` });
  return { title: `Build in stage ${stageName} and ship ${name} on distroless`, safe: false, preferred: true, edits };
}
