import * as path from 'node:path';

/** What kind of document a file is, by name and editor language id. YAML still needs its content checked. */
export type DocKind = 'go' | 'docker' | 'yaml';

export function detectKind(filePath: string, languageId?: string): DocKind | undefined {
  const base = path.basename(filePath);
  const lower = base.toLowerCase();
  if (languageId === 'go' || lower.endsWith('.go')) return 'go';
  if (languageId === 'dockerfile' || isDockerfileName(lower)) return 'docker';
  if (languageId === 'yaml' || lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}

/**
 * `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`, `Containerfile` (case-insensitive); not
 * `Dockerfile.dev.dockerignore`, BuildKit's ignore file for one Dockerfile.
 */
export function isDockerfileName(lowerBase: string): boolean {
  if (lowerBase.endsWith('.dockerignore')) return false;
  return (
    lowerBase === 'dockerfile' ||
    lowerBase === 'containerfile' ||
    lowerBase.startsWith('dockerfile.') ||
    lowerBase.startsWith('containerfile.') ||
    lowerBase.endsWith('.dockerfile') ||
    lowerBase.endsWith('.containerfile')
  );
}

/** Folder names whose YAML is presumed to be Kubernetes manifests even when it fails to parse. */
const MANIFEST_FOLDERS = new Set(['k8s', 'kubernetes', 'manifests', 'deploy']);

export function isInManifestFolder(filePath: string): boolean {
  return path.dirname(filePath).split(/[\\/]/).some((part) => MANIFEST_FOLDERS.has(part.toLowerCase()));
}
