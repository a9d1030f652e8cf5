import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildConfigSchema, CONFIG_FILE_NAMES } from '../../engine/config/config-schema';
import type { AnyRule } from '../../engine/rule';
import { configTemplate } from '../../host-shared/config-template';
import { UsageError } from '../outputs';

/**
 * `shipshape init`: writes a commented `.shipshape.yaml` listing every rule and
 * option at its default (the generator the editor's "Create Configuration" uses).
 * Never overwrites a config file; `--stdout` prints it instead.
 */
export function initConfig(rules: readonly AnyRule[], dir: string, toStdout: boolean, write: (text: string) => void): string {
  const text = configTemplate(buildConfigSchema(rules));
  if (toStdout) {
    write(text);
    return '';
  }
  const existing = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (existing) throw new UsageError(`${path.basename(existing)} already exists here; not overwritten (shipshape init --stdout prints the template)`);
  const file = path.join(dir, CONFIG_FILE_NAMES[0]);
  fs.writeFileSync(file, text, { flag: 'wx' });
  return file;
}
