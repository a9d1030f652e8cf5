import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { SideFileAdapter } from '../../core/adapter';
import { KUSTOMIZATION_NAMES, kustomizationRefs, type KustomizationRefs } from './kustomize';
import { COMPOSE_FILES, composeContexts } from './compose';
import { SKAFFOLD_FILES, skaffoldContexts } from './skaffold';
import type { ContextEntry } from './yaml-data';

/**
 * The build files Shipshape reads beside the code (kustomize, Docker Compose,
 * skaffold): side files, read through their adapter by the workspace and the
 * rules that need them (a manifest's kustomize role, a Dockerfile's build
 * context); never analysed on their own.
 */

/** Errors of the YAML documents of a text (the count, for notices). */
function yamlErrors(text: string): number {
  try {
    return parseAllDocuments(text).reduce((n, d) => n + d.errors.length, 0);
  } catch {
    return 1;
  }
}

export const kustomizationAdapter: SideFileAdapter<KustomizationRefs> = {
  role: 'side',
  kind: 'kustomization',
  label: 'kustomization',
  lineComment: '#',
  claims: (filePath) => KUSTOMIZATION_NAMES.includes(path.basename(filePath)),
  parse: (filePath, text) => kustomizationRefs(filePath, text),
  syntaxErrors: yamlErrors,
};

export const composeAdapter: SideFileAdapter<ContextEntry[]> = {
  role: 'side',
  kind: 'compose',
  label: 'Compose file',
  lineComment: '#',
  claims: (filePath) => COMPOSE_FILES.includes(path.basename(filePath)),
  parse: (_filePath, text) => composeContexts(text),
  syntaxErrors: yamlErrors,
};

export const skaffoldAdapter: SideFileAdapter<ContextEntry[]> = {
  role: 'side',
  kind: 'skaffold',
  label: 'skaffold configuration',
  lineComment: '#',
  claims: (filePath) => SKAFFOLD_FILES.includes(path.basename(filePath)),
  parse: (_filePath, text) => skaffoldContexts(text),
  syntaxErrors: yamlErrors,
};
