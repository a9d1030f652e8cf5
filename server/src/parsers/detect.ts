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

/** `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`, `Containerfile` (case-insensitive). */
export function isDockerfileName(lowerBase: string): boolean {
  return (
    lowerBase === 'dockerfile' ||
    lowerBase === 'containerfile' ||
    lowerBase.startsWith('dockerfile.') ||
    lowerBase.startsWith('containerfile.') ||
    lowerBase.endsWith('.dockerfile') ||
    lowerBase.endsWith('.containerfile')
  );
}

/**
 * Folder names whose YAML is presumed to be Kubernetes manifests even when it
 * fails to parse: `k8s`, `kubernetes`, `kube`, `manifests`, `deploy`,
 * `deployment(s)`, `kustomize`, `openshift`, and names built on them
 * (`kubernetes-manifests`, `k8s-prod`, `app-manifests`). Never under `.github`
 * (workflows named deploy.yaml are not manifests).
 */
const MANIFEST_FOLDER = /^(?:k8s|kube|kubernetes|manifests?|deploy|deployments?|kustomize|openshift)$|^(?:k8s|kube|kubernetes)[-_.]|[-_.](?:k8s|kube|kubernetes|manifests)$/;

export function isInManifestFolder(filePath: string): boolean {
  const parts = path.dirname(filePath).split(/[\\/]/).map((p) => p.toLowerCase());
  return !parts.includes('.github') && parts.some((part) => MANIFEST_FOLDER.test(part));
}
