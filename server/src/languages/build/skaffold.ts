import { asRecord, docsOf, type ContextEntry } from './yaml-data';

/** File names of skaffold configurations. */
export const SKAFFOLD_FILES: readonly string[] = ['skaffold.yaml', 'skaffold.yml'];

/** The build contexts of skaffold's `build.artifacts[]` (`context`, `docker.dockerfile`). */
export function skaffoldContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const artifacts = asRecord(asRecord(doc)?.build)?.artifacts;
    if (!Array.isArray(artifacts)) continue;
    for (const a of artifacts) {
      const r = asRecord(a);
      if (!r) continue;
      const docker = asRecord(r.docker);
      out.push({ context: typeof r.context === 'string' ? r.context : '.', dockerfile: typeof docker?.dockerfile === 'string' ? docker.dockerfile : 'Dockerfile' });
    }
  }
  return out;
}

