import * as path from 'node:path';
import { imageBaseName } from '../image-links';
import { moduleBaseName } from '../build-context';
import type { FileFacts } from './collect';
import type { ImageBuild } from './build-facts';
import type { GoRoute, GoServiceFacts } from './go-facts';
import type { RouteEvidence } from './route-doubts';
import type {
  ContainerNode, DockerfileNode, GoModuleNode, HpaNode, K8sServiceNode, Link, LinkKind, Located, MainPackageNode, ProbeCheck, ServiceEntry,
  ServiceModel, Unlinked, WorkloadNode,
} from './types';

/**
 * Builds the model from per-file facts: a pure function of the facts (no
 * I/O), so re-linking after one file's facts change needs no file read.
 * Links are explicit first (skaffold, compose, kustomize `images:`, `ko://`,
 * `docker build` lines, a Dockerfile's `go build`), then by name, accepted
 * only when exactly one candidate matches.
 */
export function linkModel(roots: readonly string[], files: ReadonlyMap<string, FileFacts>): ServiceModel {
  const b = new Linker(roots, files);
  return b.run();
}

/** Folder names that say nothing of the service (`src/cartservice/src/Dockerfile`). */
const GENERIC_DIRS = new Set(['src', 'build', 'docker', 'deploy', 'image', 'images', 'dockerfiles', '.', '']);

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);

/** An image reference without tag or digest: `ghcr.io/acme/api:1.2` → `ghcr.io/acme/api`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return (colon > slash ? noDigest.slice(0, colon) : noDigest).toLowerCase();
}

function rel(roots: readonly string[], p: string): string {
  for (const r of roots) {
    const x = path.relative(r, p);
    if (!x.startsWith('..') && !path.isAbsolute(x)) return x === '' ? '.' : x;
  }
  return p;
}

type PackageSummary = Pick<MainPackageNode, 'sources' | 'routes' | 'routeDoubts' | 'listens' | 'shutdown' | 'shutdownTimeout' | 'outboundHttps' | 'sigterm' | 'automaxprocs' | 'automemlimit'> & {
  /** Folders of the module's packages it imports. */
  imports: Set<string>;
  routerNames: string[];
  servedHandlers: Located<RouteEvidence['servedHandlers'][number]>[];
};

interface Target {
  dockerfile?: DockerfileNode;
  main?: MainPackageNode;
  /** Built by ko (no Dockerfile). */
  ko?: boolean;
}

interface ExplicitBuild extends ImageBuild {
  /** The build file. */
  file: string;
  kind: 'skaffold' | 'compose' | 'build-script';
}

class Linker {
  private readonly modules: GoModuleNode[] = [];
  private readonly mains: MainPackageNode[] = [];
  private readonly dockerfiles: DockerfileNode[] = [];
  private readonly workloads: WorkloadNode[] = [];
  private readonly containers: ContainerNode[] = [];
  private readonly k8sServices: K8sServiceNode[] = [];
  private readonly hpas: HpaNode[] = [];
  private readonly links: Link[] = [];
  private readonly unlinked: Unlinked[] = [];
  private readonly builds: ExplicitBuild[] = [];
  private readonly kustomizations: { file: string; images: { name: string; newName?: string }[] }[] = [];
  private readonly goByDir = new Map<string, { file: string; facts: GoServiceFacts }[]>();
  private readonly linkKeys = new Set<string>();
  /** Outgoing and incoming links by node id (lookups while linking). */
  private readonly linksFrom = new Map<string, Link[]>();
  private readonly linksTo = new Map<string, Link[]>();
  /** Explicit builds by image repository. */
  private readonly buildsByRepo = new Map<string, ExplicitBuild[]>();
  private readonly byId = new Map<string, MainPackageNode | DockerfileNode>();

  constructor(
    private readonly roots: readonly string[],
    private readonly files: ReadonlyMap<string, FileFacts>,
  ) {}

  run(): ServiceModel {
    this.collectNodes();
    this.linkDockerfilesToMains();
    this.linkContainers();
    this.linkK8sServices();
    return {
      roots: [...this.roots],
      modules: this.modules, mains: this.mains, dockerfiles: this.dockerfiles, workloads: this.workloads,
      containers: this.containers, k8sServices: this.k8sServices, hpas: this.hpas,
      links: this.links, unlinked: this.unlinked,
      services: this.group(),
    };
  }

  private r(p: string): string {
    return rel(this.roots, p);
  }

  private link(kind: LinkKind, from: string, to: string, reason: string, via?: Link['via']): void {
    const key = `${from}\u0000${to}`;
    if (this.linkKeys.has(key)) return;
    this.linkKeys.add(key);
    const l: Link = { kind, from, to, reason, ...(via ? { via } : {}) };
    this.links.push(l);
    this.linksFrom.set(from, [...(this.linksFrom.get(from) ?? []), l]);
    this.linksTo.set(to, [...(this.linksTo.get(to) ?? []), l]);
  }

  // ---- nodes ----

  private collectNodes(): void {
    for (const [file, f] of this.files) {
      if (f.type === 'gomod') this.modules.push({ id: `module:${file}`, file, dir: path.dirname(file), module: f.mod.module, go: f.mod.go, toolchain: f.mod.toolchain });
      else if (f.type === 'go') {
        const dir = path.dirname(file);
        const list = this.goByDir.get(dir) ?? [];
        list.push({ file, facts: f.facts });
        this.goByDir.set(dir, list);
      } else if (f.type === 'build') {
        if (f.facts.kind === 'kustomization') this.kustomizations.push({ file, images: f.facts.images });
        else for (const b of f.facts.builds) this.builds.push({ ...b, file, kind: f.facts.kind === 'script' ? 'build-script' : f.facts.kind });
      }
    }
    const dockerfiles = new Set([...this.files].filter(([, f]) => f.type === 'docker').map(([p]) => p));
    for (const b of this.builds) if (b.asWritten && b.dockerfile && !dockerfiles.has(b.dockerfile)) this.rebase(b, dockerfiles);
    this.modules.sort((a, b) => b.dir.length - a.dir.length); // nearest first
    for (const [dir, list] of this.goByDir) {
      const mainFiles = list.filter((g) => g.facts.packageName === 'main');
      if (!mainFiles.some((g) => g.facts.hasMain)) continue;
      this.mains.push(this.mainNode(dir, mainFiles.map((g) => g.file)));
    }
    this.mains.sort((a, b) => a.dir.localeCompare(b.dir));
    for (const [file, f] of this.files) {
      if (f.type === 'docker') this.dockerfiles.push(this.dockerfileNode(file, f.facts));
      if (f.type !== 'manifest') continue;
      for (const w of f.facts.workloads) {
        const wid = `workload:${file}#${w.kind}/${w.name ?? '?'}`;
        const { containers, ...rest } = w;
        const node: WorkloadNode = { id: wid, file, facts: rest, containers: [] };
        this.workloads.push(node);
        containers.forEach((c, i) => {
          const id = `container:${file}#${w.kind}/${w.name ?? '?'}/${c.name ?? String(i)}`;
          node.containers.push(id);
          this.containers.push({ id, file, workload: wid, facts: c, images: c.image ? [c.image] : [], runs: 'unknown', runsReason: 'not linked to a Go main package' });
        });
      }
      for (const s of f.facts.services) this.k8sServices.push({ id: `service:${file}#${s.name ?? '?'}`, file, facts: s, workloads: [] });
      for (const h of f.facts.hpas) this.hpas.push({ id: `hpa:${file}#${h.name ?? '?'}`, file, facts: h });
    }
    for (const n of [...this.mains, ...this.dockerfiles]) this.byId.set(n.id, n);
    for (const b of this.builds) {
      if (b.image === undefined) continue;
      const repo = imageRepository(b.image);
      this.buildsByRepo.set(repo, [...(this.buildsByRepo.get(repo) ?? []), b]);
    }
  }

  /** A script's build, resolved from the first folder at or above the script where its Dockerfile exists. */
  private rebase(b: ExplicitBuild, dockerfiles: ReadonlySet<string>): void {
    const w = b.asWritten;
    if (!w) return;
    for (let dir = path.dirname(path.dirname(b.file)); ; dir = path.dirname(dir)) {
      if (!this.roots.some((r) => dir === r || dir.startsWith(r + path.sep))) return;
      const context = path.resolve(dir, w.context);
      const dockerfile = w.file ? path.resolve(dir, w.file) : path.join(context, 'Dockerfile');
      if (dockerfiles.has(dockerfile)) {
        b.context = context;
        b.dockerfile = dockerfile;
        return;
      }
      if (path.dirname(dir) === dir) return;
    }
  }

  private moduleOf(dir: string): GoModuleNode | undefined {
    return this.modules.find((m) => dir === m.dir || dir.startsWith(m.dir + path.sep));
  }

  private mainNode(dir: string, files: string[]): MainPackageNode {
    const mod = this.moduleOf(dir);
    const importPath = mod?.module ? [mod.module, ...path.relative(mod.dir, dir).split(path.sep).filter(Boolean)].join('/') : undefined;
    const node: MainPackageNode = {
      id: `main:${dir}`, dir, module: mod?.id, importPath, files: files.sort(), sources: [], routes: [], routeDoubts: [], listens: [],
      shutdown: false, sigterm: false, automaxprocs: false, automemlimit: false,
    };
    // The package and the module's packages it imports, transitively (package summaries are computed once per link).
    const seen = new Set<string>([dir]);
    const queue = [dir];
    const routerNames = new Set<string>();
    const servedHandlers: PackageSummary['servedHandlers'] = [];
    while (queue.length > 0) {
      const d = queue.shift() as string; // non-empty: checked by the loop condition
      const sum = this.packageSummary(d, d === dir, mod);
      node.sources.push(...sum.sources);
      node.routes.push(...sum.routes);
      node.routeDoubts.push(...sum.routeDoubts.filter((d) => !(d.importPath && mod?.module && (d.importPath === mod.module || d.importPath.startsWith(`${mod.module}/`)))));
      for (const n of sum.routerNames) routerNames.add(n);
      servedHandlers.push(...sum.servedHandlers);
      node.listens.push(...sum.listens);
      node.shutdown ||= sum.shutdown;
      node.shutdownTimeout ??= sum.shutdownTimeout;
      node.outboundHttps ??= sum.outboundHttps;
      node.automaxprocs ||= sum.automaxprocs;
      node.automemlimit ||= sum.automemlimit;
      node.sigterm ||= sum.sigterm;
      for (const target of sum.imports) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    if (mod && !node.sigterm) node.sigterm = this.moduleHandlesSigterm(mod);
    node.sources.sort();
    // A server given a handler built from none of the routers the package builds: its routes are not the ones read.
    for (const h of servedHandlers) {
      if (!h.names.some((n) => routerNames.has(n))) node.routeDoubts.push({ why: 'opaque-handler', text: h.text, span: h.span, file: h.file });
    }
    return node;
  }

  private readonly summaries = new Map<string, PackageSummary>();
  private readonly moduleSigterm = new Map<string, boolean>();

  /** What one folder's files contribute to a main package that includes it (for the main's own folder, only `package main` files). */
  private packageSummary(dir: string, own: boolean, mod: GoModuleNode | undefined): PackageSummary {
    const key = `${own ? 'main' : 'pkg'}:${dir}`;
    const hit = this.summaries.get(key);
    if (hit) return hit;
    const sum: PackageSummary = { sources: [], routes: [], routeDoubts: [], routerNames: [], servedHandlers: [], listens: [], shutdown: false, sigterm: false, automaxprocs: false, automemlimit: false, imports: new Set() };
    for (const { file, facts } of this.goByDir.get(dir) ?? []) {
      if (own && facts.packageName !== 'main') continue;
      sum.sources.push(file);
      sum.routes.push(...facts.routes.map((r) => ({ ...r, file })));
      sum.routeDoubts.push(...facts.routeEvidence.doubts.map((d) => ({ ...d, file })));
      sum.routerNames.push(...facts.routeEvidence.routerNames);
      sum.servedHandlers.push(...facts.routeEvidence.servedHandlers.map((h) => ({ ...h, file })));
      sum.listens.push(...facts.listens.map((l) => ({ ...l, file })));
      sum.shutdown ||= facts.shutdown;
      if (!sum.shutdownTimeout && facts.shutdownTimeout) sum.shutdownTimeout = { ...facts.shutdownTimeout, file };
      if (!sum.outboundHttps && facts.outboundHttps) sum.outboundHttps = { what: facts.outboundHttps, file };
      sum.automaxprocs ||= facts.automaxprocs;
      sum.automemlimit ||= facts.automemlimit;
      sum.sigterm ||= facts.sigterm;
      if (!mod?.module) continue;
      for (const imp of facts.imports) {
        if (imp !== mod.module && !imp.startsWith(`${mod.module}/`)) continue;
        sum.imports.add(path.join(mod.dir, ...imp.slice(mod.module.length).split('/').filter(Boolean)));
      }
    }
    this.summaries.set(key, sum);
    return sum;
  }

  /** SIGTERM handled by some file of the module (computed once per module and link). */
  private moduleHandlesSigterm(mod: GoModuleNode): boolean {
    let v = this.moduleSigterm.get(mod.id);
    if (v === undefined) {
      v = [...this.goByDir].some(([d, list]) => this.moduleOf(d) === mod && list.some((g) => g.facts.sigterm));
      this.moduleSigterm.set(mod.id, v);
    }
    return v;
  }

  private dockerfileNode(file: string, facts: DockerfileNode['facts']): DockerfileNode {
    const explicit = this.builds.filter((b) => b.dockerfile === file);
    const contexts = [...new Set(explicit.map((b) => b.context))];
    const images = [...new Set(explicit.map((b) => b.image).filter((i): i is string => i !== undefined))];
    if (contexts.length >= 1) {
      const by = explicit.find((b) => b.context === contexts[0]) as ExplicitBuild;
      const more = contexts.length > 1 ? ` (${contexts.length - 1} other context(s) elsewhere: ${contexts.slice(1).map((c) => this.r(c)).join(', ')})` : '';
      return { id: `dockerfile:${file}`, file, context: contexts[0], contextReason: `${this.r(by.file)} builds it from ${this.r(contexts[0])}${more}`, images, facts };
    }
    return { id: `dockerfile:${file}`, file, context: path.dirname(file), contextReason: 'its own folder (no build file names another context)', images, facts };
  }

  // ---- Dockerfile → main package ----

  private mainByImportPath(importPath: string): MainPackageNode | undefined {
    return this.mains.find((m) => m.importPath === importPath);
  }

  private mainAt(dir: string): MainPackageNode | undefined {
    const m = this.byId.get(`main:${dir}`);
    return m && 'dir' in m ? m : undefined;
  }

  private linkDockerfilesToMains(): void {
    for (const d of this.dockerfiles) {
      const builds = d.facts.builds.filter((b) => b.inFinal);
      const candidates = new Map<MainPackageNode, string>();
      const unresolved: string[] = [];
      for (const b of builds.length > 0 ? builds : d.facts.builds) {
        let main: MainPackageNode | undefined;
        let context = d.context;
        if (b.contextDir !== undefined) {
          main = this.mainAt(path.join(context, ...b.contextDir.split('/').filter(Boolean)));
          // A Dockerfile in a sub-folder is usually built with the module root as its context (`docker build -f build/Dockerfile .`).
          const root = this.moduleOf(path.dirname(d.file))?.dir;
          if (!main && !d.contextReason.includes(' builds it from ') && root && root !== context) {
            main = this.mainAt(path.join(root, ...b.contextDir.split('/').filter(Boolean)));
            if (main) context = root;
          }
        } else if (b.package && !b.package.startsWith('.')) main = this.mainByImportPath(b.package.replace(/@.*$/, ''));
        const assumed = context === d.context ? '' : ', taken as the module root since its own folder holds no such package';
        if (main) candidates.set(main, `\`go build ${b.package ?? ''}\`${b.binary ? ` -> ${b.binary}` : ''} in ${this.r(d.file)} builds ${this.r(main.dir)} (context ${this.r(context)}${assumed})`);
        else unresolved.push(b.package ?? '.');
      }
      // Several binaries in the image: the one ENTRYPOINT/CMD starts.
      if (candidates.size > 1) {
        const start = (d.facts.entrypoint ?? d.facts.cmd)?.words[0];
        const started = d.facts.builds.filter((b) => b.finalPath !== undefined && b.finalPath === start);
        if (started.length === 1) {
          const dir = started[0].contextDir;
          for (const m of [...candidates.keys()]) {
            if (dir === undefined || !(m.dir === path.join(d.context, dir) || m.dir.endsWith(path.sep + dir) || (dir === '' && m.dir === d.context))) candidates.delete(m);
          }
        }
      }
      if (candidates.size === 1) {
        const [[main, reason]] = [...candidates];
        const b = d.facts.builds.at(0);
        this.link('go-build', d.id, main.id, reason, { file: d.file, span: b?.span });
        continue;
      }
      if (candidates.size > 1) {
        this.unlinked.push({ node: d.id, wanted: 'dockerfile→main', why: 'ambiguous', reason: `${this.r(d.file)} puts ${candidates.size} Go binaries in the image and its ENTRYPOINT/CMD does not pick one`, candidates: [...candidates.keys()].map((m) => m.id) });
        continue;
      }
      // By name: the binary `-o` names is a main package's folder name.
      const names = new Set(d.facts.builds.map((b) => (b.binary ? path.posix.basename(b.binary).toLowerCase() : '')).filter(Boolean));
      const byBinary = this.mains.filter((m) => names.has(path.basename(m.dir).toLowerCase()));
      if (byBinary.length === 1) {
        this.link('name-binary', d.id, byBinary[0].id, `${this.r(d.file)} builds a binary named ${path.basename(byBinary[0].dir)}, the folder name of main package ${this.r(byBinary[0].dir)} (the only one)`);
        continue;
      }
      if (byBinary.length > 1) {
        this.unlinked.push({ node: d.id, wanted: 'dockerfile→main', why: 'ambiguous', reason: `${byBinary.length} main packages are in folders named like the binary ${this.r(d.file)} builds`, candidates: byBinary.map((m) => m.id) });
        continue;
      }
      if (this.mains.length === 1 && this.dockerfiles.length === 1) {
        this.link('single-main', d.id, this.mains[0].id, `the workspace has one Dockerfile and one Go main package (${this.r(this.mains[0].dir)})`);
        continue;
      }
      const why = !d.facts.buildsGo ? 'not-go' : unresolved.length > 0 ? 'unresolved' : 'no-candidate';
      const reason = !d.facts.buildsGo ? `${this.r(d.file)} does not build Go (no golang stage, no go build)`
        : unresolved.length > 0 ? `\`go build ${unresolved.join(' ')}\` in ${this.r(d.file)} names no main package found in the workspace (context ${this.r(d.context)})`
          : `${this.r(d.file)} builds Go but names no package, and no main package is named like its binary`;
      this.unlinked.push({ node: d.id, wanted: 'dockerfile→main', why, reason });
    }
  }

  // ---- containers → Dockerfile / main ----

  /** kustomize `images:` of kustomizations in the manifest's folder or up to two folders up. */
  private kustomizeRewrites(manifest: string, image: string): { newName: string; file: string }[] {
    const dirs = [path.dirname(manifest), path.dirname(path.dirname(manifest)), path.dirname(path.dirname(path.dirname(manifest)))];
    const repo = imageRepository(image);
    const out: { newName: string; file: string }[] = [];
    for (const k of this.kustomizations) {
      if (!dirs.includes(path.dirname(k.file))) continue;
      for (const img of k.images) if (img.newName && imageRepository(img.name) === repo) out.push({ newName: img.newName, file: k.file });
    }
    return out;
  }

  private linkContainers(): void {
    for (const c of this.containers) {
      const image = c.facts.image;
      if (!image) {
        this.unlinked.push({ node: c.id, wanted: 'container→dockerfile', why: 'no-image', reason: 'the container has no image (a patch or a fragment)' });
        continue;
      }
      let target: Target | undefined;
      const names = [image];
      for (const k of this.kustomizeRewrites(c.file, image)) {
        if (names.includes(k.newName)) continue;
        names.push(k.newName);
        c.images.push(k.newName);
        this.link('kustomize-image', c.id, `image:${imageRepository(k.newName)}`, `${this.r(k.file)} images: rewrites ${imageRepository(image)} to ${k.newName}`, { file: k.file });
      }
      let stop = false;
      for (const name of names) {
        if (target || stop) break;
        const res = this.resolveImage(c, name);
        if (res === 'stop') stop = true;
        else target = res;
      }
      if (!target && !stop) {
        const base = imageBaseName(names[names.length - 1]);
        const why = /\$/.test(image) ? 'unresolved' : 'no-candidate';
        this.unlinked.push({
          node: c.id, wanted: 'container→dockerfile', why,
          reason: why === 'unresolved' ? `image ${image} holds a variable`
            : `image ${names.join(' / ')}: no build file names it, and no Dockerfile folder, binary or main package is named ${base}`,
        });
      }
      this.setRuns(c, target);
    }
  }

  /** Links a container for one image name; 'stop' when the name is ambiguous (no further names are tried). */
  private resolveImage(c: ContainerNode, image: string): Target | 'stop' | undefined {
    if (image.startsWith('ko://')) {
      const imp = image.slice('ko://'.length);
      const main = this.mainByImportPath(imp);
      if (main) {
        this.link('ko', c.id, main.id, `${image} builds main package ${this.r(main.dir)} with ko`, { file: c.file, span: c.facts.imageSpan });
        return { main, ko: true };
      }
      this.unlinked.push({ node: c.id, wanted: 'container→main', why: 'unresolved', reason: `${image}: no main package with import path ${imp} in the workspace` });
      return 'stop';
    }
    const repo = imageRepository(image);
    const explicit = this.buildsByRepo.get(repo) ?? [];
    const targets = new Map<string, ExplicitBuild>();
    for (const b of explicit) targets.set(b.dockerfile ?? `ko:${b.koMain ?? ''}`, targets.get(b.dockerfile ?? `ko:${b.koMain ?? ''}`) ?? b);
    if (targets.size === 1) {
      const [b] = [...targets.values()];
      const what = b.kind === 'compose' ? `compose service ${b.service ?? '?'}` : b.kind === 'skaffold' ? 'a skaffold artifact' : 'a docker build line';
      if (b.koMain !== undefined) {
        const main = this.mainAt(b.koMain);
        if (!main) {
          this.unlinked.push({ node: c.id, wanted: 'container→main', why: 'unresolved', reason: `${this.r(b.file)} builds ${repo} with ko from ${this.r(b.koMain)}, which holds no main package` });
          return 'stop';
        }
        this.link(b.kind, c.id, main.id, `${this.r(b.file)}: ${what} builds ${repo} with ko from ${this.r(main.dir)}`, { file: b.file, span: b.span });
        return { main, ko: true };
      }
      const found = this.byId.get(`dockerfile:${b.dockerfile ?? ''}`);
      const dockerfile = found && 'file' in found ? found : undefined;
      if (!dockerfile) {
        this.unlinked.push({ node: c.id, wanted: 'container→dockerfile', why: 'unresolved', reason: `${this.r(b.file)} builds ${repo} from ${this.r(b.dockerfile ?? '?')}, which is not in the workspace` });
        return 'stop';
      }
      this.link(b.kind, c.id, dockerfile.id, `${this.r(b.file)}: ${what} builds ${repo} from ${this.r(dockerfile.file)}`, { file: b.file, span: b.span });
      return { dockerfile, main: this.mainOfDockerfile(dockerfile) };
    }
    if (targets.size > 1) {
      this.unlinked.push({
        node: c.id, wanted: 'container→dockerfile', why: 'ambiguous',
        reason: `${repo} is built from ${targets.size} places: ${[...targets.values()].map((b) => `${this.r(b.dockerfile ?? b.koMain ?? '?')} (${this.r(b.file)})`).join(', ')}`,
        candidates: [...targets.keys()].map((k) => (k.startsWith('ko:') ? `main:${k.slice(3)}` : `dockerfile:${k}`)),
      });
      return 'stop';
    }
    // By name, in order; a criterion with several candidates stops the search.
    const base = imageBaseName(image);
    if (!base) return undefined;
    const names = this.nameIndex();
    const byDir = names.dockerfileDirs.get(base) ?? [];
    const byBinary = names.binaries.get(base) ?? [];
    const byMain = names.mains.get(base) ?? [];
    const steps: [LinkKind, string, (DockerfileNode | MainPackageNode)[]][] = [
      ['name-dockerfile-dir', 'Dockerfile in a folder named', byDir],
      ['name-binary', 'Dockerfile building a binary named', byBinary],
      ['name-main-dir', 'main package in a folder named', byMain],
    ];
    for (const [kind, what, list] of steps) {
      if (list.length === 0) continue;
      const ids = [...new Set(list.map((x) => x.id))];
      const mains = [...new Set(list.map((x) => ('file' in x ? this.mainOfDockerfile(x)?.id : x.id)))];
      if (ids.length > 1 && mains.length === 1 && mains[0] !== undefined && list.every((x) => 'file' in x)) {
        // Several Dockerfiles (Dockerfile, Dockerfile.scratch) build the same main package: the Go side is known, the image's build is not.
        const main = this.mains.find((m) => m.id === mains[0]) as MainPackageNode;
        this.unlinked.push({ node: c.id, wanted: 'container→dockerfile', why: 'ambiguous', reason: `image ${image}: ${ids.length} candidates (${what} ${base}): ${list.map((x) => this.r(nodePath(x))).join(', ')}`, candidates: ids });
        this.link(kind, c.id, main.id, `image ${image}: every ${what} ${base} (${ids.length}) builds main package ${this.r(main.dir)}`, { file: c.file, span: c.facts.imageSpan });
        return { main };
      }
      if (ids.length > 1) {
        this.unlinked.push({ node: c.id, wanted: 'container→dockerfile', why: 'ambiguous', reason: `image ${image}: ${ids.length} candidates (${what} ${base}): ${list.map((x) => this.r(nodePath(x))).join(', ')}`, candidates: ids });
        return 'stop';
      }
      const x = list[0];
      if ('file' in x) {
        this.link(kind, c.id, x.id, `image ${image}: the only ${what} ${base} is ${this.r(x.file)}`, { file: c.file, span: c.facts.imageSpan });
        return { dockerfile: x, main: this.mainOfDockerfile(x) };
      }
      const dockerfile = this.dockerfileOfMain(x);
      this.link(kind, c.id, x.id, `image ${image}: the only ${what} ${base} is ${this.r(x.dir)}`, { file: c.file, span: c.facts.imageSpan });
      if (dockerfile) this.link(kind, c.id, dockerfile.id, `image ${image}: ${this.r(dockerfile.file)} builds main package ${this.r(x.dir)}`, { file: c.file, span: c.facts.imageSpan });
      return { dockerfile, main: x };
    }
    return undefined;
  }

  private names: { dockerfileDirs: Map<string, DockerfileNode[]>; binaries: Map<string, DockerfileNode[]>; mains: Map<string, MainPackageNode[]> } | undefined;

  /** Dockerfiles by folder name and by binary name, main packages by folder (or root module) name: what by-name links look up. */
  private nameIndex(): NonNullable<Linker['names']> {
    if (this.names) return this.names;
    const add = <T>(m: Map<string, T[]>, k: string, v: T): void => {
      const list = m.get(k) ?? [];
      if (!list.includes(v)) list.push(v);
      m.set(k, list);
    };
    const n = { dockerfileDirs: new Map<string, DockerfileNode[]>(), binaries: new Map<string, DockerfileNode[]>(), mains: new Map<string, MainPackageNode[]>() };
    for (const d of this.dockerfiles) {
      add(n.dockerfileDirs, path.basename(path.dirname(d.file)).toLowerCase(), d);
      for (const b of d.facts.builds) if (b.binary !== undefined) add(n.binaries, path.posix.basename(b.binary).toLowerCase(), d);
    }
    for (const m of this.mains) {
      add(n.mains, path.basename(m.dir).toLowerCase(), m);
      const root = this.rootModuleName(m);
      if (root) add(n.mains, root, m);
    }
    this.names = n;
    return n;
  }

  /** For a main package at its module's root: the module path's last element (what `go build` names the binary). */
  private rootModuleName(m: MainPackageNode): string | undefined {
    const mod = this.modules.find((x) => x.id === m.module);
    return mod && mod.dir === m.dir ? moduleBaseName({ module: mod.module, requires: [] })?.toLowerCase() : undefined;
  }

  private mainOfDockerfile(d: DockerfileNode): MainPackageNode | undefined {
    const l = (this.linksFrom.get(d.id) ?? []).find((x) => x.to.startsWith('main:'));
    const m = l ? this.byId.get(l.to) : undefined;
    return m && 'dir' in m ? m : undefined;
  }

  private dockerfileOfMain(m: MainPackageNode): DockerfileNode | undefined {
    const ds = (this.linksTo.get(m.id) ?? []).filter((x) => x.from.startsWith('dockerfile:'));
    const d = ds.length === 1 ? this.byId.get(ds[0].from) : undefined;
    return d && 'file' in d ? d : undefined;
  }

  private setRuns(c: ContainerNode, target: Target | undefined): void {
    const d = target?.dockerfile;
    if (target?.ko) c.user = { value: 'nonroot', reason: "ko's default base image (cgr.dev/chainguard/static) runs as nonroot (65532)" };
    if (d) {
      const f = d.facts;
      c.user = f.user ? { value: f.user.value, reason: `USER ${f.user.value} in ${this.r(d.file)}`, source: { file: d.file, span: f.user.span } }
        : f.nonrootBase ? { value: 'nonroot', reason: `the base ${f.finalBase ?? '?'} runs as nonroot`, source: { file: d.file, span: f.finalBaseSpan } }
          : { value: 'root', reason: `${this.r(d.file)} sets no USER and its base ${f.finalBase ?? '?'} runs as root`, source: { file: d.file, span: f.finalBaseSpan } };
    }
    const main = target?.main;
    const command = c.facts.command;
    const binaries = d ? d.facts.builds.map((b) => b.finalPath).filter((p): p is string => p !== undefined) : [];
    if (command && command.length > 0) {
      const head = command[0];
      const name = path.posix.basename(head);
      if (SHELLS.has(name) || name.endsWith('.sh')) {
        c.runs = 'other';
        c.runsReason = `command: starts ${command.slice(0, 3).join(' ')}, not the Go binary`;
        return;
      }
      if (main && (binaries.includes(head) || binaries.some((b) => path.posix.basename(b) === name))) {
        c.runs = 'go';
        c.runsReason = `command: starts ${head}, the binary built from ${this.r(main.dir)}`;
        return;
      }
      c.runs = main ? 'unknown' : c.runs;
      c.runsReason = main ? `command: starts ${head}, which is not the binary the image builds${binaries.length ? ` (${binaries.join(', ')})` : ''}` : c.runsReason;
      return;
    }
    const entry = d?.facts.entrypoint ?? d?.facts.cmd;
    const first = entry?.exec ? entry.words[0] : entry?.words[0];
    if (first && (SHELLS.has(path.posix.basename(first)) || first.endsWith('.sh'))) {
      c.runs = 'other';
      c.runsReason = `the image's ${d?.facts.entrypoint ? 'ENTRYPOINT' : 'CMD'} starts ${first}, not the Go binary`;
      return;
    }
    if (main) {
      c.runs = 'go';
      c.runsReason = `runs the image's ${entry ? (d?.facts.entrypoint ? 'ENTRYPOINT' : 'CMD') : 'binary'}, built from ${this.r(main.dir)}`;
    }
  }

  // ---- Services and HPAs ----

  private linkK8sServices(): void {
    // Workloads by namespace and label: a Service looks up its first selector pair, then checks the rest.
    const byLabel = new Map<string, WorkloadNode[]>();
    for (const w of this.workloads) {
      for (const [k, v] of w.facts.labels) {
        const key = `${w.facts.namespace ?? ''}\u0000${k}=${v}`;
        byLabel.set(key, [...(byLabel.get(key) ?? []), w]);
      }
    }
    for (const s of this.k8sServices) {
      if (s.facts.selector.length === 0) continue;
      const [k0, v0] = s.facts.selector[0];
      const matches = (byLabel.get(`${s.facts.namespace ?? ''}\u0000${k0}=${v0}`) ?? [])
        .filter((w) => s.facts.selector.every(([k, v]) => w.facts.labels.some(([lk, lv]) => lk === k && lv === v)));
      for (const w of matches) {
        s.workloads.push(w.id);
        this.link('service-selector', s.id, w.id, `Service ${s.facts.name ?? '?'} selects ${s.facts.selector.map(([k, v]) => `${k}=${v}`).join(',')}, the labels of ${w.facts.kind} ${w.facts.name ?? '?'}`);
      }
      if (matches.length === 0) this.unlinked.push({ node: s.id, wanted: 'service→workload', why: 'no-candidate', reason: `no workload in the workspace has the labels ${s.facts.selector.map(([k, v]) => `${k}=${v}`).join(',')}` });
    }
    for (const h of this.hpas) {
      const w = this.workloads.find((x) => x.facts.kind === h.facts.target.kind && x.facts.name === h.facts.target.name && (x.facts.namespace ?? '') === (h.facts.namespace ?? ''));
      if (!w) continue;
      h.workload = w.id;
      this.link('hpa-target', h.id, w.id, `HPA ${h.facts.name ?? '?'} scales ${w.facts.kind} ${w.facts.name ?? '?'}`);
    }
  }

  // ---- grouping ----

  private group(): ServiceEntry[] {
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
      return r;
    };
    const union = (a: string, b: string): void => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    };
    const nodes = [...this.mains.map((m) => m.id), ...this.dockerfiles.map((d) => d.id), ...this.containers.map((c) => c.id)];
    for (const n of nodes) parent.set(n, n);
    for (const l of this.links) if (parent.has(l.from) && parent.has(l.to)) union(l.from, l.to);
    const groups = new Map<string, { main?: MainPackageNode; dockerfiles: DockerfileNode[]; containers: ContainerNode[] }>();
    const groupOf = (id: string): { main?: MainPackageNode; dockerfiles: DockerfileNode[]; containers: ContainerNode[] } => {
      const r = find(id);
      let g = groups.get(r);
      if (!g) groups.set(r, (g = { dockerfiles: [], containers: [] }));
      return g;
    };
    for (const m of this.mains) groupOf(m.id).main ??= m;
    for (const d of this.dockerfiles) groupOf(d.id).dockerfiles.push(d);
    for (const c of this.containers) groupOf(c.id).containers.push(c);
    const servicesOfWorkload = new Map<string, K8sServiceNode[]>();
    for (const s of this.k8sServices) for (const w of s.workloads) servicesOfWorkload.set(w, [...(servicesOfWorkload.get(w) ?? []), s]);
    const out: ServiceEntry[] = [];
    for (const { main, dockerfiles, containers } of groups.values()) {
      // A container of a third-party image alone is not a service of this workspace.
      if (!main && dockerfiles.length === 0) continue;
      const workloadIds = [...new Set(containers.map((c) => c.workload))];
      const k8sServices = [...new Set(workloadIds.flatMap((w) => servicesOfWorkload.get(w) ?? []))];
      const dirName = path.basename(path.dirname(dockerfiles[0]?.file ?? ''));
      const imageName = [...dockerfiles.flatMap((d) => d.images), ...containers.flatMap((c) => c.images)].map(imageBaseName).find((n) => n && !n.includes('$'));
      const name = main ? this.rootModuleName(main) ?? path.basename(main.dir) : GENERIC_DIRS.has(dirName) && imageName ? imageName : dirName;
      const probes: ProbeCheck[] = [];
      for (const c of containers) {
        for (const p of c.facts.probes) {
          if (p.handler !== 'httpGet' || p.path === undefined) continue;
          probes.push({ container: c.id, kind: p.kind, path: p.path, ...servedBy(main, p.path) });
        }
      }
      out.push({
        name: name === '.' || name === '' ? path.basename(this.roots[0] ?? 'service') : name,
        main: main?.id,
        module: main?.module,
        dockerfiles: dockerfiles.map((d) => d.id),
        images: [...new Set([...dockerfiles.flatMap((d) => d.images), ...containers.flatMap((c) => c.images)])],
        workloads: workloadIds,
        containers: containers.map((c) => c.id),
        k8sServices: k8sServices.map((s) => s.id),
        ports: {
          listens: [...new Set((main?.listens ?? []).map((l) => l.port).filter((p): p is number => p !== undefined))],
          expose: [...new Set(dockerfiles.flatMap((d) => d.facts.expose.map((e) => e.port)))],
          containerPorts: [...new Set(containers.flatMap((c) => c.facts.ports.map((p) => p.containerPort)).filter((p): p is number => p !== undefined))],
          servicePorts: [...new Set(k8sServices.flatMap((s) => s.facts.ports.map((p) => p.port)).filter((p): p is number => p !== undefined))],
        },
        probes,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || (a.main ?? a.dockerfiles.at(0) ?? '').localeCompare(b.main ?? b.dockerfiles.at(0) ?? ''));
  }
}

function nodePath(x: DockerfileNode | MainPackageNode): string {
  return 'file' in x ? x.file : x.dir;
}

/** Is a probe path served by the main package's routes? Patterns: `{id}`, `:id`, `*`, and net/http's trailing-slash subtrees. */
export function servedBy(main: MainPackageNode | undefined, probePath: string): Pick<ProbeCheck, 'served' | 'route'> {
  const routes = (main?.routes ?? []).filter((r) => r.framework !== 'grpc-health');
  if (routes.length === 0) return { served: 'unknown' };
  const p = probePath.split('?')[0];
  // A trailing slash more or less is redirected (net/http subtrees, gin, gorilla StrictSlash), and kubelet takes a 3xx for success.
  const variants = [p, p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : `${p}/`];
  for (const r of routes) {
    if (r.method && r.method !== 'GET' && r.method !== 'HEAD') continue;
    if (variants.some((v) => routeMatches(r.path, v, r.framework === 'net/http'))) return { served: 'yes', route: routeLabel(r) };
  }
  // A run-time prefix (`baseURL + "/healthz"`) may make a route this path.
  if (routes.some((r) => r.dynamicPrefix !== undefined && (p.endsWith(r.path) || (r.framework === 'net/http' && r.path.endsWith('/'))))) return { served: 'unknown' };
  // Routes the model could not read: "none serves it" is not known.
  if ((main?.routeDoubts.length ?? 0) > 0) return { served: 'unknown' };
  return { served: 'no' };
}

/** `GET /healthz`, `baseURL+/cart`: a route as people read it. */
export function routeLabel(r: Pick<GoRoute, 'method' | 'dynamicPrefix' | 'path'>): string {
  return `${r.method ? `${r.method} ` : ''}${r.dynamicPrefix ? `${r.dynamicPrefix}+` : ''}${r.path}`;
}

function routeMatches(pattern: string, p: string, subtree: boolean): boolean {
  if (pattern === p) return true;
  if (subtree && pattern.endsWith('/') && !pattern.endsWith('{$}') && p.startsWith(pattern)) return true;
  const ps = pattern.replace(/\{\$\}$/, '').split('/');
  const xs = p.split('/');
  for (let i = 0; i < ps.length; i++) {
    const seg = ps[i];
    if (/^\{[^}]*\.\.\.\}$/.test(seg) || seg === '*' || /^\*\w*$/.test(seg)) return true;
    if (i >= xs.length) return false;
    if (/^\{[^}]*\}$/.test(seg) || /^:\w+$/.test(seg)) continue;
    if (seg !== xs[i]) return false;
  }
  return ps.length === xs.length;
}
