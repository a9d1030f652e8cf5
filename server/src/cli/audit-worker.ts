// Worker-thread entry of `shipshape audit --jobs N`: loads the engine once, then audits the batches the main
// thread hands it (whole directories), answering each with its findings in bulk, until told it is done.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/analyze';
import { goEngineOptions } from '../host-shared/go-env';
import { auditFiles, MODEL_GO_FACTS } from '../engine/audit';
import { documentKindOf } from '../engine/languages';
import { DiskFileSource } from '../engine/disk';
import { RULES } from '../rules/index';
import { makeResolver } from './config-resolver';
import type { WorkerCommand, WorkerRequest, WorkerResponse } from './parallel-audit';

const MODEL_FACT_IDS = MODEL_GO_FACTS.map((f) => f.id);

async function main(request: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const post = (msg: WorkerResponse): void => { port.postMessage(msg); };
  const resolver = makeResolver(RULES, request.roots, request.opts, request.cwd);
  const source = new DiskFileSource(resolver.maxFileSize);
  // Workers audit a tree that no fix changes while they run: each file is stat'ed once.
  source.freeze();
  const engine = await Engine.create(RULES, source, goEngineOptions(true));
  const onProgress = request.progress ? (_done: number, _total: number, file: string): void => { post({ progress: file }); } : undefined;
  port.on('message', (cmd: WorkerCommand) => {
    if ('done' in cmd) {
      engine.dispose();
      port.close();
      return;
    }
    try {
      if (cmd.facts) engine.facts.importFacts(cmd.facts);
      const result = auditFiles(engine, { files: cmd.batch, notices: [], missing: [] }, { roots: request.roots, config: resolver, onProgress, dependencies: request.dependencies, modelFacts: request.modelFacts });
      // The model facts of this batch's Go files, for the workers that build a model (they would parse every Go file for them).
      const facts = request.modelFacts ? engine.facts.exportFacts(cmd.batch.filter((f) => documentKindOf(f) === 'go'), MODEL_FACT_IDS) : [];
      post({ analyses: result.analyses, notices: result.notices, facts });
    } catch (e) {
      post({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  post({ ready: true });
}

main(workerData as WorkerRequest).catch((e: unknown) => {
  parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerResponse);
});
