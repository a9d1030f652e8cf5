import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocsFile, ruleDocsUrl, type PackageInfo } from '../../host-shared/rule-docs';

/**
 * The docs page of a rule for human-facing reports: the repository's page for
 * this version when package.json names a repository (host-shared/rule-docs.ts derives it),
 * else the page bundled with the installed package.
 */
export function ruleDocsLink(tool: PackageInfo, ruleId: string): string {
  return ruleDocsUrl(tool, ruleId) ?? pathToFileURL(path.resolve(ruleDocsFile(tool, ruleId))).href;
}
