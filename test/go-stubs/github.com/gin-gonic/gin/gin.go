// Package gin is a stub of github.com/gin-gonic/gin with only what Shipshape's fixtures use.
package gin

import "net/http"

type H map[string]any

type HandlerFunc func(*Context)

type Context struct {
	Request *http.Request
	Writer  http.ResponseWriter
}

func (c *Context) Param(key string) string                  { return "" }
func (c *Context) Query(key string) string                  { return "" }
func (c *Context) QueryArray(key string) []string           { return nil }
func (c *Context) PostForm(key string) string               { return "" }
func (c *Context) GetHeader(key string) string              { return "" }
func (c *Context) ShouldBindJSON(obj any) error             { return nil }
func (c *Context) BindJSON(obj any) error                   { return nil }
func (c *Context) JSON(code int, obj any)                   {}
func (c *Context) String(code int, format string, v ...any) {}
func (c *Context) AbortWithStatus(code int)                 {}
func (c *Context) AbortWithStatusJSON(code int, obj any)    {}
func (c *Context) Next()                                    {}
func (c *Context) Status(code int)                          {}

type RouterGroup struct{}

func (g *RouterGroup) GET(path string, h ...HandlerFunc)                {}
func (g *RouterGroup) POST(path string, h ...HandlerFunc)               {}
func (g *RouterGroup) PUT(path string, h ...HandlerFunc)                {}
func (g *RouterGroup) DELETE(path string, h ...HandlerFunc)             {}
func (g *RouterGroup) Use(h ...HandlerFunc)                             {}
func (g *RouterGroup) Group(path string, h ...HandlerFunc) *RouterGroup { return g }

type Engine struct{ RouterGroup }

func New() *Engine                         { return &Engine{} }
func Default() *Engine                     { return &Engine{} }
func (e *Engine) Run(addr ...string) error { return nil }
