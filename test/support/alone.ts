import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import type { ConfigResolver } from '../../server/src/engine/config/config';
import { RULES } from '../../server/src/rules/index';
import type { Finding } from '../../server/src/core/finding';

/** Findings as compared across runs: file name, offset, rule and message, sorted. */
export const shownFindings = (findings: readonly Finding[]): string[] => findings.map((f) => `${path.basename(f.file)}:${f.span.start} ${f.ruleId} ${f.message}`).sort();

/** The findings of each file analysed alone, on a fresh engine per file: nothing carried between analyses (what an audit must equal). */
export async function findingsAlone(files: readonly string[], config: ConfigResolver, root: string): Promise<Finding[]> {
  const alone: Finding[] = [];
  for (const file of files) {
    const single = await Engine.create(RULES, new DiskFileSource(1024 * 1024));
    alone.push(...single.analyze({ path: file, text: fs.readFileSync(file, 'utf8') }, { config: config.forFile(file), roots: [root] }).findings);
    single.dispose();
  }
  return alone;
}
