import * as path from 'node:path';
import type { Span } from '../../core/finding';
import { COMPOSE_FILES, composeContexts } from '../../languages/build/compose';
import { SKAFFOLD_FILES, skaffoldContexts } from '../../languages/build/skaffold';
import { KUSTOMIZATION_NAMES, kustomizeImages, type KustomizeImage } from '../../languages/build/kustomize';

/**
 * What build files say about images (plain data per file, kept by the model
 * by content hash): skaffold artifacts, compose services, kustomize
 * `images:` and `docker build -t IMAGE [-f FILE] CONTEXT` lines of Makefiles
 * and shell scripts. Paths are absolute (resolved against the file's folder).
 */

export type BuildFileKind = 'skaffold' | 'compose' | 'kustomization' | 'script';

export interface ImageBuild {
  /** The image reference as written (tag kept); undefined when the build names none (compose without `image:`). */
  image?: string;
  /** Absolute Dockerfile path; undefined for a ko build. */
  dockerfile?: string;
  /** Absolute build context. */
  context: string;
  /** A ko build (skaffold `ko:`): the main package folder, absolute. */
  koMain?: string;
  /** Compose service name. */
  service?: string;
  /** Where the build is declared (the line of a script; the file for YAML). */
  span?: Span;
  /**
   * A script's context and `-f` as written: a script may run from another
   * folder than its own (`./scripts/build.sh` from the root), so the model
   * tries the script's folder and then each folder above it.
   */
  asWritten?: { context: string; file?: string };
}

export interface BuildFileFacts {
  kind: BuildFileKind;
  builds: ImageBuild[];
  /** kustomization `images:` (rewrites of manifests' image names). */
  images: KustomizeImage[];
}


/** The kind of build file a name is, or undefined. */
export function buildFileKind(name: string): BuildFileKind | undefined {
  if (SKAFFOLD_FILES.includes(name)) return 'skaffold';
  if (COMPOSE_FILES.includes(name) || /^(docker-)?compose\.[\w-]+\.ya?ml$/.test(name)) return 'compose';
  if (KUSTOMIZATION_NAMES.includes(name)) return 'kustomization';
  if (/^(GNU)?[Mm]akefile$/.test(name) || name.endsWith('.mk') || name.endsWith('.sh') || name === 'Taskfile.yml' || name === 'justfile') return 'script';
  return undefined;
}

export function buildFileFacts(filePath: string, text: string): BuildFileFacts | undefined {
  const kind = buildFileKind(path.basename(filePath));
  if (!kind) return undefined;
  const dir = path.dirname(filePath);
  if (kind === 'kustomization') return { kind, builds: [], images: kustomizeImages(text) };
  if (kind === 'script') return { kind, builds: dockerBuildLines(text, dir), images: [] };
  const entries = kind === 'skaffold' ? skaffoldContexts(text) : composeContexts(text);
  return {
    kind,
    images: [],
    builds: entries.map((e) => {
      const context = path.resolve(dir, e.context);
      if (e.ko) return { image: e.image, context, koMain: path.resolve(context, e.ko.main ?? '.') };
      return { image: e.image, context, dockerfile: path.resolve(context, e.dockerfile), service: e.service };
    }),
  };
}

/**
 * `docker build -t IMAGE [-f FILE] CONTEXT` (also `docker buildx build`,
 * `podman build`) in a Makefile or a shell script, with simple variables
 * (`NAME ?= value`, `NAME := value`, `NAME=value`) expanded. A tag or context
 * still holding a variable after expansion is kept as written: it will not
 * match, and the map says so.
 */
export function dockerBuildLines(text: string, dir: string): ImageBuild[] {
  const vars = new Map<string, string>();
  const out: ImageBuild[] = [];
  const lines = joinContinuations(text);
  for (const { line, start } of lines) {
    const assign = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|::=|=)\s*(.*?)\s*$/.exec(line);
    if (assign && !/\bdocker\b/.test(assign[2])) {
      const v = assign[2].replace(/^["']|["']$/g, '');
      if (!vars.has(assign[1]) || !line.includes('?=')) vars.set(assign[1], expand(v, vars));
      continue;
    }
    const m = /\b(?:docker(?:\s+buildx)?|podman)\s+build\b(.*)$/.exec(line);
    if (!m) continue;
    const words = splitWords(expand(m[1].split(/\s(?:&&|\|\||;)\s/)[0], vars));
    let image: string | undefined;
    let file: string | undefined;
    const positional: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const eq = /^(--tag|-t|--file|-f)=(.*)$/.exec(w);
      const flag = eq ? eq[1] : w;
      const value = eq ? eq[2] : words[i + 1];
      if (flag === '-t' || flag === '--tag') {
        image ??= value;
        if (!eq) i++;
      } else if (flag === '-f' || flag === '--file') {
        file = value;
        if (!eq) i++;
      } else if (/^--(build-arg|target|platform|label|secret|ssh|cache-from|cache-to|output|progress|network|builder)$/.test(w) || /^-[o]$/.test(w)) {
        i++;
      } else if (!w.startsWith('-')) positional.push(w);
    }
    const contextWord = positional.at(-1);
    if (contextWord === undefined || contextWord === '-' || /^[a-z]+:\/\//i.test(contextWord)) continue;
    const context = path.resolve(dir, contextWord);
    out.push({
      image, context, dockerfile: file ? path.resolve(dir, file) : path.join(context, 'Dockerfile'),
      span: { start, end: start + line.length }, asWritten: { context: contextWord, ...(file ? { file } : {}) },
    });
  }
  return out;
}

function joinContinuations(text: string): { line: string; start: number }[] {
  const out: { line: string; start: number }[] = [];
  let offset = 0;
  let pending: { line: string; start: number } | undefined;
  for (const raw of text.split(/(?<=\r\n|\r|\n)/)) {
    const body = raw.replace(/\r?\n$|\r$/, '');
    const cont = body.endsWith('\\');
    const piece = cont ? body.slice(0, -1) : body;
    if (pending) pending.line += ` ${piece.trim()}`;
    else pending = { line: piece, start: offset };
    if (!cont) {
      out.push(pending);
      pending = undefined;
    }
    offset += raw.length;
  }
  if (pending) out.push(pending);
  return out;
}

/** `$(NAME)`, `${NAME}`, `$NAME` (and `${NAME:-default}`) from the known variables; unknown ones stay. */
function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\(([A-Za-z_]\w*)\)|\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (all, a?: string, b?: string, def?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return vars.get(name) ?? def ?? all;
  });
}

function splitWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m.slice(1).find((x: string | undefined) => x !== undefined) ?? '');
  return out;
}
