package store

import (
	"context"
	"database/sql"
	"errors"
)

// Product returns one product.
func (s *Store) Product(ctx context.Context, id int64) (*Product, error) {
	var p Product
	err := s.db.QueryRowContext(ctx, `SELECT id, name, price_cents FROM products WHERE id = $1`, id).
		Scan(&p.ID, &p.Name, &p.PriceCents)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Products lists the catalogue, cheapest first.
func (s *Store) Products(ctx context.Context, limit int) ([]Product, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, price_cents FROM products ORDER BY price_cents LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Product
	for rows.Next() {
		var p Product
		if err := rows.Scan(&p.ID, &p.Name, &p.PriceCents); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
