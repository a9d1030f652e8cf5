// Package insecure is a stub of google.golang.org/grpc/credentials/insecure with only what Shipshape's fixtures use.
package insecure

import "google.golang.org/grpc/credentials"

type creds struct{}

func (creds) Info() string { return "insecure" }

func NewCredentials() credentials.TransportCredentials { return creds{} }
