import { createColors } from 'picocolors';
import type { AnyRule } from '../../engine/rule';
import { suggest } from '../../core/suggest';
import { readRulePage, type PackageInfo } from '../../host-shared/rule-docs';
import { UsageError } from '../outputs';

/**
 * `shipshape explain <rule>`: the rule's docs page (the one bundled with the
 * package) for a terminal: front matter dropped, headings bold and code dim when colour is on.
 */
export function explainRule(rules: readonly AnyRule[], id: string, tool: PackageInfo, color: boolean): string {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new UsageError(`unknown rule "${id}"${suggest(id, rules.map((r) => r.id))}; shipshape rules lists them`);
  const page = readRulePage(tool, id);
  const c = createColors(color);
  const header = `${c.bold(rule.id)}  ${rule.meta.severity}${rule.meta.fixable ? ', fixable' : ''}\n${rule.meta.title}\n`;
  if (page === undefined) return `${header}\n${rule.meta.description}\n`;
  const body = page.markdown.replace(/\r\n?/g, '\n');
  let inCode = false;
  const lines = body.split('\n').map((l) => {
    if (l.startsWith('```')) {
      inCode = !inCode;
      return c.dim(l);
    }
    if (inCode) return `  ${l}`;
    if (/^#{1,6} /.test(l)) return c.bold(l.replace(/^#{1,6} /, ''));
    return l;
  });
  return `${header}\n${lines.join('\n').trim()}\n`;
}
