import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Languages } from '../../server/src/engine/languages';
import type { GoParser, GoFile } from '../../server/src/languages/go/parser';
import { requestScope } from '../../server/src/languages/go/model/request-scope';
import { RecordingWorkspace, type FileSource } from '../../server/src/engine/workspace';
import { FactStore } from '../../server/src/engine/fact-store';
import type { Node } from 'web-tree-sitter';

let parser: GoParser;
let languages: Languages;
before(async () => {
  languages = await Languages.load();
  parser = languages.go.parser;
});

function parse(src: string, file = '/ws/a.go'): GoFile {
  return parser.parse(file, src);
}

/** The first node of `type` whose text starts with `prefix`. */
function find(file: GoFile, type: string, prefix: string): Node {
  const n = file.root.descendantsOfType(type).find((d) => d?.text.startsWith(prefix));
  assert.ok(n, `no ${type} starting with ${prefix}`);
  return n;
}

function memWorkspace(files: Record<string, string>): RecordingWorkspace {
  const source: FileSource = {
    readText: (p) => files[p],
    listDir: (d) => {
      const names = Object.keys(files).filter((p) => path.dirname(p) === d).map((p) => path.basename(p));
      return names.length ? names : undefined;
    },
    versionOf: (p) => (p in files ? '1' : undefined),
  };
  return new RecordingWorkspace(['/ws'], source, new FactStore(languages, source));
}

const HEAD = `package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	echo "github.com/labstack/echo/v4"
	"github.com/gofiber/fiber/v2"
	pb "example.com/gen/userpb"
)
`;

test('finds handlers of every framework by signature', () => {
  const f = parse(HEAD + `
func list(w http.ResponseWriter, r *http.Request) {}
func (s *Server) ServeHTTP(w http.ResponseWriter, req *http.Request) {}
func ginList(c *gin.Context) {}
func echoList(c echo.Context) error { return nil }
func fiberList(c *fiber.Ctx) error { return nil }
func (s *userServer) GetUser(ctx context.Context, in *pb.GetUserRequest) (*pb.GetUserResponse, error) { return nil, nil }
func notHandler(w http.ResponseWriter) {}
func (s *store) Load(ctx context.Context, id string) (*User, error) { return nil, nil }
`);
  const scope = requestScope(f);
  const got = scope.functions.map((fn) => `${fn.name}:${fn.kind}:${fn.contextExpr ?? ''}`);
  assert.deepEqual(got, [
    'list:net/http:r.Context()',
    'ServeHTTP:net/http:req.Context()',
    'ginList:gin:c.Request.Context()',
    'echoList:echo:c.Request().Context()',
    'fiberList:fiber:c.UserContext()',
    'GetUser:grpc:ctx',
  ]);
  f.dispose();
});

test('func literals: route arguments and middleware returns; once.Do stops the scope', () => {
  const f = parse(HEAD + `
func routes(mux *http.ServeMux, r *gin.Engine) {
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { a := 1; _ = a })
	r.GET("/b", func(c *gin.Context) { b := 2; _ = b })
}
func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { m := 3; _ = m; next.ServeHTTP(w, r) })
}
func h(w http.ResponseWriter, r *http.Request) {
	go func() { g := 4; _ = g }()
	once.Do(func() { o := 5; _ = o })
}
`);
  const scope = requestScope(f);
  for (const [text, per] of [['a := 1', true], ['b := 2', true], ['m := 3', true], ['g := 4', true], ['o := 5', false]] as const) {
    assert.equal(!!scope.enclosing(find(f, 'short_var_declaration', text)), per, text);
  }
  assert.equal(scope.enclosing(find(f, 'call_expression', 'mux.HandleFunc')), undefined, 'routes() runs at startup');
  f.dispose();
});

test('callees only called from handlers are per-request, one level deep, across the package', () => {
  const ws = memWorkspace({
    '/ws/api/a.go': HEAD + `
func list(w http.ResponseWriter, r *http.Request) { load(r.Context()); shared() }
func (s *Server) show(c *gin.Context) { s.fetch(c) }
`,
    '/ws/api/b.go': `package api

import (
	"context"

	"github.com/gin-gonic/gin"
)

func load(ctx context.Context) { deeper() }
func deeper() {}
func shared() {}
func (s *Server) fetch(c *gin.Context) {}
func main() { shared() }
`,
    '/ws/api/b_test.go': `package api
func TestLoad(t *testing.T) { load(nil) }
`,
  });
  const b = parse(ws.readText('/ws/api/b.go') ?? '', '/ws/api/b.go');
  const scope = requestScope(b, ws);
  assert.deepEqual(scope.functions.map((fn) => `${fn.name}:${fn.kind}:${fn.contextExpr ?? ''}`), [
    'load:callee:ctx',
    'fetch:gin:c.Request.Context()',
  ]);
  b.dispose();
});

test('request data: body, query, params, decoded payloads and values built from them', () => {
  const f = parse(HEAD + `
func create(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var p Payload
	_ = json.NewDecoder(r.Body).Decode(&p)
	ids := r.URL.Query()["id"]
	names := strings.Split(r.FormValue("names"), ",")
	fixed := []string{"a", "b"}
	rows, _ := db.QueryContext(ctx, "select 1")
	for _, it := range p.Items {}
	for _, id := range ids {}
	for i := 0; i < len(names); i++ {}
	for _, x := range fixed {}
	for i := 0; i < 8; i++ {}
	for _, row := range rows {}
	for range 3 {}
}
func g(c *gin.Context) {
	var in Input
	if err := c.ShouldBindJSON(&in); err != nil { return }
	for _, t := range in.Tags {}
	for _, q := range c.QueryArray("q") {}
	items, _ := svc.List(c)
	for _, it := range items {}
}
`);
  const scope = requestScope(f);
  const loops = f.root.descendantsOfType('for_statement').map((l) => `${l?.text.split('{')[0].trim()} => ${scope.loopInput(l as Node)}`);
  assert.deepEqual(loops, [
    'for _, it := range p.Items => request',
    'for _, id := range ids => request',
    'for i := 0; i < len(names); i++ => request',
    'for _, x := range fixed => other',
    'for i := 0; i < 8; i++ => constant',
    'for _, row := range rows => other',
    'for range 3 => constant',
    'for _, t := range in.Tags => request',
    'for _, q := range c.QueryArray("q") => request',
    'for _, it := range items => other',
  ]);
  const fn = scope.functions[0];
  assert.equal(scope.isRequestScoped(fn, find(f, 'identifier', 'ctx')), true);
  assert.equal(scope.isRequestData(fn, find(f, 'call_expression', 'r.Context()')), false);
  f.dispose();
});

test('half-typed code does not throw', () => {
  for (const src of ['package x\nfunc (', 'package x\nfunc h(w http.ResponseWriter, r *http.Request) { for _, x := range r.', 'func', '']) {
    const f = parse(src);
    const scope = requestScope(f);
    for (const l of f.root.descendantsOfType('for_statement')) if (l) scope.loopInput(l);
    f.dispose();
  }
});
