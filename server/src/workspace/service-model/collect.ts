import * as path from 'node:path';
import type { Analysis, FactOn } from '../../core/analysis';
import { claimsGo } from '../../languages/go/adapter';
import { isGeneratedGo } from '../../languages/go/parser';
import { dockerAdapter } from '../../languages/docker/adapter';
import { k8sAdapter } from '../../languages/k8s/adapter';
import { parseGoMod, type GoMod } from '../../languages/gomod/parser';
import { buildFileFacts, buildFileKind, type BuildFileFacts } from './build-facts';
import { DOCKER_FACTS, type DockerFacts } from './docker-facts';
import { GO_SERVICE_FACTS, type GoServiceFacts } from './go-facts';
import { MANIFEST_FACTS, type ManifestFacts } from './manifest-facts';

/**
 * Where the model reads files and facts: a workspace view (`ctx.workspace`
 * satisfies it, so reads are recorded as dependencies) or a host's file
 * source with the engine's fact store.
 */
export interface ModelSource {
  readonly roots: readonly string[];
  readText(filePath: string): string | undefined;
  listDir(dirPath: string): string[] | undefined;
  factOf<T, K extends FactOn>(filePath: string, analysis: Analysis<T, K>): T | undefined;
}

/** One file's contribution to the model: plain data. */
export type FileFacts =
  | { type: 'go'; facts: GoServiceFacts }
  | { type: 'gomod'; mod: GoMod }
  | { type: 'docker'; facts: DockerFacts }
  | { type: 'manifest'; facts: ManifestFacts }
  | { type: 'build'; facts: BuildFileFacts };

/** Names that are files the model never reads: not worth asking whether they are folders. */
const PLAIN_FILE = /\.(md|txt|json|sum|ts|js|mjs|cjs|png|jpg|svg|lock|proto|sql|html|css|toml|cfg|ini|pem|key|crt|csv|gz|zip|tpl|golden|py|rs|java)$/i;

/** What a file is to the model, by name (the languages' own claims). */
function kindOf(filePath: string): 'go' | 'docker' | 'yaml' | undefined {
  if (claimsGo(filePath)) return 'go';
  if (dockerAdapter.claims(filePath)) return 'docker';
  return k8sAdapter.claims(filePath) ? 'yaml' : undefined;
}

/** Folders the walk skips, as the audit does (the go tool's `testdata`, `_x`, `.x`; vendor and node_modules). */
function skippedDir(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name === 'testdata' || name === 'vendor' || name === 'node_modules';
}

/** Would the walk of `dirs` reach this file? (inside one of them, through no folder the walk skips) */
export function isWalked(dirs: readonly string[], filePath: string): boolean {
  return dirs.some((d) => {
    const rel = path.relative(d, filePath);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return !rel.split(/[\\/]/).slice(0, -1).some(skippedDir);
  });
}

/** At most this many files are read for one model. */
export const MAX_MODEL_FILES = 50_000;

/** Does the model read this file? (by name; YAML is asked for manifest facts and skipped when it holds none). */
export function isModelFile(filePath: string): boolean {
  const base = path.basename(filePath);
  if (base === 'go.mod' || buildFileKind(base)) return true;
  const kind = kindOf(filePath);
  if (kind === 'go') return !base.endsWith('_test.go');
  return kind === 'docker' || kind === 'yaml';
}

/** The facts of one file, or undefined when it is unreadable or says nothing to the model. */
export function factsOfFile(source: ModelSource, filePath: string): FileFacts | undefined {
  const base = path.basename(filePath);
  if (base === 'go.mod') {
    const text = source.readText(filePath);
    return text === undefined ? undefined : { type: 'gomod', mod: parseGoMod(text) };
  }
  if (buildFileKind(base)) {
    const text = source.readText(filePath);
    const facts = text === undefined ? undefined : buildFileFacts(filePath, text);
    return facts && (facts.builds.length > 0 || facts.images.length > 0) ? { type: 'build', facts } : undefined;
  }
  const kind = kindOf(filePath);
  if (kind === 'go') {
    if (base.endsWith('_test.go')) return undefined;
    // Generated files (protobuf stubs: often the largest files) are left out: known from the text, without a parse.
    const text = source.readText(filePath);
    if (text === undefined || isGeneratedGo(text)) return undefined;
    const facts = source.factOf(filePath, GO_SERVICE_FACTS);
    return facts && !facts.generated ? { type: 'go', facts } : undefined;
  }
  if (kind === 'docker') {
    const facts = source.factOf(filePath, DOCKER_FACTS);
    return facts ? { type: 'docker', facts } : undefined;
  }
  if (kind === 'yaml') {
    const text = source.readText(filePath);
    // Only YAML that names a kind is parsed: CI workflows, configs and charts' values say nothing here.
    if (text === undefined || !/^\s*(?:-\s+)?kind:/m.test(text) || text.includes('{{')) return undefined;
    const facts = source.factOf(filePath, MANIFEST_FACTS);
    return facts && (facts.workloads.length > 0 || facts.services.length > 0 || facts.hpas.length > 0) ? { type: 'manifest', facts } : undefined;
  }
  return undefined;
}

/** The files under `dirs` the model reads, sorted; folders skipped as the audit skips them. */
export function modelFiles(source: ModelSource, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [...dirs];
  while (queue.length > 0 && out.length < MAX_MODEL_FILES) {
    const dir = queue.shift() as string; // non-empty: checked by the loop condition
    if (seen.has(dir)) continue;
    seen.add(dir);
    const names = source.listDir(dir);
    if (!names) {
      if (isModelFile(dir)) out.push(dir);
      continue;
    }
    for (const name of [...names].sort()) {
      const full = path.join(dir, name);
      if (isModelFile(full)) {
        out.push(full);
        continue;
      }
      if (skippedDir(name) || PLAIN_FILE.test(name)) continue;
      queue.push(full);
    }
  }
  return out.sort();
}
