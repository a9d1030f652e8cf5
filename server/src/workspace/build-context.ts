import * as path from 'node:path';
import type { WorkspaceView } from '../workspace/view';
import type { GoMod } from '../languages/gomod/parser';
import { COMPOSE_FILES, composeContexts } from '../languages/build/compose';
import { SKAFFOLD_FILES, skaffoldContexts } from '../languages/build/skaffold';

/**
 * The build context of a Dockerfile: its own directory, unless a
 * docker-compose / compose / skaffold file above it builds this Dockerfile
 * from another context (`build: {context, dockerfile}`,
 * `artifacts[].context` + `docker.dockerfile`). Read through the workspace
 * view, so the engine re-runs the rules when those files change.
 */

export function buildContextDir(workspace: WorkspaceView, dockerfilePath: string): string {
  const own = path.dirname(dockerfilePath);
  for (const name of [...COMPOSE_FILES, ...SKAFFOLD_FILES]) {
    const found = workspace.findUp(own, name);
    if (!found) continue;
    const text = workspace.readText(found);
    if (text === undefined) continue;
    const contexts = SKAFFOLD_FILES.includes(name) ? skaffoldContexts(text) : composeContexts(text);
    const base = path.dirname(found);
    for (const c of contexts) {
      if (c.ko) continue;
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

/** The go.mod at or above the build context (the module `go build` sees), parsed. */
export function buildGoMod(workspace: WorkspaceView, dockerfilePath: string): (GoMod & { path: string }) | undefined {
  return workspace.goModFor(path.join(buildContextDir(workspace, dockerfilePath), 'Dockerfile'));
}

/** Last element of the module path without a /vN suffix: the name `go build` gives a binary built in the module root. */
export function moduleBaseName(mod: GoMod | undefined): string | undefined {
  return mod?.module?.split('/').filter((p) => !/^v\d+$/.test(p)).pop();
}
