import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { WorkspaceView } from '../engine/workspace';
import type { GoMod } from './gomod';
import { toJsSafe } from './k8s';

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
      const contextDir = path.resolve(base, c.context);
      // A context outside the roots (`context: /`, `../..`) is ignored: the engine notes it, nothing there is read.
      if (path.resolve(contextDir, c.dockerfile) === path.resolve(dockerfilePath) && workspace.contains(contextDir)) return contextDir;
    }
  }
  return own;
}

/** The go.mod at the root of the build context (what `COPY go.mod` copies), parsed. */
export function contextGoMod(workspace: WorkspaceView, contextDir: string): (GoMod & { path: string }) | undefined {
  const mod = workspace.goModFor(path.join(contextDir, 'Dockerfile'));
  return mod && path.dirname(mod.path) === contextDir ? mod : undefined;
}

interface ContextEntry {
  context: string;
  dockerfile: string;
}

function docsOf(text: string): unknown[] {
  try {
    // Broken documents are never converted (their cost explodes with nesting); aliases are bounded.
    return parseAllDocuments(text).map((d) => (d.errors.length > 0 ? undefined : toJsSafe(d)));
  } catch {
    // Broken YAML says nothing about contexts; k8s/yaml-syntax and editors report it.
    return [];
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function composeContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const services = asRecord(asRecord(doc)?.services);
    for (const svc of Object.values(services ?? {})) {
      const build = asRecord(svc)?.build;
      if (typeof build === 'string') out.push({ context: build, dockerfile: 'Dockerfile' });
      const b = asRecord(build);
      if (b) out.push({ context: typeof b.context === 'string' ? b.context : '.', dockerfile: typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile' });
    }
  }
  return out;
}

function skaffoldContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const artifacts = asRecord(asRecord(doc)?.build)?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    for (const a of artifacts) {
      const r = asRecord(a);
      if (!r) continue;
      const docker = asRecord(r.docker);
      out.push({ context: typeof r.context === 'string' ? r.context : '.', dockerfile: typeof docker?.dockerfile === 'string' ? docker.dockerfile : 'Dockerfile' });
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
