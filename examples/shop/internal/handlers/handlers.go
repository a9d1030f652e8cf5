// Package handlers serves the shop's HTTP API.
package handlers

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"

	"example.com/shop/internal/store"
	"example.com/shop/internal/upstream"
)

// Handlers holds what the API needs.
type Handlers struct {
	store     *store.Store
	payments  *upstream.Payments
	inventory *upstream.Inventory
}

// New builds the handlers.
func New(st *store.Store, payments *upstream.Payments, inventory *upstream.Inventory) *Handlers {
	return &Handlers{store: st, payments: payments, inventory: inventory}
}

// Register mounts the routes (Go 1.22 patterns).
func (h *Handlers) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", h.Live)
	mux.HandleFunc("GET /readyz", h.Ready)
	mux.HandleFunc("GET /products", h.ListProducts)
	mux.HandleFunc("GET /products/{id}", h.GetProduct)
	mux.HandleFunc("POST /orders", h.CreateOrder)
	mux.HandleFunc("GET /orders/{id}", h.GetOrder)
	mux.HandleFunc("GET /orders/{id}/receipt", h.GetReceipt)
	mux.HandleFunc("POST /orders/{id}/cancel", h.CancelOrder)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
