// Package pgx is a stub of github.com/jackc/pgx/v5 with only what Shipshape's fixtures use.
package pgx

import "context"

type Conn struct{}

func Connect(ctx context.Context, connString string) (*Conn, error) { return &Conn{}, nil }
func (c *Conn) Close(ctx context.Context) error                     { return nil }
