package handlers

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"example.com/shop/internal/store"
)

type productView struct {
	store.Product
	InStock int `json:"in_stock"`
}

// ListProducts returns the catalogue with stock levels.
func (h *Handlers) ListProducts(w http.ResponseWriter, r *http.Request) {
	products, err := h.store.Products(r.Context(), 100)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	views := make([]productView, len(products))
	var wg sync.WaitGroup
	for i, p := range products {
		wg.Add(1)
		go func() {
			defer wg.Done()
			units, err := h.inventory.Stock(context.Background(), p.ID)
			if err == nil {
				views[i] = productView{Product: p, InStock: units}
			} else {
				views[i] = productView{Product: p}
			}
		}()
	}
	wg.Wait()
	writeJSON(w, http.StatusOK, views)
}

// GetProduct returns one product.
func (h *Handlers) GetProduct(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "bad product id")
		return
	}
	p, err := h.store.Product(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such product")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, p)
}
