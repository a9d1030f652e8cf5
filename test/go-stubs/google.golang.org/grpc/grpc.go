// Package grpc is a stub of google.golang.org/grpc with only what Shipshape's fixtures use.
package grpc

import "google.golang.org/grpc/credentials"

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
