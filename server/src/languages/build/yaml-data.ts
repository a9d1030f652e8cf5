import { parseAllDocuments } from 'yaml';

/** A Dockerfile a build file builds, and from which context folder (relative to the build file). */
export interface ContextEntry {
  context: string;
  dockerfile: string;
}

/** The documents of a YAML build file as plain data (aliases bounded); [] when it does not parse. */
export function docsOf(text: string): unknown[] {
  try {
    return parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    // Broken YAML says nothing about contexts; k8s/yaml-syntax and editors report it.
    return [];
  }
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

