import { defineCrossRule, type RuleContext } from '../../../engine/rule';
import type { Fix, RelatedInfo, Span } from '../../../core/finding';
import type { DockerFile } from '../../../languages/docker/parser';
import type { K8sFile } from '../../../languages/k8s/parser';
import { k8sContainers, k8sObjects, type Container } from '../../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../../languages/k8s/model/resources';
import { hasEnvFrom } from '../../../languages/k8s/model/env';
import { probeTargets } from '../../../languages/k8s/model/ports';
import { mapAt, mapItems, scalarAt, seqAt, spanOf } from '../../../languages/k8s/nodes';
import { scalarsOf } from '../../../workspace/image-links';
import { DOCKER_FACTS } from '../../../workspace/service-model';
import type { ContainerNode, MainPackageNode } from '../../../workspace/service-model/types';
import { imageDockerfile, linkedGo } from '../../shared/linked-service';
import { imageEnv, listenSet, runSettings, type ListenSet } from './listen-ports';

/**
 * Flags ports the manifests and the Dockerfile give a Go service that its
 * code does not listen on: a `containerPort`, a probe's numeric port, a
 * Service's numeric `targetPort`, a Dockerfile `EXPOSE`. The listen ports come
 * from the service model (`http.ListenAndServe`, `http.Server{Addr}`,
 * `net.Listen`, gin/echo/fiber), resolved through `os.Getenv` (the manifest's
 * `env`, then the image's `ENV`, then the code's default) and flags (the
 * command line, then the flag's default). Silent when one listen address is
 * not known (a config file, an env var from a Secret or `envFrom`), when the
 * container is not linked to exactly one Go binary it runs, and, for probes
 * and Services, on ports the container declares beside one it does listen on
 * (a metrics port a library opens is not in the code the model reads).
 * `k8s/probe-port-mismatch` is about probe ports the container does not
 * declare; this rule compares with what the code listens on.
 */
export const rule = defineCrossRule({
  id: 'x/port-mismatch',
  appliesTo: ['k8s', 'docker'],
  meta: {
    title: 'Port the Go service does not listen on',
    description: 'A containerPort, probe port, Service targetPort or EXPOSE that differs from the port the linked Go code listens on: traffic and probes reach nothing.',
    severity: 'error',
    fixable: true,
    messages: {
      containerPort: 'containerPort {port} is not a port {service} listens on ({listens}): what targets it reaches nothing',
      probe: '{probe} port {port} is not a port {service} listens on ({listens}): the probe always fails',
      targetPort: 'targetPort {port} is not a port {service} listens on ({listens}): the Service\'s connections are refused',
      expose: 'EXPOSE {port} is not a port {service} listens on ({listens}): the image documents the wrong port',
    },
    figures: {
      declared: { label: 'Port declared here', unit: 'text' },
      listens: { label: 'Ports the Go code listens on', unit: 'text' },
    },
  },
  check(ctx, file) {
    if (file.kind === 'k8s') checkManifest(ctx, file);
    else if (file.kind === 'docker') checkDockerfile(ctx, file);
  },
});

type Ctx = RuleContext<unknown, 'containerPort' | 'probe' | 'targetPort' | 'expose'>;

interface Listening {
  main: MainPackageNode;
  name: string;
  listens: ListenSet;
}

/** The listen ports of the Go program a manifest container runs, under the container's env and command line. */
function listeningOf(ctx: Ctx, c: Container): Listening | undefined {
  const linked = linkedGo(ctx.workspace, ctx.filePath, c);
  if (!linked) return undefined;
  const doc = c.workload.doc;
  const env = c.env.map((e) => ({ name: e.name, value: e.value ? String(e.value.value) : undefined, fromSource: e.valueFrom !== undefined }));
  const command = seqAt(doc, c.map, 'command') ? scalarsOf(c, 'command') : undefined;
  const args = seqAt(doc, c.map, 'args') ? scalarsOf(c, 'args') : undefined;
  const listens = listenSet(linked.main, runSettings({ env, envFrom: hasEnvFrom(c), command, args }, linked.dockerfile));
  return listens ? { main: linked.main, name: linked.service.entry.name, listens } : undefined;
}

/** Reports a port; the fix writes the listen port when there is one, and `fixable` (one declared port: which of several to change is a guess). */
function report(ctx: Ctx, messageId: 'containerPort' | 'probe' | 'targetPort' | 'expose', span: Span, port: number, l: Listening, fixable: boolean, extra: Record<string, string> = {}): void {
  const fixes = (): Fix[] => {
    if (!fixable || l.listens.ports.length !== 1) return [];
    const to = String(l.listens.ports[0]);
    return [{ title: `Use port ${to}, the port the Go code listens on`, edits: [{ ...span, newText: to }], preferred: true, safe: l.listens.certain }];
  };
  const related: RelatedInfo[] = l.listens.related.slice(0, 4);
  ctx.report({
    span, messageId, fixes, related,
    data: { port, service: `Go service ${l.name}`, listens: l.listens.ports.join(', '), ...extra },
    figures: { declared: String(port), listens: l.listens.labels.join(', ') },
  });
}

function checkManifest(ctx: Ctx, file: K8sFile): void {
  if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
  for (const c of k8sContainers(file)) {
    if (c.isPartial || !c.image) continue;
    const tcp = c.ports.filter((p) => p.containerPort !== undefined && (p.protocol === undefined || p.protocol === 'TCP'));
    const probes = probeTargets(c).filter((t) => typeof t.port === 'number' && !t.quoted);
    if (tcp.length === 0 && probes.length === 0) continue;
    const l = listeningOf(ctx, c);
    if (!l) continue;
    const declared = tcp.map((p) => p.containerPort as number);
    const anyListened = declared.some((p) => l.listens.ports.includes(p));
    // Declared ports beside one the code listens on may be opened by a library: trusted.
    if (!anyListened) {
      for (const p of tcp) {
        const span = spanOf(scalarAt(c.workload.doc, p.map, 'containerPort'));
        if (span) report(ctx, 'containerPort', span, p.containerPort as number, l, tcp.length === 1);
      }
    }
    for (const t of probes) {
      const port = t.port as number;
      if (l.listens.ports.includes(port) || (anyListened && declared.includes(port))) continue;
      const span = spanOf(t.portNode);
      if (span) report(ctx, 'probe', span, port, l, true, { probe: t.probe });
    }
  }
  checkServices(ctx, file);
}

/** Services of this manifest whose numeric targetPort none of the selected Go containers listens on. */
function checkServices(ctx: Ctx, file: K8sFile): void {
  for (const o of k8sObjects(file)) {
    if (o.kind !== 'Service' || o.name === undefined) continue;
    const doc = o.doc.doc;
    const ports = mapItems(doc, seqAt(doc, mapAt(doc, o.map, 'spec'), 'ports'));
    const numeric = ports.map((p) => scalarAt(doc, p, 'targetPort')).filter((s) => s !== undefined && typeof s.value === 'number');
    if (numeric.length === 0) continue;
    const model = ctx.workspace.serviceModel();
    const selected = model?.k8sService(ctx.filePath, o.name);
    if (!model || !selected || selected.containers.length === 0) continue;
    const listening = selected.containers.map((c) => containerListening(ctx, c));
    if (listening.some((x) => x === undefined)) continue;
    const all = listening as (Listening & { declared: number[] })[];
    // As for probes: declared ports count only beside one the code listens on.
    const known = new Set(all.flatMap((x) => [...x.listens.ports, ...(x.declared.some((p) => x.listens.ports.includes(p)) ? x.declared : [])]));
    const [first] = all;
    for (const s of numeric) {
      const port = s?.value as number;
      const span = spanOf(s);
      if (known.has(port) || !span) continue;
      report(ctx, 'targetPort', span, port, first, all.length === 1);
    }
  }
}

/** A selected container (maybe of another manifest), read from the model's facts: Go and its listen ports, or undefined. */
function containerListening(ctx: Ctx, c: ContainerNode): (Listening & { declared: number[] }) | undefined {
  const model = ctx.workspace.serviceModel();
  const services = model?.serviceOf(c.id) ?? [];
  const main = services.length === 1 ? services[0].main : undefined;
  if (!main || c.runs !== 'go') return undefined;
  const f = c.facts;
  const listens = listenSet(main, runSettings({ env: f.env, envFrom: f.envFrom, command: f.command, args: f.args }, imageDockerfile(ctx.workspace, c)));
  const declared = f.ports.map((p) => p.containerPort).filter((p): p is number => p !== undefined);
  return listens ? { main, name: services[0].entry.name, listens, declared } : undefined;
}

/** EXPOSE of a Dockerfile whose image runs a Go main package: compared with the ports under the image's own ENV and command line. */
function checkDockerfile(ctx: Ctx, file: DockerFile): void {
  const facts = ctx.workspace.factOfParsed(file, DOCKER_FACTS);
  const expose = facts.expose.filter((e) => e.protocol === undefined || e.protocol === 'tcp');
  if (expose.length === 0) return;
  const start = (facts.entrypoint ?? facts.cmd)?.words[0] ?? '';
  if (/(^|\/)(sh|bash|ash|dash|busybox)$|\.sh$/.test(start)) return;
  const services = ctx.workspace.serviceModel()?.serviceOf(ctx.filePath) ?? [];
  const main = services.length === 1 ? services[0].main : undefined;
  if (!main) return;
  const words = [...(facts.entrypoint?.words ?? []), ...(facts.cmd?.words ?? [])];
  const listens = listenSet(main, { env: new Map(), envFrom: false, words, imageEnv: imageEnv(facts.env) });
  if (!listens || expose.some((e) => listens.ports.includes(e.port))) return;
  const l: Listening = { main, name: services[0].entry.name, listens };
  for (const e of expose) report(ctx, 'expose', e.span, e.port, l, expose.length === 1);
}
