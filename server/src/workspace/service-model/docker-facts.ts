import * as path from 'node:path';
import { Env, type Instruction } from 'dockerfile-ast';
import { defineAnalysis } from '../../core/analysis';
import type { Span } from '../../core/finding';
import type { DockerFile } from '../../languages/docker/parser';
import { DOCKER_RUN, builtBinaryPath, isCopiedIntoFinal, type GoCommand } from '../../languages/docker/model/run';
import {
  DOCKER_STAGES, baseTraits, copiesFrom, copyOperands, copySourceCovers, isWholeContextCopy, jsonForm, lastInChain, stageChain, workdirAt,
  type DockerModel, type Stage,
} from '../../languages/docker/model/stages';

/**
 * What one Dockerfile tells the service model (a fact: plain data, cached by
 * content hash): stages and the final base, the final stage's USER, EXPOSE,
 * ENTRYPOINT/CMD and ENV, and the Go packages it builds with the binary's
 * path in the builder stage and in the final image.
 */

export interface DockerCommand {
  /** Exec form (`["/server"]`) or shell form (run by `/bin/sh -c`). */
  exec: boolean;
  words: string[];
  span: Span;
}

export interface DockerGoBuild {
  /** The package argument as written (`./cmd/api`, `.`, a module path); undefined for a bare `go build`. */
  package?: string;
  /**
   * The package's folder relative to the build context (`cmd/api`, `` for the
   * root), when the folder the context was copied to is known; undefined otherwise.
   */
  contextDir?: string;
  /** Absolute path of the binary in the builder stage. */
  binary?: string;
  /** Where the final image holds the binary (`COPY --from=build /out/api /api` → `/api`). */
  finalPath?: string;
  /** The final image holds it (copied from the builder stage, or built in the final stage). */
  inFinal: boolean;
  span: Span;
}

export interface DockerFacts {
  stages: { name?: string; base: string; span: Span }[];
  /** The final stage's external base image (through `FROM build` chains), as written after ARG expansion. */
  finalBase?: string;
  finalBaseSpan?: Span;
  /** The final base runs as a non-root user unless told otherwise (distroless `:nonroot`, chainguard). */
  nonrootBase: boolean;
  /** The final base has /bin/sh. */
  hasShell: boolean;
  /**
   * A final base known to hold no shell and no utilities: `scratch` (nothing
   * but what is copied in), `distroless` (distroless or chainguard static, not
   * a debug or dev tag: a libc, certificates, no shell). Undefined otherwise.
   */
  bareBase?: 'scratch' | 'distroless';
  /** Destinations of the final stage's COPY/ADD (its parents' too), absolute; a trailing `/` for a folder. */
  finalCopies: string[];
  user?: { value: string; span: Span };
  expose: { port: number; protocol?: string; span: Span }[];
  entrypoint?: DockerCommand;
  cmd?: DockerCommand;
  /** ENV of the final stage and its parents. */
  env: { name: string; value: string }[];
  builds: DockerGoBuild[];
  /** The file builds Go (`FROM golang`, a `go build`). */
  buildsGo: boolean;
}

export const DOCKER_FACTS = defineAnalysis({
  id: 'workspace/docker-facts',
  on: 'docker-file',
  fact: true,
  requires: [DOCKER_STAGES, DOCKER_RUN],
  build: (file, pass): DockerFacts => extract(file, pass.resultOf(DOCKER_STAGES), pass.resultOf(DOCKER_RUN).goCommands),
});

function extract(file: DockerFile, model: DockerModel, goCommands: readonly GoCommand[]): DockerFacts {
  const final = model.final;
  const traits = final ? baseTraits(final) : undefined;
  const chain = final ? stageChain(final) : [];
  const user = final ? lastInChain(final, 'USER') : undefined;
  const facts: DockerFacts = {
    stages: model.stages.map((s) => ({ name: s.name, base: s.imageText, span: s.fromSpan })),
    finalBase: final?.image?.text ?? final?.imageText,
    finalBaseSpan: final?.imageSpan,
    nonrootBase: traits?.nonrootByDefault ?? false,
    hasShell: traits?.hasShell ?? true,
    bareBase: final ? bareBase(final) : undefined,
    finalCopies: [],
    user: user ? { value: (user.getExpandedArguments()[0]?.getValue() ?? '').trim(), span: file.spanOf(user.getRange()) } : undefined,
    expose: [],
    entrypoint: commandOf(file, final ? lastInChain(final, 'ENTRYPOINT') : undefined),
    cmd: commandOf(file, final ? lastInChain(final, 'CMD') : undefined),
    env: [],
    builds: [],
    buildsGo: model.stages.some((s) => baseTraits(s).golang) || goCommands.some((c) => c.sub === 'build' || c.sub === 'install'),
  };
  for (const stage of [...chain].reverse()) {
    for (const ins of stage.instructions) {
      if (ins.getKeyword() === 'COPY' || ins.getKeyword() === 'ADD') {
        const ops = copyOperands(ins).filter((w) => !w.startsWith('--'));
        const dest = ops.at(-1);
        if (dest !== undefined && ops.length >= 2) {
          const abs = path.posix.resolve(workdirAt(model, stage, ins), dest);
          facts.finalCopies.push(dest.endsWith('/') || ops.length > 2 || abs === '/' ? `${abs.replace(/\/$/, '')}/` : abs);
        }
      } else if (ins.getKeyword() === 'EXPOSE') {
        for (const arg of ins.getExpandedArguments()) {
          const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(arg.getValue());
          if (m) facts.expose.push({ port: Number.parseInt(m[1], 10), protocol: m.at(2)?.toLowerCase(), span: file.spanOf(arg.getRange()) });
        }
      } else if (ins instanceof Env) {
        for (const p of ins.getProperties()) {
          const name = p.getName();
          facts.env = facts.env.filter((e) => e.name !== name);
          facts.env.push({ name, value: p.getUnescapedValue() ?? '' });
        }
      }
    }
  }
  for (const cmd of goCommands) {
    if (cmd.sub !== 'build' && cmd.sub !== 'install') continue;
    const pkgWords = cmd.packages.filter((p) => !p.value.endsWith('.go'));
    if (pkgWords.length > 1 || pkgWords.some((p) => p.value.includes('...'))) continue;
    const pkg = pkgWords[0]?.value;
    const binary = builtBinaryPath(model, cmd);
    const stage = cmd.run.stage;
    const inFinal = final !== undefined && (stageChain(final).includes(stage) || isCopiedIntoFinal(model, stage, binary));
    facts.builds.push({
      package: pkg,
      contextDir: contextDirOf(model, stage, cmd, pkg),
      binary,
      finalPath: final ? finalPathOf(model, final, stage, binary) : undefined,
      inFinal,
      span: { start: cmd.goWord.span.start, end: cmd.command.words[cmd.command.words.length - 1]?.span.end ?? cmd.goWord.span.end },
    });
  }
  return facts;
}

/** scratch, or a distroless/chainguard static base without a debug or dev tag. */
function bareBase(final: Stage): DockerFacts['bareBase'] {
  const image = final.image;
  if (!image) return undefined;
  const t = baseTraits(final);
  if (t.scratch) return 'scratch';
  const repo = image.repository.toLowerCase();
  const tag = image.tag?.toLowerCase() ?? '';
  if (tag.includes('debug') || tag.includes('dev')) return undefined;
  if (repo.startsWith('distroless/') || repo.includes('/distroless/')) return 'distroless';
  return image.registry === 'cgr.dev' && /(^|\/)(static|glibc-dynamic)$/.test(repo) ? 'distroless' : undefined;
}

function commandOf(file: DockerFile, ins: Instruction | undefined): DockerCommand | undefined {
  if (!ins) return undefined;
  const json = jsonForm(ins);
  const span = file.spanOf(ins.getRange());
  if (json) return { exec: true, words: json, span };
  return { exec: false, words: ins.getExpandedArguments().map((a) => a.getValue()), span };
}

/**
 * The package's folder relative to the build context: the `go build`
 * WORKDIR relative to where the whole context was copied (`COPY . .` into
 * /src, then `go build ./cmd/api` in /src → `cmd/api`). A module-path
 * package (`github.com/acme/shop/cmd/api`) is left to the model (it knows the module).
 */
function contextDirOf(model: DockerModel, stage: Stage, cmd: GoCommand, pkg: string | undefined): string | undefined {
  const p = (pkg ?? '.').replace(/@.*$/, '');
  if (!p.startsWith('.') && p !== '') return undefined;
  const buildDir = workdirAt(model, stage, cmd.run.instruction);
  let contextRoot: string | undefined;
  for (const s of [...stageChain(stage)].reverse()) {
    for (const ins of s.instructions) {
      if (ins.getRange().start.line >= cmd.run.instruction.getRange().start.line && s === stage) break;
      if (isWholeContextCopy(ins)) {
        const ops = ins.getExpandedArguments().map((a) => a.getValue());
        contextRoot = path.posix.resolve(workdirAt(model, s, ins), ops[ops.length - 1] ?? '.');
      }
    }
  }
  if (contextRoot === undefined) return undefined;
  const rel = path.posix.relative(contextRoot, path.posix.resolve(buildDir, p));
  return rel.startsWith('..') ? undefined : rel;
}

/** Where the final image holds `binary` built in `stage`. */
function finalPathOf(model: DockerModel, final: Stage, stage: Stage, binary: string | undefined): string | undefined {
  if (!binary) return undefined;
  if (stageChain(final).includes(stage)) return binary;
  for (const c of copiesFrom(model, final)) {
    if (!c.stage || !stageChain(c.stage).includes(stage)) continue;
    const src = c.sources.find((s) => copySourceCovers(s, binary));
    if (!src) continue;
    if (c.dest.endsWith('/')) return c.dest + (src.replace(/\/+$/, '') === binary ? path.posix.basename(binary) : path.posix.relative(src.replace(/\/+$/, ''), binary));
    return c.sources.length === 1 && src.replace(/\/+$/, '') === binary ? c.dest : path.posix.join(c.dest, path.posix.basename(binary));
  }
  return undefined;
}
