// Package chi is a stub of github.com/go-chi/chi/v5 for fixtures: only what they use.
package chi

import "net/http"

// Mux is a router.
type Mux struct{}

// NewRouter returns a router.
func NewRouter() *Mux { return &Mux{} }

// Get registers a GET route.
func (m *Mux) Get(pattern string, h http.HandlerFunc) {}

// ServeHTTP implements http.Handler.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// URLParam returns a path parameter of the request.
func URLParam(r *http.Request, key string) string { return "" }

// Post registers a POST route.
func (m *Mux) Post(pattern string, h http.HandlerFunc) {}

// Use adds middleware.
func (m *Mux) Use(middlewares ...func(http.Handler) http.Handler) {}

// Handle registers a handler for a pattern.
func (m *Mux) Handle(pattern string, h http.Handler) {}
