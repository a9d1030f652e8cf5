import * as path from 'node:path';
import { globProblem, compileGlob } from '../../../core/glob';
import { Arg, Env, type From, type Instruction, type ParserDirective } from 'dockerfile-ast';
import type { Span } from '../../../core/finding';
import type { DockerFile } from '../parser';
import { defineAnalysis, resultOf } from '../../../core/analysis';

/**
 * The shared model of a Dockerfile every docker/ rule reads: stages by name
 * and index, ARG-expanded base images parsed into parts, what each base is
 * (scratch, distroless, alpine, ...), variables and WORKDIR as an
 * instruction sees them, COPY --from edges. Built once per parsed file.
 */

export interface ImageRef {
  /** As written after ARG expansion, e.g. `gcr.io/distroless/static-debian12:nonroot`. */
  text: string;
  registry?: string;
  /** Path without registry, tag or digest: `distroless/static-debian12`, `library/golang` is `golang`. */
  repository: string;
  /** Last path segment: `static-debian12`. */
  name: string;
  tag?: string;
  digest?: string;
  /** Still holds `$` after expansion (an ARG with no default). */
  unresolved: boolean;
}

export interface Stage {
  index: number;
  /** `AS name`, as written. */
  name?: string;
  from: From;
  fromSpan: Span;
  /** Span of the image argument as written (before expansion). */
  imageSpan: Span;
  /** The image argument after ARG expansion. */
  imageText: string;
  /** The stage it builds on (`FROM build`), if any. */
  parent?: Stage;
  /** The external image at the root of the parent chain (undefined for an unresolved or stage-only chain). */
  image?: ImageRef;
  /** Instructions after FROM, up to the next FROM. */
  instructions: Instruction[];
  isFinal: boolean;
}

export interface BaseTraits {
  scratch: boolean;
  distroless: boolean;
  /** No C library at all: scratch, distroless static, chainguard static. */
  noLibc: boolean;
  musl: boolean;
  golang: boolean;
  /** Runs as a non-root user unless told otherwise (distroless `:nonroot`, chainguard). */
  nonrootByDefault: boolean;
  /** Has `/bin/sh`. */
  hasShell: boolean;
  /** Debian/Ubuntu family (apt). */
  debian: boolean;
}

export interface VariableValue {
  /** undefined: declared without a value (`ARG X`). */
  value: string | undefined;
  span: Span;
  kind: 'env' | 'arg';
}

export interface CopyFrom {
  instruction: Instruction;
  /** Source stage, when `--from` names one (by name or index). */
  stage?: Stage;
  /** `--from` value when it is an image, not a stage. */
  image?: string;
  sources: string[];
  dest: string;
}

export interface DockerModel {
  file: DockerFile;
  stages: Stage[];
  final: Stage | undefined;
  globalArgs: Arg[];
  /** Instructions other than ARG before the first FROM (all of them in a snippet without FROM). */
  preamble: Instruction[];
  syntax?: { value: string; span: Span; directive: ParserDirective };
  /** The file opts into BuildKit features: a `# syntax=` directive, `--mount` flags or heredocs. */
  usesBuildKit: boolean;
  stageByRef(ref: string): Stage | undefined;
  /** The stage an instruction belongs to. */
  stageOf(instruction: Instruction): Stage | undefined;
}

/** Stages, global ARGs and BuildKit use of a Dockerfile. */
export const DOCKER_STAGES = defineAnalysis({ id: 'docker/stages', on: 'docker-file', build: buildModel });

/** The {@link DOCKER_STAGES} result of a file (helpers called from fix builders; rules use `ctx.resultOf`). */
export function dockerModel(file: DockerFile): DockerModel {
  return resultOf(DOCKER_STAGES, file);
}

function buildModel(file: DockerFile): DockerModel {
  const ast = file.ast;
  const froms = ast.getFROMs();
  const all = ast.getInstructions();
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  for (let i = 0; i < froms.length; i++) {
    const from = froms[i];
    const startLine = from.getRange().start.line;
    const nextLine = froms[i + 1]?.getRange().start.line ?? Infinity;
    const instructions = all.filter((ins) => ins !== from && ins.getRange().start.line > startLine && ins.getRange().start.line < nextLine);
    const imageArg = from.getArguments().at(0);
    const imageText = from.getExpandedArguments()[0]?.getValue() ?? '';
    const parent = byName.get(imageText.toLowerCase());
    const name = from.getBuildStage() ?? undefined;
    const stage: Stage = {
      index: i,
      name,
      from,
      fromSpan: file.spanOf(from.getRange()),
      imageSpan: imageArg ? file.spanOf(imageArg.getRange()) : file.spanOf(from.getInstructionRange()),
      imageText,
      parent,
      image: parent ? parent.image : imageText ? parseImageRef(imageText) : undefined,
      instructions,
      isFinal: i === froms.length - 1,
    };
    stages.push(stage);
    if (name) byName.set(name.toLowerCase(), stage);
  }
  const firstFromLine = froms[0]?.getRange().start.line ?? Infinity;
  const directive = ast.getDirectives().find((d) => d.getName().toLowerCase() === 'syntax');
  const usesBuildKit =
    directive !== undefined ||
    all.some((ins) => ins.getKeyword() === 'RUN' && /(^|\s)--mount[=\s]/.test(ins.getTextContent())) ||
    all.some((ins) => /<<-?["']?[A-Za-z_]/.test(ins.getRawArgumentsContent() ?? '') && (ins.getKeyword() === 'RUN' || ins.getKeyword() === 'COPY'));
  return {
    file,
    stages,
    final: stages[stages.length - 1],
    globalArgs: ast.getARGs().filter((a) => a.getRange().start.line < firstFromLine),
    preamble: all.filter((ins) => ins.getKeyword() !== 'ARG' && ins.getRange().start.line < firstFromLine),
    syntax: directive ? { value: directive.getValue(), span: file.spanOf(directive.getValueRange()), directive } : undefined,
    usesBuildKit,
    stageByRef(ref: string): Stage | undefined {
      if (/^\d+$/.test(ref)) return stages[Number(ref)];
      return byName.get(ref.toLowerCase());
    },
    stageOf(instruction: Instruction): Stage | undefined {
      const line = instruction.getRange().start.line;
      for (let i = stages.length - 1; i >= 0; i--) if (stages[i].from.getRange().start.line <= line) return stages[i];
      return undefined;
    },
  };
}

/** Parses `[registry/]repo[:tag][@digest]`; `docker.io/library/` is dropped. */
export function parseImageRef(text: string): ImageRef {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if ((registry === undefined || registry === 'docker.io' || registry === 'index.docker.io') && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return {
    text,
    registry,
    repository: rest,
    name: rest.split('/').pop() ?? rest,
    tag: tag || undefined,
    digest: digest || undefined,
    unresolved: text.includes('$'),
  };
}

/** What the base image of a stage (through its parent stages) is known to provide. */
export function baseTraits(stage: Stage): BaseTraits {
  const image = stage.image;
  const repo = image?.repository.toLowerCase() ?? '';
  const name = image?.name.toLowerCase() ?? '';
  const tag = image?.tag?.toLowerCase() ?? '';
  const scratch = image !== undefined && repo === 'scratch';
  const distroless = repo.startsWith('distroless/') || repo.includes('/distroless/');
  const chainguard = image?.registry === 'cgr.dev';
  const staticImage = (distroless || chainguard) && name.startsWith('static');
  const musl = name === 'alpine' || /(^|-)alpine/.test(tag) || name === 'wolfi-base';
  const golang = name === 'golang' && (image?.registry === undefined || image.registry === 'docker.io' || image.registry === 'mirror.gcr.io');
  const debian = ['debian', 'ubuntu'].includes(name) || (golang && !musl) || /bookworm|bullseye|buster|trixie|jammy|noble|focal/.test(tag);
  return {
    scratch,
    distroless: distroless || (chainguard && !tag.includes('dev')),
    noLibc: scratch || staticImage,
    musl,
    golang,
    nonrootByDefault: ((distroless || chainguard) && !tag.includes('dev') && tag !== 'debug' && (chainguard || tag.includes('nonroot'))),
    hasShell: !scratch && !((distroless || chainguard) && !tag.includes('debug') && !tag.includes('dev')),
    debian,
  };
}

/** Instructions of a stage that come before `instruction` (all of them when it is not in the stage). */
export function instructionsBefore(stage: Stage, instruction?: Instruction): Instruction[] {
  if (!instruction) return stage.instructions;
  const line = instruction.getRange().start.line;
  return stage.instructions.filter((i) => i.getRange().start.line < line);
}

/**
 * The value of variable `name` as `instruction` of `stage` sees it: ENV and
 * ARG of the stage before it, ENV of parent stages, and for an `ARG X`
 * without a value the global `ARG X=default`.
 */
export function variableAt(model: DockerModel, stage: Stage, instruction: Instruction | undefined, name: string): VariableValue | undefined {
  const before = instructionsBefore(stage, instruction);
  for (let i = before.length - 1; i >= 0; i--) {
    const ins = before[i];
    const kw = ins.getKeyword();
    if (kw === 'ENV' && ins instanceof Env) {
      const prop = ins.getProperties().find((p) => p.getName() === name);
      if (prop) return { value: prop.getUnescapedValue() ?? '', span: model.file.spanOf(prop.getRange()), kind: 'env' };
    } else if (kw === 'ARG' && ins instanceof Arg) {
      const own = argDeclarations(model, ins).find((d) => d.name === name);
      if (own) {
        if (own.value !== undefined) return { value: own.value, span: own.span, kind: 'arg' };
        const global = model.globalArgs.flatMap((a) => argDeclarations(model, a)).filter((d) => d.name === name).pop();
        return { value: global?.value, span: own.span, kind: 'arg' };
      }
    }
  }
  if (stage.parent) {
    const inherited = variableAt(model, stage.parent, undefined, name);
    if (inherited?.kind === 'env') return inherited;
  }
  return undefined;
}

/** The variables an ARG declares: one (`ARG X=1`), or several (`ARG TARGETOS TARGETARCH`, which dockerfile-ast leaves without a property). */
export function argDeclarations(model: DockerModel, arg: Arg): { name: string; value: string | undefined; span: Span }[] {
  const prop = arg.getProperty();
  if (prop && arg.getArguments().length <= 1) {
    const own = prop.getValue();
    return [{ name: prop.getName(), value: own === null ? undefined : prop.getUnescapedValue() ?? own, span: model.file.spanOf(prop.getRange()) }];
  }
  return arg.getArguments().map((a) => {
    const word = a.getValue();
    const eq = word.indexOf('=');
    return { name: eq < 0 ? word : word.slice(0, eq), value: eq < 0 ? undefined : word.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'), span: model.file.spanOf(a.getRange()) };
  });
}

/** The working directory an instruction runs in (golang images start in /go, others in /). */
export function workdirAt(model: DockerModel, stage: Stage, instruction?: Instruction): string {
  let dir = stage.parent ? workdirAt(model, stage.parent) : baseTraits(stage).golang ? '/go' : '/';
  for (const ins of instructionsBefore(stage, instruction)) {
    if (ins.getKeyword() !== 'WORKDIR') continue;
    const arg = ins.getExpandedArguments()[0]?.getValue();
    if (arg) dir = path.posix.resolve(dir, arg);
  }
  return dir;
}

/** `COPY --from=...` instructions of a stage, with sources and destination resolved against WORKDIR. */
export function copiesFrom(model: DockerModel, stage: Stage): CopyFrom[] {
  const out: CopyFrom[] = [];
  for (const ins of stage.instructions) {
    if (ins.getKeyword() !== 'COPY' && ins.getKeyword() !== 'ADD') continue;
    const fromFlag = flagsOf(ins).find((f) => f.name === 'from');
    if (!fromFlag?.value) continue;
    const words = copyOperands(ins);
    if (words.length < 2) continue;
    const dest = path.posix.resolve(workdirAt(model, stage, ins), words[words.length - 1]) + (words[words.length - 1].endsWith('/') ? '/' : '');
    const source = model.stageByRef(fromFlag.value);
    out.push({ instruction: ins, stage: source, image: source ? undefined : fromFlag.value, sources: words.slice(0, -1), dest });
  }
  return out;
}

/** Source and destination operands of COPY/ADD in shell or JSON form. */
export function copyOperands(ins: Instruction): string[] {
  const json = jsonForm(ins);
  if (json) return json;
  return ins.getExpandedArguments().map((a) => a.getValue());
}

export interface FlagInfo {
  name: string;
  value: string | null;
  span: Span | undefined;
  options: { name: string; value: string | null }[];
}

/** `--flag=value` flags of an instruction (RUN --mount, COPY --from, FROM --platform). */
export function flagsOf(ins: Instruction): FlagInfo[] {
  const getFlags = (ins as Partial<Pick<From, 'getFlags'>>).getFlags;
  if (typeof getFlags !== 'function') return [];
  return getFlags.call(ins).map((f) => ({
    name: f.getName(),
    value: f.getValue(),
    span: undefined,
    options: f.getOptions().map((o) => ({ name: o.getName(), value: o.getValue() })),
  }));
}

/** The strings of an exec-form (JSON array) instruction, or undefined when it is in shell form. */
export function jsonForm(ins: Instruction): string[] | undefined {
  const flagless = (ins.getRawArgumentsContent() ?? '').trim();
  if (!flagless.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(flagless.replace(/\\\r?\n/g, ''));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // Not valid JSON: Docker runs it in shell form.
  }
  return undefined;
}

/** The last `keyword` instruction of a stage or, failing that, of the stages it is built FROM (CMD, ENTRYPOINT, USER...). */
export function lastInChain(stage: Stage, keyword: string): Instruction | undefined {
  for (let s: Stage | undefined = stage; s; s = s.parent) {
    const found = s.instructions.filter((i) => i.getKeyword() === keyword);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

/** Start of the line holding `offset`, moved above the comment lines directly over it (they introduce it). */
export function lineStartAboveComments(file: DockerFile, offset: number): number {
  const source = file.source;
  let line = source.lineOf(offset);
  while (line > 0 && source.lineText(line - 1).trim().startsWith('#')) line--;
  return source.lineStart(line);
}

/** A COPY source (`/out/api`, `/out/`, `/out/*`) covers an absolute path in the source stage. */
export function copySourceCovers(source: string, target: string): boolean {
  const s = source.replace(/\/+$/, '') || '/';
  if (s === target || s === '/' || target.startsWith(`${s}/`)) return true;
  // A Dockerfile is workspace content: its globs are matched in linear time, and one we cannot use covers nothing.
  return /[*?[]/.test(s) && globProblem(s) === undefined && compileGlob(s)(target);
}

/** COPY/ADD of the whole build context: a source of `.`, `./`, `*` or `./*`, not from another stage or image. */
export function isWholeContextCopy(ins: Instruction): boolean {
  const kw = ins.getKeyword();
  if (kw !== 'COPY' && kw !== 'ADD') return false;
  if (flagsOf(ins).some((f) => f.name === 'from')) return false;
  const ops = copyOperands(ins);
  return ops.length >= 2 && ops.slice(0, -1).some((s) => s === '.' || s === './' || s === '*' || s === './*');
}

/** A stage and the stages it is built FROM, nearest first. */
export function stageChain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.parent) out.push(s);
  return out;
}
