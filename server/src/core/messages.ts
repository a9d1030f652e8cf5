/** Fills `{name}` placeholders of a rule message from `data`. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = template.indexOf('}', open);
    if (close < 0) break;
    const name = template.slice(open + 1, close);
    out += template.slice(i, open);
    out += name in data ? String(data[name]) : template.slice(open, close + 1);
    i = close + 1;
  }
  return out + template.slice(i);
}
