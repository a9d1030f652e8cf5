// The cross-file rules in the editor, through the built dist/server.js with the real rules: editing
// main.go re-checks an open deploy.yaml (the model's reads are the manifest analysis's dependencies, the
// engine's model is brought up to date from the edit) without any audit, and the hover on the finding
// shows both sides: the probe path and the routes the Go code registers, with links to them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, builtServer, fileUri, makeWorkspace } from './support/client';

const MAIN = (extra: string): string => `package main

import "net/http"

func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})${extra}
\t_ = http.ListenAndServe(":8080", mux)
}
`;
const READY = '\n\tmux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) {})';
const DOCKERFILE = `FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /api .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /api /api
ENTRYPOINT ["/api"]
`;
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
`;
const RULE = 'x/probe-path-not-served';

test('editing main.go updates the open deploy.yaml without a re-audit; the hover shows the probe path and the routes', async (t) => {
  const folder = makeWorkspace({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': MAIN(''), Dockerfile: DOCKERFILE, 'deploy.yaml': DEPLOY });
  const client = await LspClient.start(builtServer(), { folder });
  try {
    const deployUri = await client.open(path.join(folder, 'deploy.yaml'), DEPLOY, 'yaml');
    const first = await client.waitFor((p) => p.uri === deployUri && p.diagnostics.some((d) => d.code === RULE));
    const d = first.diagnostics.find((x) => x.code === RULE);
    assert.ok(d);
    assert.match(typeof d.message === 'string' ? d.message : d.message.value, /^readinessProbe path \/ready is not a route of Go service api/);

    // Both sides in the hover: the probe path, the routes, and a link to where the route is registered.
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: deployUri }, position: d.range.start });
    const md = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.ok(md.includes('- Probe path: **/ready**'), md);
    assert.ok(md.includes('- Routes the service registers: **GET /healthz**'), md);
    assert.ok(md.includes(`- registers GET /healthz — [main.go:7](${fileUri(path.join(folder, 'main.go'))}#L7)`), md);

    // main.go is opened and edited to register /ready: the manifest is re-analysed as a dependent.
    const mainUri = await client.open(path.join(folder, 'main.go'), MAIN(''), 'go');
    const since = client.published.length;
    const started = Date.now();
    await client.change(mainUri, [{ text: MAIN(READY) }]);
    await client.waitFor((p) => p.uri === deployUri && !p.diagnostics.some((x) => x.code === RULE), 10000, since);
    const clearedMs = Date.now() - started;

    // And back: the route removed again, the finding returns.
    const since2 = client.published.length;
    await client.change(mainUri, [{ text: MAIN('') }]);
    await client.waitFor((p) => p.uri === deployUri && p.diagnostics.some((x) => x.code === RULE), 10000, since2);
    // The dependents' debounce is 300 ms; the rest is analysis and transport.
    assert.ok(clearedMs < 5000, `deploy.yaml updated ${clearedMs} ms after the edit of main.go`);
    t.diagnostic(`deploy.yaml updated ${clearedMs} ms after the edit of main.go`);
  } finally {
    await client.shutdown();
  }
});
