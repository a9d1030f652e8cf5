// Package grpc is a stub of google.golang.org/grpc with only what Shipshape's fixtures use.
package grpc

import (
	"net"

	"google.golang.org/grpc/credentials"
)

type DialOption interface{ apply() }

type ClientConn struct{}

func Dial(target string, opts ...DialOption) (*ClientConn, error)      { return &ClientConn{}, nil }
func NewClient(target string, opts ...DialOption) (*ClientConn, error) { return &ClientConn{}, nil }
func (cc *ClientConn) Target() string                                  { return "" }
func (cc *ClientConn) Close() error                                    { return nil }

type credsOption struct{}

func (credsOption) apply() {}

func WithTransportCredentials(creds credentials.TransportCredentials) DialOption {
	return credsOption{}
}

type ServerOption interface{ applyServer() }

type Server struct{}

func NewServer(opts ...ServerOption) *Server   { return &Server{} }
func (s *Server) Serve(lis net.Listener) error { return nil }
func (s *Server) GracefulStop()                {}
func (s *Server) Stop()                        {}
