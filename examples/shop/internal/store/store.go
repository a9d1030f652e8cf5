// Package store is the shop's database layer (database/sql).
package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// Store runs the shop's queries.
type Store struct {
	db *sql.DB
}

// New wraps an open database.
func New(db *sql.DB) *Store {
	return &Store{db: db}
}

// Product is one item of the catalogue.
type Product struct {
	ID         int64
	Name       string
	PriceCents int64
}

// Order is a customer's order.
type Order struct {
	ID         int64
	CustomerID int64
	TotalCents int64
	Status     string
	CreatedAt  time.Time
}

// Ping checks the database connection.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.PingContext(ctx)
}
