// Package stdlib is a stub of github.com/jackc/pgx/v5/stdlib with only what Shipshape's fixtures use.
package stdlib

import "database/sql"

// OptionOpenDB configures OpenDB.
type OptionOpenDB func()

// ConnConfig stands for pgx.ConnConfig in this stub.
type ConnConfig struct{ ConnString string }

// OpenDB opens a *sql.DB over pgx.
func OpenDB(config ConnConfig, opts ...OptionOpenDB) *sql.DB { return nil }
