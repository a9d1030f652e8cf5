import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { toJsSafe } from './yaml-data';

/**
 * What a `kustomization.yaml` says about the files beside it: which are
 * resources (whole objects) and which are patches (fragments, where missing
 * fields are not defects).
 */

export const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface KustomizationRefs {
  resources: Set<string>;
  patches: Set<string>;
}

/** Files a kustomization names, as absolute paths (`resources`, `patches[].path`, `patchesStrategicMerge`, ...). */
export function kustomizationRefs(kustomizationPath: string, text: string): KustomizationRefs {
  const refs: KustomizationRefs = { resources: new Set(), patches: new Set() };
  let data: unknown;
  try {
    data = toJsSafe(parseDocument(text, { uniqueKeys: false }));
  } catch {
    return refs;
  }
  if (!data || typeof data !== 'object') return refs;
  const dir = path.dirname(kustomizationPath);
  const add = (set: Set<string>, v: unknown): void => {
    if (typeof v === 'string' && !v.includes('\n') && !/^[a-z]+:\/\//i.test(v)) set.add(path.resolve(dir, v));
  };
  const record = data as Record<string, unknown>;
  for (const key of ['resources', 'bases', 'components', 'crds']) for (const v of asArray(record[key])) add(refs.resources, v);
  for (const v of asArray(record.patchesStrategicMerge)) add(refs.patches, v);
  for (const key of ['patches', 'patchesJson6902']) {
    for (const p of asArray(record[key])) {
      if (typeof p === 'string') add(refs.patches, p);
      else if (p && typeof p === 'object') add(refs.patches, (p as Record<string, unknown>).path);
    }
  }
  return refs;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** How the kustomization beside (or one folder above) a file refers to it, if any. */
export function kustomizeRole(filePath: string, readText: (p: string) => string | undefined): 'resource' | 'patch' | undefined {
  const abs = path.resolve(filePath);
  for (const dir of [path.dirname(abs), path.dirname(path.dirname(abs))]) {
    for (const name of KUSTOMIZATION_NAMES) {
      const k = path.join(dir, name);
      if (k === abs) continue;
      const text = readText(k);
      if (text === undefined) continue;
      const refs = kustomizationRefs(k, text);
      if (refs.patches.has(abs)) return 'patch';
      if (refs.resources.has(abs)) return 'resource';
    }
  }
  return undefined;
}

/** One `images:` entry of a kustomization: manifests' image `name` becomes `newName` (when set) with `newTag`/`digest`. */
export interface KustomizeImage {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** The `images:` entries of a kustomization's text. */
export function kustomizeImages(text: string): KustomizeImage[] {
  let data: unknown;
  try {
    data = toJsSafe(parseDocument(text, { uniqueKeys: false }));
  } catch {
    return [];
  }
  const images = data && typeof data === 'object' ? (data as Record<string, unknown>).images : undefined;
  const out: KustomizeImage[] = [];
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  for (const img of asArray(images)) {
    if (!img || typeof img !== 'object') continue;
    const r = img as Record<string, unknown>;
    if (typeof r.name === 'string') out.push({ name: r.name, newName: str(r.newName), newTag: str(r.newTag), digest: str(r.digest) });
  }
  return out;
}

/** Image names a kustomization beside the file (or up to two folders up) re-tags (`images: [{name, newTag|digest}]`). */
export function kustomizeImageNames(filePath: string, readText: (p: string) => string | undefined): Set<string> {
  const names = new Set<string>();
  let dir = path.dirname(path.resolve(filePath));
  for (let i = 0; i < 3; i++) {
    for (const name of KUSTOMIZATION_NAMES) {
      const text = readText(path.join(dir, name));
      if (text === undefined) continue;
      for (const img of kustomizeImages(text)) {
        if (img.newTag !== undefined || img.digest !== undefined || img.newName !== undefined) names.add(img.name);
      }
    }
    dir = path.dirname(dir);
  }
  return names;
}
