// Package echo is a stub of github.com/labstack/echo/v4 with only what Shipshape's fixtures use.
package echo

import "net/http"

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

type Echo struct{}

func New() *Echo                                { return &Echo{} }
func (e *Echo) GET(path string, h HandlerFunc)  {}
func (e *Echo) POST(path string, h HandlerFunc) {}
func (e *Echo) Use(m ...MiddlewareFunc)         {}
func (e *Echo) Start(addr string) error         { return nil }

type HTTPError struct{ Code int }

func (e *HTTPError) Error() string                 { return http.StatusText(e.Code) }
func NewHTTPError(code int, msg ...any) *HTTPError { return &HTTPError{Code: code} }
