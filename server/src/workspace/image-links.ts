import * as path from 'node:path';
import type { WorkspaceView } from '../workspace/view';
import { scalarText } from '../languages/k8s/nodes';
import { scalarsOf, type Container } from '../languages/k8s/model/workloads';
import type { ServiceView } from './service-model/query';
import type { ContainerNode, GoModuleNode, MainPackageNode } from './service-model/types';

/** Re-exported for the Go-runtime rules: a pure YAML helper that lives with the container model. */
export { scalarsOf } from '../languages/k8s/model/workloads';

/**
 * Is this container a Go program? Conservative: only positive evidence counts.
 * 1. Go runtime settings in its env (`GOGC`, `GOMEMLIMIT`, `GOMAXPROCS`,
 *    `GODEBUG`, `GOTRACEBACK`) or in its command/args (`GOGC=50 ./server`);
 * 2. a `ko://` image (ko builds Go only);
 * 3. a Dockerfile in the workspace that builds Go (`FROM golang`, `go build`)
 *    and whose image name matches: the image's last path segment equals the
 *    Dockerfile's folder name, the last element of the go.mod module beside
 *    it, or the `go build -o` output name. The Dockerfile is the nearest one
 *    above the manifest, or `<root>/<name>/Dockerfile`.
 */

/**
 * A manifest's container as the service model links it: whether it runs a Go
 * binary this workspace builds (`go`), something else (`other`: its
 * `command:` or the image's ENTRYPOINT starts a shell or a script, or the
 * image is built but not from Go), or whether the model cannot tell
 * (`unknown`: not linked, or linked to several candidates).
 */
export interface ContainerGo {
  runs: 'go' | 'other' | 'unknown';
  reason: string;
  node?: ContainerNode;
  /** The one service it belongs to (none when not linked, or linked to several). */
  service?: ServiceView;
  main?: MainPackageNode;
  /** The main package's module (its `go` line, toolchain, go.mod path). */
  module?: GoModuleNode;
}

/**
 * {@link ContainerGo} of a container of the manifest under analysis, read from
 * the engine's service model (the reads are recorded: an edit to the linked
 * Dockerfile, go.mod or Go files re-runs the rule). Replaces {@link goEvidence}'s
 * own image → Dockerfile matching with the model's links.
 */
export function containerGo(c: Container, workspace: WorkspaceView, manifestPath: string): ContainerGo {
  const model = workspace.serviceModel();
  if (!model) return { runs: 'unknown', reason: 'no service model (a file outside the workspace)' };
  const w = c.workload.object;
  const index = c.workload.containers.indexOf(c);
  const found = model.container(manifestPath, w.kind, w.name ?? '?', c.name ?? String(index));
  if (!found) return { runs: 'unknown', reason: 'not a container of the service model (an init container, or a fragment)' };
  const { node, services } = found;
  if (services.length !== 1) return { runs: node.runs === 'other' ? 'other' : 'unknown', reason: node.runsReason, node };
  const [service] = services;
  const main = service.main;
  const module = main?.module ? model.module(main.module) : undefined;
  const runs = node.runs === 'unknown' && !main && service.dockerfiles.length > 0 && service.dockerfiles.every((d) => !d.facts.buildsGo) ? 'other' : node.runs;
  return { runs, reason: node.runsReason, node, service, main, module };
}

export interface GoEvidence {
  /** Why the container is taken for Go, for messages and docs ("env GOGC", "Dockerfile ../Dockerfile builds Go"). */
  readonly reason: string;
  /** The go.mod that builds it, when known (Go version, requirements). */
  readonly goModPath?: string;
}

const GO_ENV = /^(GOGC|GOMEMLIMIT|GOMAXPROCS|GODEBUG|GOTRACEBACK)$/;
const GO_ENV_IN_TEXT = /\b(GOGC|GOMEMLIMIT|GOMAXPROCS|GODEBUG)=/;

export function goEvidence(c: Container, workspace: WorkspaceView, manifestPath: string): GoEvidence | undefined {
  const image = scalarText(c.image) ?? '';
  const fromBuild = goBuildFor(image, workspace, manifestPath);
  const env = c.env.find((e) => GO_ENV.test(e.name));
  if (env) return { reason: `env ${env.name}`, goModPath: fromBuild?.goModPath };
  const words = [...scalarsOf(c, 'command'), ...scalarsOf(c, 'args')];
  const hint = words.find((w) => GO_ENV_IN_TEXT.test(w));
  if (hint) return { reason: `${GO_ENV_IN_TEXT.exec(hint)?.[1]} in its command`, goModPath: fromBuild?.goModPath };
  if (image.startsWith('ko://')) return { reason: 'a ko:// image' };
  return fromBuild;
}

/** True when the container's command or args set `name=` inline (`sh -c "GOMEMLIMIT=400MiB exec /app"`). */
export function commandSets(c: Container, name: string): boolean {
  const re = new RegExp(`\\b${name}=`);
  return [...scalarsOf(c, 'command'), ...scalarsOf(c, 'args')].some((w) => re.test(w));
}


/** The last path segment of an image reference, without tag or digest: `ghcr.io/acme/shop-api:1.2` → `shop-api`. */
export function imageBaseName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? '';
  return last.split(':')[0].toLowerCase();
}

function goBuildFor(image: string, workspace: WorkspaceView, manifestPath: string): GoEvidence | undefined {
  const name = imageBaseName(image);
  // `registry.example/..` must not name `<root>/../Dockerfile`: the name is one plain path segment or nothing.
  if (!name || name === '.' || name === '..' || /[\\/\0]/.test(name)) return undefined;
  const candidates = new Set<string>();
  const nearest = workspace.findUp(path.dirname(manifestPath), 'Dockerfile');
  if (nearest) candidates.add(nearest);
  for (const root of workspace.roots) candidates.add(path.join(root, name, 'Dockerfile'));
  for (const dockerfile of candidates) {
    const text = workspace.readText(dockerfile);
    if (text === undefined || !isGoBuild(text)) continue;
    const dir = path.dirname(dockerfile);
    const goMod = workspace.goModFor(dockerfile);
    const names = new Set([path.basename(dir).toLowerCase(), ...buildOutputs(text)]);
    const module = goMod?.module;
    if (module) names.add((module.split('/').pop() ?? '').toLowerCase());
    if (names.has(name)) {
      const rel = path.relative(path.dirname(manifestPath), dockerfile) || 'Dockerfile';
      return { reason: `${rel} builds it from Go`, goModPath: goMod?.path };
    }
  }
  return undefined;
}

function isGoBuild(dockerfile: string): boolean {
  return /^\s*FROM\s+(?:--\S+\s+)*(?:\S+\/)?golang[:@\s]/im.test(dockerfile) || /\bgo\s+build\b/.test(dockerfile);
}

/** Names of binaries a Dockerfile builds: `go build -o /out/server` → `server`. */
function buildOutputs(dockerfile: string): string[] {
  const out: string[] = [];
  for (const m of dockerfile.matchAll(/\bgo\s+build\b[^\n]*?\s-o[=\s]+(\S+)/g)) {
    const base = path.posix.basename(m[1].replace(/["']/g, '')).toLowerCase();
    if (base && base !== '.') out.push(base);
  }
  return out;
}
