import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { WorkspaceView } from '../engine/workspace';
import type { GoMod } from './gomod';

/**
 * The build context of a Dockerfile: its own directory, unless a
 * docker-compose / compose / skaffold file above it builds this Dockerfile
 * from another context (`build: {context, dockerfile}`,
 * `artifacts[].context` + `docker.dockerfile`). Read through the workspace
 * view, so the engine re-runs the rules when those files change.
 */

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'];

export function buildContextDir(workspace: WorkspaceView, dockerfilePath: string): string {
  const own = path.dirname(dockerfilePath);
  for (const name of [...COMPOSE_FILES, 'skaffold.yaml', 'skaffold.yml']) {
    const found = workspace.findUp(own, name);
    if (!found) continue;
    const text = workspace.readText(found);
    if (text === undefined) continue;
    const contexts = name.startsWith('skaffold') ? skaffoldContexts(text) : composeContexts(text);
    const base = path.dirname(found);
    for (const c of contexts) {
      if (c.ko) continue;
      const contextDir = path.resolve(base, c.context);
      if (path.resolve(contextDir, c.dockerfile) === path.resolve(dockerfilePath)) return contextDir;
    }
  }
  return own;
}

/** The go.mod at the root of the build context (what `COPY go.mod` copies), parsed. */
export function contextGoMod(workspace: WorkspaceView, contextDir: string): (GoMod & { path: string }) | undefined {
  const mod = workspace.goModFor(path.join(contextDir, 'Dockerfile'));
  return mod && path.dirname(mod.path) === contextDir ? mod : undefined;
}

/** One image a compose service or a skaffold artifact builds: its context and Dockerfile, relative to the file. */
export interface ContextEntry {
  context: string;
  dockerfile: string;
  /** The image name it is tagged with (`image:` of a compose service, `image:` of a skaffold artifact). */
  image?: string;
  /** The compose service's name. */
  service?: string;
  /** A skaffold `ko:` artifact (no Dockerfile): the main package it builds (`ko.main`, default the context). */
  ko?: { main?: string };
}

function docsOf(text: string): unknown[] {
  try {
    return parseAllDocuments(text).map((d) => d.toJS() as unknown);
  } catch {
    // Broken YAML says nothing about contexts; k8s/yaml-syntax and editors report it.
    return [];
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The services of a compose file that build an image (`build:` as a path or `{context, dockerfile}`). */
export function composeContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const services = asRecord(asRecord(doc)?.services);
    for (const [service, svc] of Object.entries(services ?? {})) {
      const build = asRecord(svc)?.build;
      const image = str(asRecord(svc)?.image);
      if (typeof build === 'string') out.push({ context: build, dockerfile: 'Dockerfile', image, service });
      const b = asRecord(build);
      if (b) out.push({ context: str(b.context) ?? '.', dockerfile: str(b.dockerfile) ?? 'Dockerfile', image, service });
    }
  }
  return out;
}

/** The artifacts of a skaffold file (`build.artifacts`, and those of its `profiles`): Docker builds and ko builds. */
export function skaffoldContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const builds = [asRecord(asRecord(doc)?.build)];
    const profiles = asRecord(doc)?.profiles;
    if (Array.isArray(profiles)) for (const p of profiles) builds.push(asRecord(asRecord(p)?.build));
    for (const build of builds) {
      const artifacts = build?.artifacts;
      if (!Array.isArray(artifacts)) continue;
      for (const a of artifacts) {
        const r = asRecord(a);
        if (!r) continue;
        const docker = asRecord(r.docker);
        const ko = asRecord(r.ko) ?? (r.ko === null ? {} : undefined);
        out.push({ context: str(r.context) ?? '.', dockerfile: str(docker?.dockerfile) ?? 'Dockerfile', image: str(r.image), ...(ko ? { ko: { main: str(ko.main) } } : {}) });
      }
    }
  }
  return out;
}

/** The go.mod at or above the build context (the module `go build` sees), parsed. */
export function buildGoMod(workspace: WorkspaceView, dockerfilePath: string): (GoMod & { path: string }) | undefined {
  return workspace.goModFor(path.join(buildContextDir(workspace, dockerfilePath), 'Dockerfile'));
}

/** Last element of the module path without a /vN suffix: the name `go build` gives a binary built in the module root. */
export function moduleBaseName(mod: GoMod | undefined): string | undefined {
  return mod?.module?.split('/').filter((p) => !/^v\d+$/.test(p)).pop();
}
