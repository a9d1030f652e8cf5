// The service model for `npm run bench`: a full build on the corpus (cold: every file's facts computed;
// warm: facts from the engine's store, only the walk and the links), and the update after one changed
// Go file (a new route: that file's facts are re-derived and the model re-linked; a comment: facts
// re-derived, equal, no re-link).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { ServiceModelStore } from '../../server/src/workspace/service-model';
import { diskModelSource } from '../../server/src/workspace/service-model/host';
import { generateWorkspace } from './generate';
import { stats } from './stats';

export interface ServiceModelBenchResult {
  files: number;
  services: number;
  links: number;
  coldMs: { median: number; min: number };
  warmMs: { median: number; min: number };
  /** One Go file changed so that its facts differ (a route added): re-derive + re-link. */
  updateChangedMs: { median: number; min: number };
  /** One Go file changed without changing its facts (a comment): re-derive only. */
  updateSameMs: { median: number; min: number };
}

/**
 * Gives the generated corpus services to link: a main package under each
 * `services/svcN/` (the `./cmd/server` its Dockerfile builds, importing two
 * library packages of the module) and a Makefile whose `docker build` lines
 * tag each Dockerfile with the image of one Deployment. Returns the files
 * written, for removal.
 */
export function addServices(root: string): string[] {
  const written: string[] = [];
  const write = (rel: string, text: string): void => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    written.push(p);
  };
  const services = fs.existsSync(path.join(root, 'services')) ? fs.readdirSync(path.join(root, 'services')).sort() : [];
  const manifests = fs.existsSync(path.join(root, 'deploy')) ? fs.readdirSync(path.join(root, 'deploy')).sort() : [];
  const lines: string[] = ['images:'];
  services.forEach((svc, i) => {
    write(`services/${svc}/cmd/server/main.go`, `package main\n\nimport (\n\t"net/http"\n\n\t_ "example.com/bench/internal/pkg${i % 50}"\n)\n\nfunc main() {\n\thttp.HandleFunc("GET /healthz", nil)\n\t_ = http.ListenAndServe(":8080", nil)\n}\n`);
    const m = manifests[i] ? /image: (\S+)/.exec(fs.readFileSync(path.join(root, 'deploy', manifests[i]), 'utf8')) : null;
    if (m) lines.push(`\tdocker build -t ${m[1]} services/${svc}`);
  });
  write('Makefile', `${lines.join('\n')}\n`);
  return written;
}

export async function runServiceModelBench(root: string, rounds: number): Promise<ServiceModelBenchResult> {
  const added = addServices(root);
  try {
    return await measure(root, rounds);
  } finally {
    for (const f of added) fs.rmSync(f, { force: true });
  }
}

async function measure(root: string, rounds: number): Promise<ServiceModelBenchResult> {
  const files = new DiskFileSource(5 * 1024 * 1024);
  const engine = await Engine.create([], files);
  const source = diskModelSource([root], files, engine.facts);
  const cold: number[] = [];
  const warm: number[] = [];
  const changed: number[] = [];
  const same: number[] = [];
  let store = new ServiceModelStore(source);
  let model = store.build();
  const goFile = findGoFile(root);
  const original = fs.readFileSync(goFile, 'utf8');
  try {
    for (let r = 0; r < rounds; r++) {
      engine.facts.clear();
      store = new ServiceModelStore(source);
      let t0 = performance.now();
      model = store.build();
      cold.push(performance.now() - t0);
      t0 = performance.now();
      new ServiceModelStore(source).build();
      warm.push(performance.now() - t0);
      fs.writeFileSync(goFile, `${original}\nfunc init() { http.HandleFunc("GET /bench${r}", nil) }\n`);
      t0 = performance.now();
      const next = store.update([goFile]);
      changed.push(performance.now() - t0);
      if (next === model) throw new Error('a new route must re-link the model');
      fs.writeFileSync(goFile, `${original}\nfunc init() { http.HandleFunc("GET /bench${r}", nil) }\n// ${r}\n`);
      t0 = performance.now();
      const kept = store.update([goFile]);
      same.push(performance.now() - t0);
      if (kept !== next) throw new Error('a comment must keep the model');
      fs.writeFileSync(goFile, original);
    }
  } finally {
    fs.writeFileSync(goFile, original);
    engine.dispose();
  }
  return {
    files: [...model.mains.flatMap((m) => m.files), ...model.dockerfiles, ...model.containers].length,
    services: model.services.length,
    links: model.links.length,
    coldMs: stats(cold), warmMs: stats(warm), updateChangedMs: stats(changed), updateSameMs: stats(same),
  };
}

/** A Go file of a main package when the corpus has one, else the first Go file (its facts still count). */
function findGoFile(root: string): string {
  const all = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort();
  const main = all.find((f) => /^package main$/m.test(fs.readFileSync(path.join(root, f), 'utf8')));
  return path.join(root, main ?? all[0]);
}

export function formatServiceModelBench(r: ServiceModelBenchResult): string {
  const f = (n: number): string => n.toFixed(1);
  return [
    `service model: ${r.files} nodes, ${r.services} services, ${r.links} links`,
    `  full build   cold median ${f(r.coldMs.median)} ms (facts computed)   warm median ${f(r.warmMs.median)} ms (facts from the store)`,
    `  one Go file  facts changed: median ${f(r.updateChangedMs.median)} ms (re-derive + re-link)   unchanged: median ${f(r.updateSameMs.median)} ms`,
  ].join('\n');
}

if (require.main === module) {
  void (async () => {
    const small = process.argv.includes('--small');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-model-bench-'));
    try {
      generateWorkspace(tmp, small ? { goFiles: 20, dockerfiles: 3, manifests: 5 } : { goFiles: 2000, dockerfiles: 200, manifests: 500 });
      console.log(formatServiceModelBench(await runServiceModelBench(tmp, 5)));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  })();
}
