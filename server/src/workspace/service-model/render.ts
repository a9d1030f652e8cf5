import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SourceText } from '../../core/source-text';
import type { ContainerNode, Link, MapRow, ServiceEntry, ServiceModel, Unlinked } from './types';

/**
 * The service map for people (text), for tools (JSON: the model with paths
 * relative to a base folder) and for diagrams (Mermaid `flowchart`). Shared by
 * `shipshape map` and the editor's Service Map view.
 */

export type MapFormat = 'text' | 'json' | 'mermaid';

export function renderMap(model: ServiceModel, format: MapFormat, base: string): string {
  if (format === 'json') return `${JSON.stringify(relativeModel(model, base), null, 2)}\n`;
  if (format === 'mermaid') return mermaidMap(model, base);
  return textMap(model, base);
}

/** The model with every absolute path under `base` written relative to it (ids too: `main:cmd/api`). */
export function relativeModel(model: ServiceModel, base: string): ServiceModel {
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  return JSON.parse(JSON.stringify(model, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (value === base) return '.';
    return value.split(prefix).join('').replace(/^(main|dockerfile|module):$/, '$1:.');
  })) as ServiceModel;
}

function rel(base: string, p: string): string {
  const r = path.relative(base, p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}

/** A node id for people: `main:/w/cmd/api` → `main package cmd/api`. */
export function describeNode(model: ServiceModel, id: string, base: string): string {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  const rest = id.slice(at + 1);
  const hash = rest.lastIndexOf('#');
  const file = hash >= 0 ? rel(base, rest.slice(0, hash)) : rel(base, rest);
  const tail = hash >= 0 ? rest.slice(hash + 1) : '';
  switch (kind) {
    case 'main': return `main package ${file}`;
    case 'dockerfile': return `Dockerfile ${file}`;
    case 'container': {
      const c = model.containers.find((x) => x.id === id);
      return `container ${tail.split('/').slice(2).join('/')} of ${tail.split('/').slice(0, 2).join(' ')} (${file})${c?.facts.image ? ` image ${c.facts.image}` : ''}`;
    }
    case 'workload': return `${tail.replace('/', ' ')} (${file})`;
    case 'service': return `Service ${tail} (${file})`;
    case 'hpa': return `HPA ${tail} (${file})`;
    case 'image': return `image ${rest}`;
    default: return id;
  }
}

function linkLine(model: ServiceModel, l: Link, base: string, self: string): string {
  const other = l.from === self ? l.to : l.from;
  return `${l.kind}: ${l.reason}${other.startsWith('image:') ? '' : ` [${describeNode(model, other, base)}]`}`;
}

function textMap(model: ServiceModel, base: string): string {
  const out: string[] = [];
  const linksOf = (id: string): Link[] => model.links.filter((l) => l.from === id);
  for (const s of model.services) {
    out.push(`service ${s.name}`);
    const main = model.mains.find((m) => m.id === s.main);
    if (main) {
      const mod = model.modules.find((m) => m.id === main.module);
      out.push(`  main package  ${rel(base, main.dir)}${mod?.module ? `  (module ${mod.module}${mod.go ? `, go ${mod.go}` : ''})` : ''}`);
      if (main.routes.length) out.push(`    routes      ${main.routes.map((r) => `${r.method ? `${r.method} ` : ''}${r.path}${r.framework === 'net/http' ? '' : ` (${r.framework})`}`).join(', ')}`);
      for (const l of main.listens) out.push(`    listens     ${l.text || '(default)'} via ${l.via}${l.port ? ` -> port ${l.port}` : ''}${l.env ? ` (env ${l.env.name}${l.env.default !== undefined ? `, default ${l.env.default}` : ''})` : ''}${l.flag ? ` (flag -${l.flag.name}${l.flag.default !== undefined ? `, default ${l.flag.default}` : ''})` : ''}`);
      out.push(`    shutdown    ${main.shutdown ? `graceful${main.shutdownTimeout ? `, deadline ${main.shutdownTimeout.text}` : ''}` : 'no Shutdown/GracefulStop call'}; SIGTERM ${main.sigterm ? 'handled' : 'not handled'}`);
      const extras = [main.automaxprocs ? 'automaxprocs' : '', main.automemlimit ? 'automemlimit' : '', main.outboundHttps ? `outbound HTTPS (${main.outboundHttps.what})` : ''].filter(Boolean);
      if (extras.length) out.push(`    runtime     ${extras.join(', ')}`);
    }
    for (const id of s.dockerfiles) {
      const d = model.dockerfiles.find((x) => x.id === id);
      if (!d) continue;
      const f = d.facts;
      const user = f.user ? f.user.value : f.nonrootBase ? 'nonroot (base)' : 'root';
      out.push(`  Dockerfile    ${rel(base, d.file)}  (context ${rel(base, d.context)}; final ${f.finalBase ?? '?'}; user ${user}${f.expose.length ? `; EXPOSE ${f.expose.map((e) => e.port).join(' ')}` : ''})`);
      for (const l of linksOf(id)) out.push(`    <- ${linkLine(model, l, base, id)}`);
    }
    for (const w of s.workloads) {
      const node = model.workloads.find((x) => x.id === w);
      if (!node) continue;
      out.push(`  workload      ${node.facts.kind} ${node.facts.name ?? '?'}  (${rel(base, node.file)})`);
      for (const c of model.containers.filter((x) => x.workload === w && s.containers.includes(x.id))) out.push(...containerLines(model, c, base, linksOf(c.id)));
    }
    for (const id of s.k8sServices) {
      const svc = model.k8sServices.find((x) => x.id === id);
      if (svc) out.push(`  Service       ${svc.facts.name ?? '?'}  ports ${svc.facts.ports.map((p) => `${p.port ?? '?'}->${p.targetPort ?? p.port ?? '?'}`).join(', ')}  (${rel(base, svc.file)})`);
    }
    out.push(`  ports         listens ${list(s.ports.listens)}; EXPOSE ${list(s.ports.expose)}; containerPort ${list(s.ports.containerPorts)}; Service ${list(s.ports.servicePorts)}`);
    for (const p of s.probes) out.push(`  probe         ${p.kind} ${p.path}: ${p.served === 'yes' ? `served (${p.route ?? ''})` : p.served === 'no' ? 'NOT served by any route' : 'routes unknown'}`);
    out.push('');
  }
  const unlinked = model.unlinked;
  if (unlinked.length) {
    out.push('not linked');
    for (const u of unlinked) out.push(...unlinkedLines(model, u, base));
    out.push('');
  }
  const counts = `${model.services.length} service(s), ${model.links.length} link(s), ${unlinked.length} not linked`;
  out.push(counts);
  return `${out.join('\n')}\n`;
}

function list(xs: readonly number[]): string {
  return xs.length ? xs.join(' ') : '-';
}

function containerLines(model: ServiceModel, c: ContainerNode, base: string, links: readonly Link[]): string[] {
  const name = c.id.slice(c.id.lastIndexOf('/') + 1);
  const out = [`    container   ${name}  image ${c.images.join(' -> ') || '(none)'}  runs ${c.runs}: ${c.runsReason}${c.user ? `; user ${c.user.value}` : ''}`];
  for (const l of links) out.push(`      <- ${linkLine(model, l, base, c.id)}`);
  return out;
}

function unlinkedLines(model: ServiceModel, u: Unlinked, base: string): string[] {
  return [`  ${describeNode(model, u.node, base)}: ${u.why}: ${u.reason}`];
}

// ---- Mermaid ----

function mermaidMap(model: ServiceModel, base: string): string {
  const ids = new Map<string, string>();
  const key = (id: string): string => {
    let k = ids.get(id);
    if (!k) ids.set(id, (k = `n${ids.size}`));
    return k;
  };
  const label = (s: string): string => s.replace(/"/g, '#quot;');
  const lines = ['flowchart LR'];
  const unlinked = new Set(model.unlinked.map((u) => u.node));
  const node = (id: string, text: string, shape: 'box' | 'round' | 'stadium'): void => {
    const [open, close] = shape === 'round' ? ['(', ')'] : shape === 'stadium' ? ['([', '])'] : ['[', ']'];
    lines.push(`  ${key(id)}${open}"${label(text)}"${close}${unlinked.has(id) ? ':::unlinked' : ''}`);
  };
  const grouped = (s: ServiceEntry): void => {
    lines.push(`  subgraph ${key(`svc:${s.name}:${s.main ?? s.dockerfiles.at(0) ?? ''}`)}["${label(`service ${s.name}`)}"]`);
    if (s.main) node(s.main, `main ${rel(base, s.main.slice(5))}`, 'round');
    for (const d of s.dockerfiles) node(d, `Dockerfile ${rel(base, d.slice('dockerfile:'.length))}`, 'box');
    for (const c of s.containers) node(c, containerLabel(model, c), 'stadium');
    lines.push('  end');
  };
  for (const s of model.services) grouped(s);
  const inServices = new Set(model.services.flatMap((s) => [s.main, ...s.dockerfiles, ...s.containers].filter((x): x is string => x !== undefined)));
  for (const m of model.mains) if (!inServices.has(m.id)) node(m.id, `main ${rel(base, m.dir)}`, 'round');
  for (const d of model.dockerfiles) if (!inServices.has(d.id)) node(d.id, `Dockerfile ${rel(base, d.file)}`, 'box');
  for (const c of model.containers) if (!inServices.has(c.id)) node(c.id, containerLabel(model, c.id), 'stadium');
  for (const s of model.k8sServices) node(s.id, `Service ${s.facts.name ?? '?'}`, 'box');
  for (const l of model.links) {
    if (l.kind === 'service-selector' || l.kind === 'hpa-target') continue;
    if (l.to.startsWith('image:') && !ids.has(l.to)) node(l.to, l.to.slice('image:'.length), 'box');
    lines.push(`  ${key(l.from)} -->|${l.kind}| ${key(l.to)}`);
  }
  for (const s of model.k8sServices) {
    for (const w of s.workloads) for (const c of model.containers.filter((x) => x.workload === w)) lines.push(`  ${key(s.id)} -.-> ${key(c.id)}`);
  }
  lines.push('  classDef unlinked stroke-dasharray: 5 5,stroke:#c33');
  return `${lines.join('\n')}\n`;
}

function containerLabel(model: ServiceModel, id: string): string {
  const c = model.containers.find((x) => x.id === id);
  const tail = id.slice(id.lastIndexOf('#') + 1).split('/');
  return `${tail[0]} ${tail[1]}/${tail.slice(2).join('/')}${c?.facts.image ? `<br/>${c.facts.image}` : ''}`;
}

// ---- the editor's tree ----

/** The map as rows of the editor's Service Map view: services with their nodes and links, then what is not linked. */
export function treeMap(model: ServiceModel, base: string, uriOf: (file: string) => string, lineOf: (file: string, offset: number) => number): MapRow[] {
  const at = (file: string, offset?: number): Pick<MapRow, 'uri' | 'line'> => ({ uri: uriOf(file), line: offset === undefined ? 0 : lineOf(file, offset) });
  const linkRows = (id: string): MapRow[] => model.links.filter((l) => l.from === id).map((l) => ({
    kind: 'link', label: l.kind, description: l.reason, tooltip: l.reason, ...(l.via ? at(l.via.file, l.via.span?.start) : {}),
  }));
  const items: MapRow[] = model.services.map((s) => {
    const children: MapRow[] = [];
    const main = model.mains.find((m) => m.id === s.main);
    if (main) {
      const facts: MapRow[] = [
        ...main.routes.map((r) => ({ kind: 'info', label: `${r.method ? `${r.method} ` : ''}${r.path}`, description: r.framework, ...at(r.file, r.span.start) })),
        ...main.listens.map((l) => ({ kind: 'info', label: `listens ${l.port ?? l.text}`, description: `${l.via}${l.env ? ` (env ${l.env.name})` : ''}${l.flag ? ` (flag -${l.flag.name})` : ''}`, ...at(l.file, l.span.start) })),
        { kind: 'info', label: main.shutdown ? `shutdown${main.shutdownTimeout ? ` within ${main.shutdownTimeout.text}` : ''}` : 'no graceful shutdown', description: main.sigterm ? 'SIGTERM handled' : 'SIGTERM not handled' },
      ];
      children.push({ kind: 'main', label: `main package ${rel(base, main.dir)}`, description: main.importPath, ...(main.files[0] ? at(main.files[0]) : {}), children: facts });
    }
    for (const id of s.dockerfiles) {
      const d = model.dockerfiles.find((x) => x.id === id);
      if (d) children.push({ kind: 'dockerfile', label: `Dockerfile ${rel(base, d.file)}`, description: `${d.facts.finalBase ?? ''}${d.facts.user ? `, USER ${d.facts.user.value}` : ''}`, tooltip: `context: ${d.contextReason}`, ...at(d.file), children: linkRows(id) });
    }
    for (const cid of s.containers) {
      const c = model.containers.find((x) => x.id === cid);
      if (!c) continue;
      const probes: MapRow[] = s.probes.filter((p) => p.container === cid).map((p) => ({ kind: p.served === 'no' ? 'unlinked' : 'info', label: `${p.kind} ${p.path}`, description: p.served === 'yes' ? `served by ${p.route ?? ''}` : p.served === 'no' ? 'not served by any route' : 'routes unknown' }));
      children.push({ kind: 'container', label: describeNode(model, cid, base), description: `runs ${c.runs}`, tooltip: c.runsReason, ...at(c.file, c.facts.span.start), children: [...linkRows(cid), ...probes] });
    }
    const ports = s.ports;
    return { kind: 'service', label: s.name, description: `listens ${list(ports.listens)} · EXPOSE ${list(ports.expose)} · containerPort ${list(ports.containerPorts)}`, children };
  });
  if (model.unlinked.length) {
    items.push({
      kind: 'unlinked', label: 'Not linked', description: String(model.unlinked.length),
      children: model.unlinked.map((u) => {
        const file = nodeFileOf(model, u.node);
        return { kind: 'unlinked', label: describeNode(model, u.node, base), description: `${u.why}: ${u.reason}`, tooltip: u.reason, ...(file ? at(file.file, file.offset) : {}) };
      }),
    });
  }
  return items;
}

function nodeFileOf(model: ServiceModel, id: string): { file: string; offset?: number } | undefined {
  const c = model.containers.find((x) => x.id === id);
  if (c) return { file: c.file, offset: c.facts.imageSpan?.start ?? c.facts.span.start };
  const d = model.dockerfiles.find((x) => x.id === id);
  if (d) return { file: d.file };
  const s = model.k8sServices.find((x) => x.id === id);
  if (s) return { file: s.file, offset: s.facts.span.start };
  return undefined;
}

/** What the editor's Service Map view shows: the rows, counts and the Mermaid text (the `shipshape/serviceMap` answer). */
export interface MapView {
  items: MapRow[];
  services: number;
  links: number;
  unlinked: number;
  mermaid: string;
}

/** The map view of a built model; rows open their file at the line (positions from the files' own text). */
export function mapView(model: ServiceModel, folders: readonly string[], readText: (file: string) => string | undefined): MapView {
  const texts = new Map<string, SourceText | undefined>();
  const lineOf = (file: string, offset: number): number => {
    if (!texts.has(file)) {
      const text = readText(file);
      texts.set(file, text === undefined ? undefined : new SourceText(text));
    }
    return texts.get(file)?.lineOf(offset) ?? 0;
  };
  const base = folders.length === 1 ? folders[0] : path.parse(folders[0] ?? '/').root;
  return {
    items: treeMap(model, base, (f) => pathToFileURL(f).href, lineOf),
    services: model.services.length,
    links: model.links.length,
    unlinked: model.unlinked.length,
    mermaid: renderMap(model, 'mermaid', base),
  };
}
