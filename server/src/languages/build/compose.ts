import { asRecord, docsOf, type ContextEntry } from './yaml-data';

/** File names of Docker Compose files. */
export const COMPOSE_FILES: readonly string[] = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', 'compose.yml'];

/** The build contexts of a compose file's services (`build: dir` or `build: {context, dockerfile}`). */
export function composeContexts(text: string): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const doc of docsOf(text)) {
    const services = asRecord(asRecord(doc)?.services);
    for (const svc of Object.values(services ?? {})) {
      const build = asRecord(svc)?.build;
      if (typeof build === 'string') out.push({ context: build, dockerfile: 'Dockerfile' });
      const b = asRecord(build);
      if (b) out.push({ context: typeof b.context === 'string' ? b.context : '.', dockerfile: typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile' });
    }
  }
  return out;
}

