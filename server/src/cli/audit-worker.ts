// Worker-thread entry of `shipshape audit --jobs N`: loads the engine once, then audits the batches the main
// thread hands it (whole directories), answering each with its findings in bulk, until told it is done.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/analyze';
import { goEngineOptions } from '../host-shared/go-env';
import { auditFiles, MODEL_KINDS } from '../engine/audit';
import { DiskFileSource } from '../engine/disk';
import { RULES } from '../rules/index';
import { factAnalysis, type Analysis, type FactOn } from '../core/analysis';
import { makeResolver } from './config-resolver';
import type { WorkerCommand, WorkerRequest, WorkerResponse } from './parallel-audit';

/** Records the Go files an engine parses (the parallel audit's proof that workers parse no Go file twice). */
function recordGoParses(engine: Engine): () => string[] {
  const parser = engine.goParser;
  const parse = parser.parse.bind(parser);
  let parsed: string[] = [];
  parser.parse = (filePath, ...rest) => {
    parsed.push(filePath);
    return parse(filePath, ...rest);
  };
  return () => {
    const out = parsed;
    parsed = [];
    return out;
  };
}

async function main(request: WorkerRequest): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const post = (msg: WorkerResponse): void => { port.postMessage(msg); };
  const resolver = makeResolver(RULES, request.roots, request.opts, request.cwd);
  const source = new DiskFileSource(resolver.maxFileSize);
  // Workers audit a tree that no fix changes while they run: each file is stat'ed once.
  source.freeze();
  const engine = await Engine.create(RULES, source, goEngineOptions(true));
  const goParses = recordGoParses(engine);
  // The model's kinds are built from every parse: a facts task computes them, and an audit's Go files keep them for the model's readers.
  if (request.modelFacts) engine.facts.expectKinds(MODEL_KINDS);
  // The kinds read across packages, from the first file on (see CROSS_PACKAGE_KINDS).
  engine.facts.expectKinds(request.kinds.map(factAnalysis).filter((a): a is Analysis<unknown, FactOn> => a !== undefined));
  const onProgress = request.progress ? (_done: number, _total: number, file: string): void => { post({ progress: file }); } : undefined;
  port.on('message', (cmd: WorkerCommand) => {
    if ('done' in cmd) {
      engine.dispose();
      port.close();
      return;
    }
    try {
      engine.facts.importFacts(cmd.facts);
      // The kinds other workers' rules asked: built from every file audited here from now on, as one thread builds
      // every kind asked so far, so that what this worker shares answers their questions about its packages.
      engine.facts.expectKinds(cmd.kinds.map(factAnalysis).filter((a): a is Analysis<unknown, FactOn> => a !== undefined));
      if (cmd.mode === 'facts') {
        for (const f of cmd.batch) for (const kind of MODEL_KINDS) engine.facts.factOf(f, kind);
        post({ analyses: [], notices: [], facts: engine.facts.exportFresh(), goParses: goParses(), kinds: engine.facts.askedIds() });
        return;
      }
      const result = auditFiles(engine, { files: cmd.batch, notices: [], missing: [] }, { roots: request.roots, config: resolver, onProgress, dependencies: request.dependencies, modelFacts: request.modelFacts });
      // Every fact computed meanwhile (this batch's files, and any file of another package parsed for its facts): other workers read them instead of parsing.
      post({ analyses: result.analyses, notices: result.notices, facts: engine.facts.exportFresh(), goParses: goParses(), kinds: engine.facts.askedIds() });
    } catch (e) {
      post({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  post({ ready: true });
}

main(workerData as WorkerRequest).catch((e: unknown) => {
  parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerResponse);
});
