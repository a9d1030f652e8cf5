// Package gin is a stub of github.com/gin-gonic/gin for fixtures: only what they use.
package gin

import "net/http"

// H is a shortcut for JSON objects.
type H map[string]any

// Context carries a request through the handlers.
type Context struct {
	Request *http.Request
	Writer  http.ResponseWriter
}

// HandlerFunc handles a request.
type HandlerFunc func(*Context)

// Param returns a path parameter.
func (c *Context) Param(key string) string { return "" }

// JSON writes a JSON response.
func (c *Context) JSON(code int, obj any) {}

// AbortWithStatusJSON writes a JSON response and stops the chain.
func (c *Context) AbortWithStatusJSON(code int, obj any) {}

// DataFromReader streams a response body.
func (c *Context) DataFromReader(code int, contentLength int64, contentType string, reader interface{ Read([]byte) (int, error) }, extraHeaders map[string]string) {
}

// Engine is the router.
type Engine struct{}

// New returns a router.
func New() *Engine { return &Engine{} }

// GET registers a GET route.
func (e *Engine) GET(path string, handlers ...HandlerFunc) {}

// Query returns a query parameter.
func (c *Context) Query(key string) string { return "" }

// QueryArray returns a repeated query parameter.
func (c *Context) QueryArray(key string) []string { return nil }

// PostForm returns a form value.
func (c *Context) PostForm(key string) string { return "" }

// GetHeader returns a request header.
func (c *Context) GetHeader(key string) string { return "" }

// ShouldBindJSON decodes the JSON body.
func (c *Context) ShouldBindJSON(obj any) error { return nil }

// BindJSON decodes the JSON body or aborts.
func (c *Context) BindJSON(obj any) error { return nil }

// String writes a text response.
func (c *Context) String(code int, format string, v ...any) {}

// AbortWithStatus stops the chain with a status.
func (c *Context) AbortWithStatus(code int) {}

// Next runs the next handlers.
func (c *Context) Next() {}

// Status sets the response status.
func (c *Context) Status(code int) {}

// POST registers a POST route.
func (e *Engine) POST(path string, handlers ...HandlerFunc) {}

// Use adds middleware.
func (e *Engine) Use(handlers ...HandlerFunc) {}

// Default returns a router with logging and recovery.
func Default() *Engine { return &Engine{} }

// Run serves HTTP.
func (e *Engine) Run(addr ...string) error { return nil }

// Copy returns a copy of the context that is safe to use outside the request's scope.
func (c *Context) Copy() *Context { return &Context{Request: c.Request} }

// WrapH wraps an http.Handler as a gin handler.
func WrapH(h http.Handler) HandlerFunc { return func(*Context) {} }

func (e *Engine) RunTLS(addr, certFile, keyFile string) error { return nil }

func (e *Engine) ServeHTTP(w http.ResponseWriter, req *http.Request) {}
