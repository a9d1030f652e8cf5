// Command shop serves the order API of a small web shop: products and orders
// from PostgreSQL, payments and stock through two upstream services.
package main

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/shop/internal/handlers"
	"example.com/shop/internal/store"
	"example.com/shop/internal/upstream"
)

func main() {
	cfg := loadConfig()

	// The SQL driver is linked in by the deployment build (e.g. pgx's stdlib package).
	db, err := sql.Open(cfg.dbDriver, cfg.dbDSN)
	if err != nil {
		log.Fatalf("open database: %v", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)

	st := store.New(db)
	payments := upstream.NewPayments(cfg.paymentsURL, cfg.paymentsToken)
	inventory := upstream.NewInventory(cfg.inventoryURL)

	mux := http.NewServeMux()
	h := handlers.New(st, payments, inventory)
	h.Register(mux)

	srv := &http.Server{
		Addr:    cfg.addr,
		Handler: mux,
	}

	go func() {
		log.Printf("shop listening on %s", cfg.addr)
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("serve: %v", err)
		}
	}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Printf("shutdown: %v", err)
	}
}

type config struct {
	addr          string
	dbDriver      string
	dbDSN         string
	paymentsURL   string
	paymentsToken string
	inventoryURL  string
}

func loadConfig() config {
	return config{
		addr:          env("SHOP_ADDR", ":8080"),
		dbDriver:      env("SHOP_DB_DRIVER", "pgx"),
		dbDSN:         env("SHOP_DB_DSN", "postgres://shop@localhost/shop?sslmode=disable"),
		paymentsURL:   env("PAYMENTS_URL", "http://payments:8080"),
		paymentsToken: os.Getenv("PAYMENTS_TOKEN"),
		inventoryURL:  env("INVENTORY_URL", "http://inventory:8080"),
	}
}

func env(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
