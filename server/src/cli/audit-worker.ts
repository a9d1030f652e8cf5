// Worker-thread entry of `shipshape audit --jobs N`: audits one shard of files with its own engine.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/analyze';
import { auditFiles } from '../engine/audit';
import { DiskFileSource } from '../engine/disk';
import { RULES } from '../rules/index';
import { makeResolver } from './config-resolver';
import type { WorkerRequest, WorkerResponse } from './parallel-audit';

async function main(request: WorkerRequest): Promise<WorkerResponse> {
  const resolver = makeResolver(RULES, request.roots, request.opts, request.cwd);
  const engine = await Engine.create(RULES, new DiskFileSource(resolver.maxFileSize));
  try {
    const result = auditFiles(engine, { files: request.files, notices: [], missing: [] }, {
      roots: request.roots, config: resolver,
      onProgress: request.progress ? (_done, _total, file) => parentPort?.postMessage({ progress: file } satisfies WorkerResponse) : undefined,
    });
    return { analyses: result.analyses, notices: result.notices };
  } finally {
    engine.dispose();
  }
}

main(workerData as WorkerRequest).then(
  (answer) => parentPort?.postMessage(answer),
  (e: unknown) => parentPort?.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerResponse),
);
