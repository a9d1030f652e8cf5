import * as os from 'node:os';
import type { EngineOptions } from '../engine/analyze';
import { goModuleCacheDir } from '../workspace/go-module-cache';

/**
 * What a host tells the engine about Go: the module cache it may read dependencies' declarations from
 * (read-only; the engine never runs `go`), only in a trusted workspace. The CLI is trusted (its user
 * chose what to audit); the language server asks the editor (VS Code's workspace trust; an editor that
 * does not say is taken as trusted).
 */
export function goEngineOptions(trusted: boolean, env: NodeJS.ProcessEnv = process.env): EngineOptions {
  if (!trusted) return {};
  const dir = goModuleCacheDir(env, os.homedir());
  return dir === undefined ? {} : { goModuleCache: dir };
}
