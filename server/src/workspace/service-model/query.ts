import type { ContainerNode, DockerfileNode, Link, MainPackageNode, ServiceEntry, ServiceModel, Unlinked, WorkloadNode } from './types';

/** A service of the map with its nodes resolved: what a cross-file rule reads. */
export interface ServiceView {
  entry: ServiceEntry;
  main?: MainPackageNode;
  dockerfiles: DockerfileNode[];
  containers: ContainerNode[];
  workloads: WorkloadNode[];
}

/** The service a node (by id) or a file (a main package's Go file, a Dockerfile, a manifest) belongs to; several for a manifest. */
export function serviceOf(model: ServiceModel, idOrFile: string): ServiceView[] {
  const ids = new Set<string>();
  if (idOrFile.includes(':') && !idOrFile.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(idOrFile)) ids.add(idOrFile);
  for (const m of model.mains) if (m.files.includes(idOrFile)) ids.add(m.id);
  for (const d of model.dockerfiles) if (d.file === idOrFile) ids.add(d.id);
  for (const c of model.containers) if (c.file === idOrFile) ids.add(c.id);
  return model.services
    .filter((s) => (s.main !== undefined && ids.has(s.main)) || s.dockerfiles.some((d) => ids.has(d)) || s.containers.some((c) => ids.has(c)))
    .map((entry) => ({
      entry,
      main: model.mains.find((m) => m.id === entry.main),
      dockerfiles: model.dockerfiles.filter((d) => entry.dockerfiles.includes(d.id)),
      containers: model.containers.filter((c) => entry.containers.includes(c.id)),
      workloads: model.workloads.filter((w) => entry.workloads.includes(w.id)),
    }));
}

/** The container of a manifest by workload kind/name and container name (or index). */
export function containerAt(model: ServiceModel, file: string, kind: string, workload: string, container: string): ContainerNode | undefined {
  return model.containers.find((c) => c.id === `container:${file}#${kind}/${workload}/${container}`);
}

/** Links from or to a node. */
export function linksOf(model: ServiceModel, id: string): Link[] {
  return model.links.filter((l) => l.from === id || l.to === id);
}

/** Why a node is not linked (empty when it is). */
export function unlinkedOf(model: ServiceModel, id: string): Unlinked[] {
  return model.unlinked.filter((u) => u.node === id);
}

/** The file a node lives in (a main package's first file); undefined for image nodes. */
export function nodeFile(model: ServiceModel, id: string): string | undefined {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  const rest = id.slice(at + 1);
  if (kind === 'main') return model.mains.find((m) => m.id === id)?.files[0];
  if (kind === 'dockerfile' || kind === 'module') return rest;
  if (kind === 'container' || kind === 'workload' || kind === 'service' || kind === 'hpa') return rest.slice(0, rest.lastIndexOf('#'));
  return undefined;
}
