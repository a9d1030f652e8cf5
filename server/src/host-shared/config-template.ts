/**
 * The commented `.shipshape.yaml` that `shipshape init` and the editor's
 * "Shipshape: Create Configuration" write: every rule at its default severity
 * with every option at its default, built from the config JSON Schema (which
 * is built from the rule registry). Pure — no I/O, no rule code — so the
 * extension client can bundle it with the shipped `schemas/shipshape.schema.json`.
 */

interface SchemaNode {
  description?: unknown;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
  $id?: unknown;
}

export function configTemplate(schema: object): string {
  const root = schema as SchemaNode;
  const ruleProps = root.$defs?.rules?.properties ?? {};
  const out: string[] = [
    '# Shipshape configuration. The nearest .shipshape.yaml (or .shipshape.yml) above a file configures it.',
    '# Every rule is listed at its default. A rule takes a severity (off, info, warning, error),',
    '# or { severity, options }. Docs: docs/config.md; each rule: `shipshape explain <rule-id>`.',
  ];
  if (typeof root.$id === 'string') out.push(`# yaml-language-server: $schema=${root.$id}`);
  out.push('', 'rules:');
  for (const id of Object.keys(ruleProps).sort()) {
    const rule = ruleProps[id];
    const severity = typeof rule.default === 'string' ? rule.default : 'warning';
    out.push(`  # ${firstSentence(rule.description)}`);
    const options = rule.anyOf?.find((b) => b.properties?.options)?.properties?.options?.properties ?? {};
    const names = Object.keys(options);
    if (names.length === 0) {
      out.push(`  ${id}: ${severity}`);
      continue;
    }
    out.push(`  ${id}:`, `    severity: ${severity}`, '    options:');
    for (const name of names) {
      const option = options[name];
      if (typeof option.description === 'string') out.push(...wrap(option.description, '      # '));
      out.push(`      ${name}: ${yamlValue(option.default)}`);
    }
  }
  const top = root.properties ?? {};
  for (const key of ['exclude', 'overrides', 'maxFileSize']) {
    const node = top[key];
    if (!node) continue;
    out.push('');
    if (typeof node.description === 'string') out.push(...wrap(node.description, '# '));
    if (key === 'overrides') out.push('# e.g. - files: "**/*_test.go"', '#        rules: { go/unclosed-body: off }');
    out.push(`${key}: ${yamlValue(node.default ?? (key === 'maxFileSize' ? undefined : []))}`);
  }
  return `${out.join('\n')}\n`;
}

function firstSentence(description: unknown): string {
  const text = typeof description === 'string' ? description : '';
  return text.replace(/\s+/g, ' ').trim();
}

/** Flow-style YAML for a default value: JSON is valid YAML, and strings are quoted so `500m` stays a string. */
function yamlValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return JSON.stringify(value);
}

function wrap(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}
