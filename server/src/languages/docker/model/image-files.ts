import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { copyOperands, copySourceCovers, flagsOf, stageChain, workdirAt, type DockerModel, type Stage } from './stages';
import { builtBinaryPath, goCommands, isCompileOnly } from './run';

/**
 * What a stage's image is known to hold, from its Dockerfile alone: the Go
 * binaries built in it or copied into it (by path), the directories COPY
 * writes into, and the places whose content is unknown (a copied build
 * context folder, a stage directory that holds more than Go output).
 */

export interface ImageEntry {
  path: string;
  /**
   * `binary`: a Go build output; `dir`: a directory COPY writes named files into; `open-dir`: a directory
   * of unknown content (a copied folder holding Go output); `unknown`: a file or a directory, not known which.
   */
  kind: 'binary' | 'dir' | 'open-dir' | 'unknown';
  /** The instruction that puts it there (COPY/ADD, or the RUN of an in-place build). */
  instruction: Instruction;
}


/** Files that COPY/ADD and in-place Go builds put into `stage` and the stages it is built FROM. */
export function imageFiles(model: DockerModel, stage: Stage, moduleName: string | undefined): ImageEntry[] {
  const entries: ImageEntry[] = [];
  for (const s of stageChain(stage)) {
    for (const cmd of goCommands(model)) {
      if (cmd.run.stage !== s || isCompileOnly(cmd)) continue;
      const out = builtBinaryPath(model, cmd, moduleName);
      if (out) entries.push({ path: out, kind: 'binary', instruction: cmd.run.instruction });
    }
    for (const ins of s.instructions) {
      const kw = ins.getKeyword();
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      entries.push(...copyEntries(model, s, ins, moduleName));
    }
  }
  return entries;
}

function copyEntries(model: DockerModel, stage: Stage, ins: Instruction, moduleName: string | undefined): ImageEntry[] {
  const words = copyOperands(ins);
  if (words.length < 2 || words.some((w) => w.includes('$'))) return [{ path: '/', kind: 'unknown', instruction: ins }];
  const rawDest = words[words.length - 1];
  const sources = words.slice(0, -1);
  const dest = path.posix.resolve(workdirAt(model, stage, ins), rawDest);
  // Docker copies into an existing directory: `.`, a WORKDIR, or a directory base images ship.
  const intoDir = rawDest.endsWith('/') || sources.length > 1 || rawDest === '.' || isKnownDir(model, stage, dest);
  const fromRef = flagsOf(ins).find((f) => f.name === 'from')?.value ?? undefined;
  const from = fromRef ? model.stageByRef(fromRef) : undefined;
  const outputs = from ? stageChain(from).flatMap((s) => goCommands(model).filter((c) => c.run.stage === s && !isCompileOnly(c)).map((c) => builtBinaryPath(model, c, moduleName))).filter((p): p is string => p !== undefined) : [];
  const out: ImageEntry[] = intoDir ? [{ path: dest, kind: 'dir', instruction: ins }] : [];
  for (const src of sources) {
    const srcAbs = from ? path.posix.resolve('/', src) : src;
    const target = intoDir ? path.posix.join(dest, path.posix.basename(srcAbs)) : dest;
    if (from && outputs.includes(srcAbs)) {
      out.push({ path: target, kind: 'binary', instruction: ins });
      // `COPY /out/api /srv`: /srv may be a directory of the base image, then the file is /srv/api.
      if (!intoDir) out.push({ path: path.posix.join(dest, path.posix.basename(srcAbs)), kind: 'binary', instruction: ins });
      continue;
    }
    const under = from ? outputs.filter((o) => o !== srcAbs && copySourceCovers(srcAbs, o)) : [];
    if (under.length > 0) {
      // A directory or glob holding Go outputs: they land under the destination, next to what else it holds.
      const base = /[*?[]/.test(srcAbs) ? path.posix.dirname(srcAbs) : srcAbs.replace(/\/+$/, '');
      const root = /[*?[]/.test(srcAbs) || intoDir ? dest : target;
      for (const o of under) out.push({ path: path.posix.join(root, path.posix.relative(base, o)), kind: 'binary', instruction: ins });
      out.push({ path: root, kind: 'open-dir', instruction: ins });
      continue;
    }
    // A file, or a folder whose content lands in the destination: either way, names under it are unknown.
    out.push({ path: /[*?[]/.test(srcAbs) ? dest : target, kind: 'unknown', instruction: ins });
    if (intoDir) out.push({ path: dest, kind: 'open-dir', instruction: ins });
  }
  return out;
}

/** Directories every Linux base image has, where a COPY destination without `/` still means "into". */
const SYSTEM_DIRS = new Set(['/', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/tmp', '/opt', '/etc', '/usr/local', '/usr', '/var']);

function isKnownDir(model: DockerModel, stage: Stage, dest: string): boolean {
  if (SYSTEM_DIRS.has(dest)) return true;
  return stageChain(stage).some((s) => s.instructions.some((i) => i.getKeyword() === 'WORKDIR' && workdirAt(model, s, i) !== dest && path.posix.resolve(workdirAt(model, s, i), i.getExpandedArguments()[0]?.getValue() ?? '.') === dest));
}
