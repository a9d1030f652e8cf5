import * as path from 'node:path';
import type { WorkspaceView } from '../workspace/view';
import type { GoMod } from '../languages/gomod/parser';
import { COMPOSE_FILES, composeContexts } from '../languages/build/compose';
import { SKAFFOLD_FILES, skaffoldContexts } from '../languages/build/skaffold';
import { defineFolderIndex, type FolderReads } from './folder-index';

/** A compose or skaffold file found in or above a folder, with the contexts it builds (not ko's). */
interface BuildFile {
  base: string;
  contexts: { context: string; dockerfile: string }[];
}

/**
 * The compose and skaffold files nearest a folder (in it or above), in the
 * order they are tried: one lookup per folder for every rule of every
 * Dockerfile in it (each rule asked, and each climbed to the root).
 */
const BUILD_FILES = defineFolderIndex({
  id: 'docker/build-files',
  build(dir: string, reads: FolderReads): BuildFile[] {
    const out: BuildFile[] = [];
    for (const name of [...COMPOSE_FILES, ...SKAFFOLD_FILES]) {
      const found = reads.findUp(dir, name);
      const text = found === undefined ? undefined : reads.readText(found);
      if (found === undefined || text === undefined) continue;
      const contexts = SKAFFOLD_FILES.includes(name) ? skaffoldContexts(text) : composeContexts(text);
      out.push({ base: path.dirname(found), contexts: contexts.filter((c) => !c.ko).map((c) => ({ context: c.context, dockerfile: c.dockerfile })) });
    }
    return out;
  },
});

/**
 * The build context of a Dockerfile: its own directory, unless a
 * docker-compose / compose / skaffold file above it builds this Dockerfile
 * from another context (`build: {context, dockerfile}`,
 * `artifacts[].context` + `docker.dockerfile`). Read through the workspace
 * view, so the engine re-runs the rules when those files change.
 */
export function buildContextDir(workspace: WorkspaceView, dockerfilePath: string): string {
  const own = path.dirname(dockerfilePath);
  for (const { base, contexts } of workspace.folderIndex(own, BUILD_FILES)) {
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

/** The go.mod at or above the build context (the module `go build` sees), parsed. */
export function buildGoMod(workspace: WorkspaceView, dockerfilePath: string): (GoMod & { path: string }) | undefined {
  return workspace.goModFor(path.join(buildContextDir(workspace, dockerfilePath), 'Dockerfile'));
}

/** Last element of the module path without a /vN suffix: the name `go build` gives a binary built in the module root. */
export function moduleBaseName(mod: GoMod | undefined): string | undefined {
  return mod?.module?.split('/').filter((p) => !/^v\d+$/.test(p)).pop();
}
