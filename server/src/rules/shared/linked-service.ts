import * as path from 'node:path';
import type { WorkspaceView } from '../../workspace/view';
import type { Container } from '../../languages/k8s/model/workloads';
import { containerGo } from '../../workspace/image-links';
import type { ServiceView } from '../../workspace/service-model/query';
import type { ContainerNode, DockerfileNode, MainPackageNode } from '../../workspace/service-model/types';

/** A container of the manifest under analysis and the one Go program it runs, as the service model links them. */
export interface LinkedGo {
  node: ContainerNode;
  service: ServiceView;
  main: MainPackageNode;
  /** The Dockerfile the container's image is built from, when the model links exactly one. */
  dockerfile?: DockerfileNode;
}

/**
 * The Go main package a container runs, or undefined whenever the model is
 * not sure: no link, several candidates, a `command:` (or the image's
 * ENTRYPOINT) that starts something else than the Go binary.
 */
export function linkedGo(workspace: WorkspaceView, manifestPath: string, c: Container): LinkedGo | undefined {
  const go = containerGo(c, workspace, manifestPath);
  if (go.runs !== 'go' || !go.node || !go.service || !go.main) return undefined;
  return { node: go.node, service: go.service, main: go.main, dockerfile: imageDockerfile(workspace, go.node) };
}

/** The Dockerfile a container's image is built from: exactly one linked to the container itself (not merely to its main package). */
export function imageDockerfile(workspace: WorkspaceView, node: ContainerNode): DockerfileNode | undefined {
  const model = workspace.serviceModel();
  if (!model) return undefined;
  const direct = model.linksOf(node.id).filter((l) => l.from === node.id && l.to.startsWith('dockerfile:')).map((l) => l.to);
  if (new Set(direct).size !== 1) return undefined;
  return model.serviceOf(node.id).flatMap((s) => s.dockerfiles).find((d) => d.id === direct[0]);
}

/** A path relative to the folder of the file under analysis, for messages (`../cmd/api/main.go`). */
export function relativeTo(fromFile: string, target: string): string {
  return path.relative(path.dirname(fromFile), target).split(path.sep).join('/') || '.';
}
