import type { AnyRule } from '../../engine/rule';

/** `shipshape rules`: every rule with its default severity, whether `--fix` can fix it, and its title. */
export function listRules(rules: readonly AnyRule[], format: 'table' | 'json'): string {
  const rows = [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) => ({ id: r.id, severity: r.meta.severity, fixable: r.meta.fixable, title: r.meta.title }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const head = { id: 'RULE', severity: 'SEVERITY', fixable: 'FIXABLE', title: 'TITLE' };
  const idWidth = Math.max(head.id.length, ...rows.map((r) => r.id.length));
  const sevWidth = Math.max(head.severity.length, ...rows.map((r) => r.severity.length));
  const line = (id: string, sev: string, fix: string, title: string): string => `${id.padEnd(idWidth)}  ${sev.padEnd(sevWidth)}  ${fix.padEnd(7)}  ${title}`.trimEnd();
  return `${[line(head.id, head.severity, head.fixable, head.title), ...rows.map((r) => line(r.id, r.severity, r.fixable ? 'yes' : '', r.title))].join('\n')}\n`;
}
