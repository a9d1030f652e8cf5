// Package credentials is a stub of google.golang.org/grpc/credentials with only what Shipshape's fixtures use.
package credentials

type TransportCredentials interface{ Info() string }
