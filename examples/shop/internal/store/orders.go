package store

import (
	"context"
	"database/sql"
	"errors"
)

// CreateOrder inserts an order and its lines in one transaction.
func (s *Store) CreateOrder(ctx context.Context, customerID int64, lines map[int64]int) (*Order, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	var total int64
	for productID, qty := range lines {
		var price int64
		if err := tx.QueryRowContext(ctx, `SELECT price_cents FROM products WHERE id = $1`, productID).Scan(&price); err != nil {
			return nil, err
		}
		total += price * int64(qty)
	}
	o := Order{CustomerID: customerID, TotalCents: total, Status: "pending"}
	err = tx.QueryRowContext(ctx,
		`INSERT INTO orders (customer_id, total_cents, status) VALUES ($1, $2, $3) RETURNING id, created_at`,
		customerID, total, o.Status).Scan(&o.ID, &o.CreatedAt)
	if err != nil {
		return nil, err
	}
	for productID, qty := range lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (order_id, product_id, qty) VALUES ($1, $2, $3)`, o.ID, productID, qty); err != nil {
			return nil, err
		}
	}
	return &o, tx.Commit()
}

// Order returns one order.
func (s *Store) Order(ctx context.Context, id int64) (*Order, error) {
	var o Order
	err := s.db.QueryRowContext(ctx, `SELECT id, customer_id, total_cents, status, created_at FROM orders WHERE id = $1`, id).
		Scan(&o.ID, &o.CustomerID, &o.TotalCents, &o.Status, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &o, err
}

// SetStatus moves an order to a new status.
func (s *Store) SetStatus(ctx context.Context, id int64, status string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE orders SET status = $1 WHERE id = $2`, status, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// OrdersOf lists a customer's orders, newest first.
func (s *Store) OrdersOf(ctx context.Context, customerID int64) ([]Order, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT id, customer_id, total_cents, status, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.CustomerID, &o.TotalCents, &o.Status, &o.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
