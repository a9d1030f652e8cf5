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
