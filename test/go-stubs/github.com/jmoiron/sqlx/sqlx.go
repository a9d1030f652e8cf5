// Package sqlx is a stub of github.com/jmoiron/sqlx with only what Shipshape's fixtures use.
package sqlx

import (
	"context"
	"database/sql"
)

type DB struct{ *sql.DB }

func Open(driverName, dataSourceName string) (*DB, error)    { return &DB{}, nil }
func Connect(driverName, dataSourceName string) (*DB, error) { return &DB{}, nil }
func MustConnect(driverName, dataSourceName string) *DB      { return &DB{} }

func (db *DB) Get(dest any, query string, args ...any) error                             { return nil }
func (db *DB) Select(dest any, query string, args ...any) error                          { return nil }
func (db *DB) GetContext(ctx context.Context, dest any, query string, args ...any) error { return nil }
func (db *DB) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return nil
}
func (db *DB) Queryx(query string, args ...any) (*Rows, error) { return nil, nil }
func (db *DB) QueryxContext(ctx context.Context, query string, args ...any) (*Rows, error) {
	return nil, nil
}

type Rows struct{ *sql.Rows }
