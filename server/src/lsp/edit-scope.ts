import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWithin } from '../engine/workspace';

/**
 * Which files code actions may edit: those whose real path (symlinks
 * resolved) lies inside the real path of a workspace folder, so a quick fix
 * or fix-all never writes through a symlink out of the workspace. Without
 * folders (a single file opened) only the document asked about, and a
 * non-file document (untitled:) always: neither writes anywhere else.
 */
export function editScope(folders: readonly string[], own: { path: string; uri: string }): (filePath: string) => boolean {
  const roots = folders.map(realPathOrNearest);
  return (filePath) => {
    if (filePath === own.path && (!own.uri.startsWith('file:') || folders.length === 0)) return true;
    const real = realPathOrNearest(filePath);
    return roots.some((r) => isWithin(real, r));
  };
}

/** The real path of `p`, or for a path not on disk (a file a fix creates) its nearest existing ancestor's real path joined with the rest. */
function realPathOrNearest(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realPathOrNearest(parent), path.basename(p));
  }
}
