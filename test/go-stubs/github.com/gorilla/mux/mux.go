// Package mux is a stub of github.com/gorilla/mux with only what Shipshape's fixtures use.
package mux

import "net/http"

type Route struct{}

func (r *Route) Methods(methods ...string) *Route { return r }

type Router struct{}

func NewRouter() *Router { return &Router{} }
func (r *Router) HandleFunc(path string, f func(http.ResponseWriter, *http.Request)) *Route {
	return &Route{}
}
func (r *Router) Handle(path string, h http.Handler) *Route          { return &Route{} }
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {}
func Vars(r *http.Request) map[string]string                         { return nil }
