import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PackageInfo } from '../package-info';

/**
 * The docs page of a rule for human-facing reports: the repository's page for
 * this version when package.json names a repository, else the page bundled
 * with the installed package.
 */
export function ruleDocsLink(tool: PackageInfo, ruleId: string): string {
  if (tool.repositoryUrl) return `${tool.repositoryUrl}/blob/v${tool.version}/docs/rules/${ruleId}.md`;
  return pathToFileURL(path.join(tool.root, 'docs', 'rules', `${ruleId}.md`)).href;
}
