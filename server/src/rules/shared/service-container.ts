import * as path from 'node:path';
import type { RuleContext } from '../../engine/rule';
import type { Container } from '../../languages/k8s/model/workloads';
import { containerGo, type ContainerGo } from '../../workspace/image-links';
import type { ContainerNode, MainPackageNode, ServiceModelReader } from '../../workspace/service-model';

/**
 * A manifest's container as the service model sees it: the node (its image
 * links, what it runs, the image's effective user) and its Go side
 * (`containerGo`). Undefined for init containers (the model holds app
 * containers only), fragments and files outside every root.
 */
export interface LinkedContainer {
  readonly model: ServiceModelReader;
  readonly node: ContainerNode;
  readonly go: ContainerGo;
}

export function linkedContainer(ctx: RuleContext<unknown>, c: Container): LinkedContainer | undefined {
  if (c.isInit) return undefined;
  const model = ctx.workspace.serviceModel();
  if (!model) return undefined;
  const go = containerGo(c, ctx.workspace, ctx.filePath);
  return go.node ? { model, node: go.node, go } : undefined;
}

/** What makes a container a Go program, and what its main module says. */
export interface GoRuntime {
  /** For messages and docs: `runs the image's ENTRYPOINT, built from cmd/api`. */
  readonly reason: string;
  readonly main?: MainPackageNode;
  /** The main module's `go` line (what the runtime's GODEBUG defaults follow); undefined without go.mod. */
  readonly goLine?: string;
  /** The code (the main package or a module package it imports) or the go.mod uses go.uber.org/automaxprocs / automemlimit. */
  readonly automaxprocs: boolean;
  readonly automemlimit: boolean;
}

const AUTOMAXPROCS = 'go.uber.org/automaxprocs';
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);
const AUTOMEMLIMIT = 'github.com/KimMachineGun/automemlimit';

/**
 * Does the container run the Go binary its image builds? By the model's
 * links: `runs: go` (linked to a main package, and its `command:`, if any,
 * starts that binary), or linked to exactly one Dockerfile that builds Go and
 * whose ENTRYPOINT/CMD (or the `command:`) starts a binary its `go build`
 * puts in the image (by path, or by name: `./podinfo` for `-o bin/podinfo`),
 * when the model links the Dockerfile to no one main package (sources not in
 * the workspace, or several binaries). A `command:` that starts a shell, a script or another binary is
 * not the Go binary; an image built in several places (ambiguous) or by
 * nothing of the workspace is not known.
 */
export function goRuntimeOf(ctx: RuleContext<unknown>, linked: LinkedContainer | undefined): GoRuntime | undefined {
  if (!linked) return undefined;
  const { go, node } = linked;
  const fromMod = (goModPath: string | undefined, main?: MainPackageNode): Omit<GoRuntime, 'reason'> => {
    const mod = goModPath === undefined ? undefined : ctx.workspace.goModFor(goModPath);
    const requires = (p: string): boolean => mod?.requires.some((r) => r.path === p) ?? false;
    return {
      main,
      goLine: mod?.go,
      automaxprocs: (main?.automaxprocs ?? false) || requires(AUTOMAXPROCS),
      automemlimit: (main?.automemlimit ?? false) || requires(AUTOMEMLIMIT),
    };
  };
  if (go.runs === 'go') return { reason: go.reason, ...fromMod(go.module?.file, go.main) };
  if (go.runs === 'other' || !go.service || go.main || go.service.dockerfiles.length !== 1) return undefined;
  const d = go.service.dockerfiles[0];
  if (!d.facts.buildsGo) return undefined;
  const command = node.facts.command;
  const started = command && command.length > 0 ? command[0] : (d.facts.entrypoint ?? d.facts.cmd)?.words[0];
  // The binary by its path in the image, or by name (`./podinfo` in WORKDIR, `go build -o bin/podinfo`).
  const builds = d.facts.builds.filter((b) => b.inFinal);
  const name = started === undefined ? undefined : path.posix.basename(started);
  if (started === undefined || SHELLS.has(name ?? '') || !builds.some((b) => b.finalPath === started || [b.finalPath, b.binary].some((p) => p !== undefined && path.posix.basename(p) === name))) return undefined;
  // The main package is not in the workspace: the go.mod of the Dockerfile's build context, as far as it is known.
  return { reason: `${path.basename(d.file)} builds ${started} with go build`, ...fromMod(path.join(d.context, 'Dockerfile')) };
}

const GO_ENV_IN_TEXT = /\b(GOGC|GOMEMLIMIT|GOMAXPROCS|GODEBUG)=/;

/** Env only a Go program reads. */
export const GO_ENV = /^(GOGC|GOMEMLIMIT|GOMAXPROCS|GODEBUG|GOTRACEBACK)$/;

/**
 * Signs in the manifest itself that the container runs Go, whatever builds
 * its image: a Go runtime setting in its env (`GOGC`, `GODEBUG`...) or in its
 * command (`GOGC=50 ./server`), or a `ko://` image.
 */
export function goHint(c: Container, words: readonly string[]): string | undefined {
  const env = c.env.find((e) => GO_ENV.test(e.name));
  if (env) return `env ${env.name}`;
  const hint = words.find((w) => GO_ENV_IN_TEXT.test(w));
  if (hint) return `${GO_ENV_IN_TEXT.exec(hint)?.[1] ?? 'a Go setting'} in its command`;
  return typeof c.image?.value === 'string' && c.image.value.startsWith('ko://') ? 'a ko:// image' : undefined;
}
