import { asRecord, docsOf, type ContextEntry } from './yaml-data';

/** File names of skaffold configurations. */
export const SKAFFOLD_FILES: readonly string[] = ['skaffold.yaml', 'skaffold.yml'];

/**
 * The artifacts of skaffold's `build.artifacts[]` and of its profiles'
 * (`context`, `docker.dockerfile`, `image`; `ko:` artifacts with `ko.main`).
 */
export function skaffoldContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  for (const doc of docsOf(text)) {
    const builds = [asRecord(asRecord(doc)?.build)];
    const profiles = asRecord(doc)?.profiles;
    if (Array.isArray(profiles)) for (const p of profiles) builds.push(asRecord(asRecord(p)?.build));
    for (const build of builds) {
      const artifacts = build?.artifacts;
      if (!Array.isArray(artifacts)) continue;
      for (const a of artifacts) {
        const r = asRecord(a);
        if (!r) continue;
        const docker = asRecord(r.docker);
        const ko = asRecord(r.ko) ?? (r.ko === null ? {} : undefined);
        const image = str(r.image);
        out.push({
          context: str(r.context) ?? '.', dockerfile: str(docker?.dockerfile) ?? 'Dockerfile',
          ...(image ? { image } : {}), ...(ko ? { ko: { main: str(ko.main) } } : {}),
        });
      }
    }
  }
  return out;
}

