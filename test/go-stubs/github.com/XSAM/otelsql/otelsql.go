// Package otelsql is a stub of github.com/XSAM/otelsql with only what Shipshape's fixtures use.
package otelsql

import (
	"database/sql"
	"database/sql/driver"
)

// Option configures the instrumentation.
type Option interface{ apply() }

// Open opens an instrumented database.
func Open(driverName, dataSourceName string, options ...Option) (*sql.DB, error) { return nil, nil }

// OpenDB opens an instrumented database from a connector.
func OpenDB(c driver.Connector, options ...Option) *sql.DB { return nil }
