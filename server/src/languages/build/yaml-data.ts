import { parseAllDocuments, type Document } from 'yaml';

/** A Dockerfile a build file builds, and from which context folder (relative to the build file). */
/** One image a compose service or a skaffold artifact builds: its context and Dockerfile, relative to the file. */
export interface ContextEntry {
  context: string;
  dockerfile: string;
  /** The image name it is tagged with (`image:` of a compose service, `image:` of a skaffold artifact). */
  image?: string;
  /** The compose service's name. */
  service?: string;
  /** A skaffold `ko:` artifact (no Dockerfile): the main package it builds (`ko.main`, default the context). */
  ko?: { main?: string };
}

/** The documents of a YAML build file as plain data (aliases bounded); [] when it does not parse. */
export function docsOf(text: string): unknown[] {
  try {
    // Broken documents are never converted (their cost explodes with nesting); aliases are bounded.
    return parseAllDocuments(text).map((d) => toJsSafe(d));
  } catch {
    // Broken YAML says nothing about contexts; k8s/yaml-syntax and editors report it.
    return [];
  }
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Aliases may expand to at most this many nodes (yaml's billion-laughs guard). */
const MAX_ALIAS_COUNT = 100;

/**
 * Converts a YAML document to JS with an alias-expansion limit; undefined when
 * it is too large or broken. A document with errors is never converted whole:
 * recovery from unclosed flow collections nests deeply and `toJS` of that
 * explodes in time (a 535-byte kustomization took 34 s).
 */
export function toJsSafe(doc: Document.Parsed): unknown {
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}
