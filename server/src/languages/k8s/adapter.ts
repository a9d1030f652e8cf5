import * as path from 'node:path';
import type { AdapterFiles, DocumentAdapter } from '../../core/adapter';
import type { AnalysisOn, AnalysisUnits } from '../../core/analysis';
import type { Notice } from '../../core/finding';
import { isManifestDoc, looksLikeManifestText, parseK8s, yamlComments, type K8sFile } from './parser';
import { annotationDirectives } from './annotations';
import { kustomizeRole } from '../build/kustomize';

declare module '../../core/adapter' {
  interface ParsedDocuments {
    k8s: K8sFile;
  }
}

/**
 * Folder names whose YAML is presumed to be Kubernetes manifests even when it
 * fails to parse: `k8s`, `kube`, `kubernetes`, `manifests`, `deploy`,
 * `deployment(s)`, `kustomize`, `openshift`, and names built on them
 * (`kubernetes-manifests`, `k8s-prod`, `app-manifests`). Never under `.github`
 * (workflows named deploy.yaml are not manifests).
 */
const MANIFEST_FOLDER = /^(?:k8s|kube|kubernetes|manifests?|deploy|deployments?|kustomize|openshift)$|^(?:k8s|kube|kubernetes)[-_.]|[-_.](?:k8s|kube|kubernetes|manifests)$/;

export function isInManifestFolder(filePath: string): boolean {
  const parts = path.dirname(filePath).split(/[\\/]/).map((p) => p.toLowerCase());
  return !parts.includes('.github') && parts.some((part) => MANIFEST_FOLDER.test(part));
}

function claimsYaml(filePath: string, languageId?: string): boolean {
  const lower = filePath.toLowerCase();
  return languageId === 'yaml' || lower.endsWith('.yaml') || lower.endsWith('.yml');
}

/**
 * YAML is ours when it holds a Kubernetes object, or when it is broken and
 * looks like a manifest by its text (`apiVersion` and `kind` keys) or its
 * place (a manifests folder, listed by a kustomization beside it or one folder up).
 */
function isManifestFile(file: K8sFile, files: AdapterFiles): boolean {
  if (file.docs.some(isManifestDoc)) return true;
  if (!file.problems.some((p) => p.severity === 'error')) return false;
  return looksLikeManifestText(file.source.text) || isInManifestFolder(file.path) || kustomizeRole(file.path, (p) => files.readText(p)) !== undefined;
}

/** A Helm chart's template, or YAML made invalid by `{{ }}` actions outside quoted strings. */
function isHelmTemplate(filePath: string, text: string, files: AdapterFiles): boolean {
  const dir = path.dirname(filePath);
  if (path.basename(dir) === 'templates' && files.versionOf(path.join(path.dirname(dir), 'Chart.yaml')) !== undefined) return true;
  return text.includes('{{') && parseK8s(filePath, text).problems.some((p) => p.severity === 'error');
}

/**
 * Kubernetes manifests through `yaml` (CST with source ranges, one document
 * per `---`). `#` comments; `shipshape.dev/ignore` annotations are object
 * directives; Helm templates skipped. Unit: `k8s-file`.
 */
export const k8sAdapter: DocumentAdapter<K8sFile> = {
  role: 'document',
  kind: 'k8s',
  label: 'YAML file',
  lineComment: '#',
  claims: claimsYaml,
  skipReason(filePath: string, text: string, files: AdapterFiles): Notice | undefined {
    if (!isHelmTemplate(filePath, text, files)) return undefined;
    return { file: filePath, reason: 'helm-template', message: 'Helm template: rendered manifests can be audited instead (helm template ... > out.yaml)' };
  },
  parse(filePath, source, files) {
    const file = parseK8s(filePath, source);
    return isManifestFile(file, files) ? file : undefined;
  },
  // Only a file that fails to parse is accepted on what other files say: its reads are made again.
  replayParseReads: (parsed, files) => void isManifestFile(parsed, files),
  syntaxErrors: (parsed) => parsed.problems.filter((p) => p.severity === 'error').length,
  comments: (parsed) => yamlComments(parsed.source.text),
  extraDirectives: annotationDirectives,
  fileDirectiveLine: () => 0,
  unit<K extends AnalysisOn>(on: K, parsed: K8sFile): AnalysisUnits[K] | undefined {
    if (on === 'k8s-file') return parsed as AnalysisUnits[K];
    if (on === 'text') return parsed.source as AnalysisUnits[K];
    return undefined;
  },
  dispose: () => undefined,
};
