import { bundledDocsUri, type RuleDocsLinks } from '../rule-docs';

/**
 * `shipshape.showRuleDocs` opens only Shipshape's own docs pages: the bundled
 * page of a known rule (`file://.../docs/rules/<id>.md`) or its released https
 * page. Any other URI (`file:///etc/shadow`, `command:`, another site) is
 * refused: the command's argument comes from the client and can be forged.
 */
export function isOwnDocsUri(uri: string, links: RuleDocsLinks, ruleIds: Iterable<string>): boolean {
  for (const id of ruleIds) {
    if (uri === bundledDocsUri(links, id)) return true;
    if (links.webBase !== undefined && uri === `${links.webBase}${id}.md`) return true;
  }
  return false;
}
