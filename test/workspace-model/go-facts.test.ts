import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GoParser } from '../../server/src/languages/go/parser';
import { extractGoFacts, durationSeconds, type GoServiceFacts } from '../../server/src/workspace/service-model/go-facts';

/** Per-file Go facts of the service model: routes per router, listen addresses, shutdown, runtime imports. */

let parser: GoParser;
before(async () => {
  parser = await GoParser.create();
});
after(() => {
  parser.dispose();
});

function facts(src: string): Omit<GoServiceFacts, 'outboundHttps'> {
  const file = parser.parse('/ws/main.go', src);
  try {
    return extractGoFacts(file);
  } finally {
    file.dispose();
  }
}

const routes = (f: Omit<GoServiceFacts, 'outboundHttps'>): string[] => f.routes.map((r) => `${r.framework} ${r.method ?? '*'} ${r.path}`);

test('net/http: Go 1.22 method patterns, hosts, a ServeMux; PORT env with its default', () => {
  const f = facts(`package main

import (
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", health)
	mux.Handle("example.com/static/", nil)
	http.HandleFunc("/legacy", health)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	_ = http.ListenAndServe(":"+port, mux)
}
`);
  assert.equal(f.hasMain, true);
  assert.deepEqual(routes(f), ['net/http GET /healthz', 'net/http * /static/', 'net/http * /legacy']);
  assert.equal(f.listens.length, 1);
  assert.deepEqual(f.listens[0].env, { name: 'PORT', default: '8080' });
  assert.equal(f.listens[0].port, 8080);
});

test('gorilla/mux with .Methods and a PathPrefix subrouter; flag default; Shutdown deadline; SIGTERM', () => {
  const f = facts(`package main

import (
	"context"
	"flag"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gorilla/mux"
	_ "go.uber.org/automaxprocs"
)

func main() {
	addr := flag.String("addr", ":9090", "listen address")
	r := mux.NewRouter()
	r.HandleFunc("/healthz", h).Methods("GET")
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/items/{id}", h)
	srv := &http.Server{Addr: *addr, Handler: r}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go srv.ListenAndServe()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
}
`);
  assert.deepEqual(routes(f), ['gorilla/mux GET /healthz', 'gorilla/mux * /api/items/{id}']);
  assert.deepEqual(f.listens.map((l) => [l.via, l.port, l.flag?.name]), [['http.Server.Addr', 9090, 'addr']]);
  assert.equal(f.shutdownTimeout?.seconds, 25);
  assert.equal(f.sigterm, true);
  assert.equal(f.automaxprocs, true);
  assert.equal(f.automemlimit, false);
});

test('chi (Get, Method, Route prefix), gin (groups, Run), echo, fiber, gRPC health', () => {
  const chi = facts(`package main

import "github.com/go-chi/chi/v5"

func main() {
	r := chi.NewRouter()
	r.Get("/healthz", h)
	r.Method("POST", "/orders", h)
	r.Route("/v1", func(r chi.Router) {
		r.Get("/users/{id}", h)
	})
}
`);
  assert.deepEqual(routes(chi), ['chi GET /healthz', 'chi POST /orders', 'chi GET /v1/users/{id}']);
  const gin = facts(`package main

import "github.com/gin-gonic/gin"

func main() {
	r := gin.Default()
	r.GET("/ping", h)
	v1 := r.Group("/v1")
	v1.POST("/login", h)
	r.Run()
}
`);
  assert.deepEqual(routes(gin), ['gin GET /ping', 'gin POST /v1/login']);
  assert.deepEqual(gin.listens.map((l) => [l.via, l.port, l.env?.name]), [['gin.Run', 8080, 'PORT']]);
  const echo = facts(`package main

import "github.com/labstack/echo/v4"

func main() {
	e := echo.New()
	e.GET("/health", h)
	e.Logger.Fatal(e.Start(":1323"))
}
`);
  assert.deepEqual(routes(echo), ['echo GET /health']);
  assert.deepEqual(echo.listens.map((l) => [l.via, l.port]), [['echo.Start', 1323]]);
  const fiber = facts(`package main

import "github.com/gofiber/fiber/v2"

func main() {
	app := fiber.New()
	app.Get("/", h)
	api := app.Group("/api")
	api.Post("/orders", h)
	app.Listen(getEnv("PORT", "3000"))
}
`);
  assert.deepEqual(routes(fiber), ['fiber GET /', 'fiber POST /api/orders']);
  assert.deepEqual(fiber.listens.map((l) => [l.via, l.port, l.env?.name]), [['fiber.Listen', 3000, 'PORT']]);
  const grpc = facts(`package main

import (
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	lis, _ := net.Listen("tcp", ":50051")
	s := grpc.NewServer()
	healthpb.RegisterHealthServer(s, health.NewServer())
	_ = s.Serve(lis)
	s.GracefulStop()
}
`);
  assert.deepEqual(routes(grpc), ['grpc-health * grpc.health.v1.Health']);
  assert.deepEqual(grpc.listens.map((l) => [l.via, l.port]), [['net.Listen', 50051]]);
  assert.equal(grpc.shutdown, true);
});

test('ok: look-alikes are not routes (an http.Client Get, a map Get, a library package)', () => {
  const f = facts(`package store

import "net/http"

func load(c *http.Client, m map[string]string) {
	_, _ = c.Get("/relative")
	_, _ = http.Get("https://example.com/x")
	cache.Get("/key", 1)
}
`);
  assert.deepEqual(routes(f), []);
  assert.equal(f.hasMain, false);
  assert.deepEqual(f.listens, []);
});

test('durations', () => {
  assert.equal(durationSeconds('10*time.Second'), 10);
  assert.equal(durationSeconds('time.Second * 5'), 5);
  assert.equal(durationSeconds('500 * time.Millisecond'), 0.5);
  assert.equal(durationSeconds('time.Minute'), 60);
  assert.equal(durationSeconds('cfg.Timeout'), undefined);
});

test('text pre-checks never hide a router or a server: router types spelled across lines, an aliased net/http, a dot import', () => {
  // The router type is found by a text search before the declarations are walked: spaces and a line break around the dot.
  const spaced = facts(`package api

import (
	"net/http"

	"github.com/gorilla/mux"
)

func register(r *mux.
	Router, other string) {
	r.HandleFunc("/x", nil)
}

func serve(h http.Handler) {
	srv := &web.Server{Addr: ":9090", Handler: h}
	_ = srv
}
`);
  assert.deepEqual(spaced.routeEvidence.routerNames, ['r']);
  // `web` is no import: not net/http's Server.
  assert.deepEqual(spaced.listens, []);
  const aliased = facts(`package main

import web "net/http"

func main() {
	srv := &web.Server{Addr: ":9090", Handler: nil}
	_ = srv.ListenAndServe()
}
`);
  assert.deepEqual(aliased.listens.map((l) => [l.via, l.port]), [['http.Server.Addr', 9090]]);
  const dotted = facts(`package main

import . "net/http"

func main() {
	srv := &Server{Addr: ":7070", Handler: NewServeMux()}
	_ = srv.ListenAndServe()
}
`);
  assert.deepEqual(dotted.listens.map((l) => [l.via, l.port]), [['http.Server.Addr', 7070]]);
  assert.equal(dotted.routeEvidence.servedHandlers.length, 1);
});
