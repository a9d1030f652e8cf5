// Measures didChange → publishDiagnostics on a 5,000-line Go file over 200
// edits, against a built server: `node --import tsx scripts/bench/lsp-latency.ts [--server dist/server.js]`.
// Default server: the protocol tests' bundle (production server + test registry),
// so the figure covers parse + merged query + rules + publish, not an empty registry.
import * as path from 'node:path';
import { LspClient, makeWorkspace, testServer } from '../../test/lsp/support/client';

function goFile(lines: number): string {
  const out = ['package shop', '', 'import (', '\t"fmt"', '\t"net/http"', ')', '', '// café 🚀 日本'];
  let i = 0;
  while (out.length < lines - 12) {
    out.push(
      `func handler${i}(w http.ResponseWriter, r *http.Request) {`,
      `\tid := r.URL.Query().Get("id${i}")`,
      '\tif id == "" {',
      '\t\thttp.Error(w, "missing id", http.StatusBadRequest)',
      '\t\treturn',
      '\t}',
      i % 10 === 0 ? `\tfmt.Println("handled", id)` : `\tw.Write([]byte(id))`,
      '}',
      '',
    );
    i++;
  }
  while (out.length < lines) out.push('');
  return out.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const serverArg = process.argv.indexOf('--server');
  const serverJs = serverArg > 0 ? path.resolve(process.argv[serverArg + 1]) : await testServer();
  const text = goFile(5000);
  const folder = makeWorkspace({ 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': text });
  const client = await LspClient.start(serverJs, { folder, settings: { trace: { server: 'verbose' } } });
  const uri = await client.open(path.join(folder, 'main.go'), text, 'go');
  const first = await client.diagnosticsFor(uri, 1, 0);
  const times: number[] = [];
  const edits = 200;
  for (let i = 0; i < edits; i++) {
    const since = client.published.length;
    const line = 10 + ((i * 37) % 4900);
    const started = performance.now();
    const version = await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 ? ' ' : '\t' }]);
    await client.diagnosticsFor(uri, version, since);
    times.push(performance.now() - started);
  }
  await client.shutdown();
  const analysed = client.logs.map((l) => /^analysed .* in ([\d.]+) ms/.exec(l)?.[1]).filter((x): x is string => x !== undefined).map(Number).slice(1);
  const server = [...analysed].sort((a, b) => a - b);
  if (server.length) console.log(`server-side analysis alone: p50 ${percentile(server, 50).toFixed(1)} ms, p99 ${percentile(server, 99).toFixed(1)} ms`);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`server: ${path.relative(process.cwd(), serverJs)}`);
  console.log(`file: ${text.split('\n').length} lines, ${first.diagnostics.length} diagnostics`);
  console.log(`didChange → publishDiagnostics over ${edits} edits: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (includes the 50 ms debounce)`);
}

void main();
