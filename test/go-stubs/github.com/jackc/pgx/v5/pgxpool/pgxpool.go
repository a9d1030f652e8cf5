// Package pgxpool is a stub of github.com/jackc/pgx/v5/pgxpool with only what Shipshape's fixtures use.
package pgxpool

import "context"

type Pool struct{}

func New(ctx context.Context, connString string) (*Pool, error) { return &Pool{}, nil }
func (p *Pool) Close()                                          {}
func (p *Pool) Ping(ctx context.Context) error                  { return nil }
