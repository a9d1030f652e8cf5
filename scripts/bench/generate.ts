// Seeded generator of realistic workspaces for the bench: Go files shaped like
// services (handlers, a DB layer, HTTP clients, workers), Dockerfiles, manifests.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusSize {
  goFiles: number;
  dockerfiles: number;
  manifests: number;
}

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

const NOUNS = ['order', 'user', 'invoice', 'cart', 'item', 'payment', 'shipment', 'report', 'session', 'product'];

export function goFile(r: () => number, pkg: string, i: number): string {
  const noun = pick(r, NOUNS);
  const T = noun[0].toUpperCase() + noun.slice(1);
  let out = `package ${pkg}\n\nimport (\n\t"context"\n\t"database/sql"\n\t"encoding/json"\n\t"fmt"\n\t"io"\n\t"net/http"\n\t"strings"\n\t"time"\n)\n\n`;
  out += `// ${T}${i} is a record of the ${noun} table (café 🚀).\ntype ${T}${i} struct {\n\tID        int64\n\tName      string\n\tTags      []string\n\tCreatedAt time.Time\n\tNotes     [8]string\n\tMeta      map[string]string\n}\n\n`;
  const funcs = 4 + Math.floor(r() * 8);
  for (let f = 0; f < funcs; f++) {
    const kind = r();
    if (kind < 0.3) {
      out += `func handle${T}${i}_${f}(w http.ResponseWriter, r *http.Request) {\n\tvar in ${T}${i}\n\tif err := json.NewDecoder(r.Body).Decode(&in); err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusBadRequest)\n\t\treturn\n\t}\n\tresp, err := http.Get("https://api.example.com/${noun}s/" + in.Name)\n\tif err != nil {\n\t\thttp.Error(w, err.Error(), http.StatusBadGateway)\n\t\treturn\n\t}\n${r() < 0.15 ? '' : '\tdefer resp.Body.Close()\n'}\tbody, _ := io.ReadAll(resp.Body)\n\tfmt.Fprintf(w, "%s", body)\n}\n\n`;
    } else if (kind < 0.55) {
      out += `func list${T}s${i}_${f}(ctx context.Context, db *sql.DB, limit int) ([]${T}${i}, error) {\n\trows, err := db.QueryContext(ctx, "SELECT id, name FROM ${noun}s LIMIT $1", limit)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf("list ${noun}s: %w", err)\n\t}\n\tdefer rows.Close()\n\tvar out []${T}${i}\n\tfor rows.Next() {\n\t\tvar x ${T}${i}\n\t\tif err := rows.Scan(&x.ID, &x.Name); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tout = append(out, x)\n\t}\n\treturn out, rows.Err()\n}\n\n`;
    } else if (kind < 0.75) {
      out += `func summarize${T}${i}_${f}(items []${T}${i}) string {\n\tvar b strings.Builder\n\tfor _, it := range items {\n\t\tb.WriteString(it.Name)\n\t\tfor _, tag := range it.Tags {\n\t\t\tif strings.HasPrefix(tag, "x-") {\n\t\t\t\tcontinue\n\t\t\t}\n\t\t\tb.WriteString(tag)\n\t\t}\n\t}\n\treturn b.String()\n}\n\n`;
    } else {
      out += `func fetch${T}${i}_${f}(ctx context.Context, c *http.Client, id string) (*${T}${i}, error) {\n\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://svc/${noun}/"+id, nil)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tresp, err := c.Do(req)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer resp.Body.Close()\n\tif resp.StatusCode != http.StatusOK {\n\t\treturn nil, fmt.Errorf("status %d", resp.StatusCode)\n\t}\n\tvar x ${T}${i}\n\treturn &x, json.NewDecoder(resp.Body).Decode(&x)\n}\n\n`;
    }
  }
  return out;
}

function dockerfile(r: () => number): string {
  const v = pick(r, ['1.21', '1.22', '1.23']);
  if (r() < 0.5) return `FROM golang:${v}\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/server\nCMD /app\n`;
  return `# syntax=docker/dockerfile:1\nFROM golang:${v}-alpine AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/server\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n`;
}

function manifest(r: () => number, i: number): string {
  const name = `${pick(r, NOUNS)}-${i}`;
  const limits = r() < 0.5 ? `          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n` : '';
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${name}:1.${i % 10}.0\n          ports:\n            - containerPort: 8080\n              name: http\n${limits}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: http\n`;
}

/** One Go file of about `lines` lines: several generated files' declarations under one package clause and import block. */
export function largeGoFile(lines: number, seed = 5): string {
  const r = rng(seed);
  const first = goFile(r, 'shop', 0);
  const header = first.slice(0, first.indexOf(')\n') + 2);
  let body = first.slice(header.length);
  for (let i = 1; body.split('\n').length + header.split('\n').length < lines; i++) {
    const next = goFile(r, 'shop', i);
    body += next.slice(next.indexOf(')\n') + 2);
  }
  return header + body;
}

/** Writes a workspace of the given size under `dir` (deterministic for a seed). */
export function generateWorkspace(dir: string, size: CorpusSize, seed = 42): void {
  const r = rng(seed);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/bench\n\ngo 1.22\n');
  for (let i = 0; i < size.goFiles; i++) {
    const pkg = `pkg${i % 50}`;
    fs.mkdirSync(path.join(dir, 'internal', pkg), { recursive: true });
    fs.writeFileSync(path.join(dir, 'internal', pkg, `file${i}.go`), goFile(r, pkg, i));
  }
  for (let i = 0; i < size.dockerfiles; i++) {
    fs.mkdirSync(path.join(dir, 'services', `svc${i}`), { recursive: true });
    fs.writeFileSync(path.join(dir, 'services', `svc${i}`, 'Dockerfile'), dockerfile(r));
  }
  fs.mkdirSync(path.join(dir, 'deploy'), { recursive: true });
  for (let i = 0; i < size.manifests; i++) fs.writeFileSync(path.join(dir, 'deploy', `app${i}.yaml`), manifest(r, i));
}

/**
 * A workspace of at least `lines` lines: the Dockerfiles and manifests of the
 * standard corpus, then Go files (50 packages) until the count is reached.
 * Returns the files and lines written.
 */
export function generateLines(dir: string, lines: number, seed = 42): { files: number; lines: number } {
  generateWorkspace(dir, { goFiles: 0, dockerfiles: 200, manifests: 500 }, seed);
  let written = 0;
  let files = 0;
  const count = (text: string): number => text.split('\n').length;
  for (const f of fs.readdirSync(path.join(dir, 'deploy'))) written += count(fs.readFileSync(path.join(dir, 'deploy', f), 'utf8'));
  for (let i = 0; i < 200; i++) written += count(fs.readFileSync(path.join(dir, 'services', `svc${i}`, 'Dockerfile'), 'utf8'));
  files += 700;
  const r = rng(seed + 1);
  for (let i = 0; written < lines; i++, files++) {
    const pkg = `pkg${i % 50}`;
    const text = goFile(r, pkg, i);
    fs.mkdirSync(path.join(dir, 'internal', pkg), { recursive: true });
    fs.writeFileSync(path.join(dir, 'internal', pkg, `file${i}.go`), text);
    written += count(text);
  }
  return { files, lines: written };
}
