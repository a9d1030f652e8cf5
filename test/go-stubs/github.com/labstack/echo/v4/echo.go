// Package echo is a stub of github.com/labstack/echo/v4 with only what Shipshape's fixtures use.
package echo

import (
	"context"
	"net/http"
)

type Context interface {
	Request() *http.Request
	Response() *Response
	Param(name string) string
	QueryParam(name string) string
	FormValue(name string) string
	Bind(i any) error
	JSON(code int, i any) error
	String(code int, s string) error
	NoContent(code int) error
}

// Response wraps the http.ResponseWriter of a request.
type Response struct{ http.ResponseWriter }

type HandlerFunc func(Context) error
type MiddlewareFunc func(HandlerFunc) HandlerFunc

type Echo struct {
	Server    *http.Server
	TLSServer *http.Server
}

func New() *Echo                                { return &Echo{Server: new(http.Server), TLSServer: new(http.Server)} }
func (e *Echo) GET(path string, h HandlerFunc)  {}
func (e *Echo) POST(path string, h HandlerFunc) {}
func (e *Echo) Use(m ...MiddlewareFunc)         {}
func (e *Echo) Start(addr string) error         { return nil }

type HTTPError struct{ Code int }

func (e *HTTPError) Error() string                 { return http.StatusText(e.Code) }
func NewHTTPError(code int, msg ...any) *HTTPError { return &HTTPError{Code: code} }

func (e *Echo) StartTLS(addr string, certFile, keyFile any) error { return nil }
func (e *Echo) StartServer(s *http.Server) error                  { return nil }
func (e *Echo) Shutdown(ctx context.Context) error                { return nil }
