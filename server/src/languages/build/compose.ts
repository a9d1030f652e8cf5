import { asRecord, docsOf, type ContextEntry } from './yaml-data';

/** File names of Docker Compose files. */
export const COMPOSE_FILES: readonly string[] = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'];

/** The build contexts of a compose file's services (`build: dir` or `build: {context, dockerfile}`), with the service's name and `image:`. */
export function composeContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const services = asRecord(asRecord(doc)?.services);
    for (const [service, svc] of Object.entries(services ?? {})) {
      const build = asRecord(svc)?.build;
      const image = asRecord(svc)?.image;
      const named = { service, ...(typeof image === 'string' ? { image } : {}) };
      if (typeof build === 'string') out.push({ context: build, dockerfile: 'Dockerfile', ...named });
      const b = asRecord(build);
      if (b) out.push({ context: typeof b.context === 'string' ? b.context : '.', dockerfile: typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile', ...named });
    }
  }
  return out;
}

