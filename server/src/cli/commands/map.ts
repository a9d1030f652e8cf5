import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../engine/analyze';
import { DEFAULT_MAX_FILE_SIZE } from '../../engine/config/config';
import { DiskFileSource } from '../../engine/disk';
import { ServiceModelStore } from '../../workspace/service-model';
import { diskModelSource } from '../../workspace/service-model/host';
import { renderMap, type MapFormat } from '../../workspace/service-model/render';
import { UsageError } from '../outputs';
import type { Io } from '../audit-options';

/**
 * `shipshape map [paths]`: the service model of the given folders (default
 * the working directory) — each service's module and main package,
 * Dockerfile, images, workloads, ports and probe paths against served
 * routes, every link with its reason and every link that could not be made.
 */
export async function runMap(paths: readonly string[], format: MapFormat, io: Io): Promise<number> {
  const dirs = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  for (const d of dirs) if (!fs.existsSync(d)) throw new UsageError(`${d}: no such file or folder`);
  const files = new DiskFileSource(DEFAULT_MAX_FILE_SIZE);
  const engine = await Engine.create([], files);
  try {
    const model = new ServiceModelStore(diskModelSource(dirs, files, engine.facts)).build();
    io.stdout(renderMap(model, format, dirs.length === 1 ? dirs[0] : io.cwd));
    return 0;
  } finally {
    engine.dispose();
  }
}
