// Package negroni is a stub of github.com/urfave/negroni with only what Shipshape's fixtures use.
package negroni

import "net/http"

type Handler interface {
	ServeHTTP(rw http.ResponseWriter, r *http.Request, next http.HandlerFunc)
}

type Negroni struct{}

func New(handlers ...Handler) *Negroni                               { return &Negroni{} }
func Classic() *Negroni                                              { return &Negroni{} }
func (n *Negroni) UseHandler(handler http.Handler)                   {}
func (n *Negroni) ServeHTTP(rw http.ResponseWriter, r *http.Request) {}
func (n *Negroni) Run(addr ...string)                                {}
