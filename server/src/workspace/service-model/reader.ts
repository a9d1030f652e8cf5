import * as path from 'node:path';
import { nodeFile, serviceOf, type ServiceView } from './query';
import type { ContainerNode, GoModuleNode, K8sServiceNode, Link, ServiceModel, Unlinked, WorkloadNode } from './types';

/**
 * What a rule reads of the service model (`ctx.workspace.serviceModel()`).
 * The model itself is built and kept by the engine, once per audit and
 * incrementally in the language server; this reader answers queries about
 * it and records, as dependencies of the analysis that asks, every file its
 * answer rests on: the service's Go files (the main package's and those of
 * the module's packages it imports, with their folders, so a new file is
 * seen), its go.mod, Dockerfiles, manifests (containers, workloads, the
 * Services that select them) and the build files that state its links. An
 * edit to any of them re-runs the asking rule (editor) and invalidates its
 * cached findings (audit cache).
 *
 * The model is never handed out whole: a read that records nothing would
 * let the editor and the cache go stale.
 */
export interface ServiceModelReader {
  /** The services a node (by id) or a file (a main package's Go file, a Dockerfile, a manifest) belongs to. */
  serviceOf(idOrFile: string): ServiceView[];
  /**
   * A container of a manifest by workload kind and name and container name
   * (or index when it has none), with the services it belongs to (none when
   * it is linked to nothing this workspace builds).
   */
  container(file: string, kind: string, workload: string, container: string): { node: ContainerNode; services: ServiceView[] } | undefined;
  /** A Kubernetes Service of a manifest by name, with the workloads its selector picks and their containers. */
  k8sService(file: string, name: string): { node: K8sServiceNode; workloads: WorkloadNode[]; containers: ContainerNode[] } | undefined;
  /** Links from or to a node. */
  linksOf(id: string): Link[];
  /** Why a node is not linked (empty when it is): `ambiguous` with its candidates, `no-candidate`, `unresolved`... */
  unlinkedOf(id: string): Unlinked[];
  /** A Go module node by id (`module:<go.mod>`): the main package's `go` line, toolchain. */
  module(id: string): GoModuleNode | undefined;
}

/** A reader over `model` that records with `record(path)` the files each answer rests on. */
export function modelReader(model: ServiceModel, record: (filePath: string) => void): ServiceModelReader {
  const recordService = (v: ServiceView): void => {
    if (v.main) {
      record(v.main.dir);
      for (const f of v.main.sources) record(f);
      for (const dir of new Set(v.main.sources.map((f) => path.dirname(f)))) record(dir);
      if (v.main.module) record(v.main.module.slice('module:'.length));
    }
    for (const d of v.dockerfiles) record(d.file);
    for (const c of v.containers) record(c.file);
    for (const id of v.entry.k8sServices) {
      const f = nodeFile(model, id);
      if (f) record(f);
    }
    const ids = [v.entry.main, ...v.entry.dockerfiles, ...v.entry.containers].filter((x): x is string => x !== undefined);
    for (const id of ids) recordNode(id);
  };
  const recordNode = (id: string): void => {
    for (const l of model.links) if ((l.from === id || l.to === id) && l.via) record(l.via.file);
    for (const u of model.unlinked) {
      if (u.node !== id) continue;
      for (const c of u.candidates ?? []) {
        const f = nodeFile(model, c);
        if (f) record(f);
      }
    }
  };
  const services = (idOrFile: string): ServiceView[] => {
    const found = serviceOf(model, idOrFile);
    for (const v of found) recordService(v);
    return found;
  };
  return {
    serviceOf: services,
    container(file, kind, workload, container) {
      record(file);
      const node = model.containers.find((c) => c.id === `container:${file}#${kind}/${workload}/${container}`);
      if (!node) return undefined;
      recordNode(node.id);
      return { node, services: services(node.id) };
    },
    k8sService(file, name) {
      record(file);
      const node = model.k8sServices.find((s) => s.id === `service:${file}#${name}`);
      if (!node) return undefined;
      const workloads = model.workloads.filter((w) => node.workloads.includes(w.id));
      for (const w of workloads) record(w.file);
      const containers = model.containers.filter((c) => workloads.some((w) => w.containers.includes(c.id)));
      return { node, workloads, containers };
    },
    linksOf(id) {
      recordNode(id);
      const links = model.links.filter((l) => l.from === id || l.to === id);
      for (const l of links) {
        for (const end of [l.from, l.to]) {
          const f = nodeFile(model, end);
          if (f) record(f);
        }
      }
      return links;
    },
    unlinkedOf(id) {
      recordNode(id);
      return model.unlinked.filter((u) => u.node === id);
    },
    module(id) {
      const m = model.modules.find((x) => x.id === id);
      if (m) record(m.file);
      return m;
    },
  };
}
