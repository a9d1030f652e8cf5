package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"

	"example.com/shop/internal/store"
)

type createOrderRequest struct {
	CustomerID int64         `json:"customer_id"`
	Lines      map[int64]int `json:"lines"`
}

// CreateOrder stores an order, reserves its stock and charges it.
func (h *Handlers) CreateOrder(w http.ResponseWriter, r *http.Request) {
	var req createOrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad order: "+err.Error())
		return
	}
	if req.CustomerID == 0 || len(req.Lines) == 0 {
		writeError(w, http.StatusBadRequest, "an order needs a customer and lines")
		return
	}
	ctx := r.Context()
	o, err := h.store.CreateOrder(ctx, req.CustomerID, req.Lines)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if err := h.inventory.Reserve(ctx, o.ID, req.Lines); err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	charge, err := h.payments.Charge(ctx, o.ID, o.TotalCents)
	if err != nil {
		go h.inventory.Release(o.ID)
		writeError(w, http.StatusPaymentRequired, err.Error())
		return
	}
	if err := h.store.SetStatus(ctx, o.ID, "paid"); err != nil {
		log.Printf("order %d charged as %s but not marked paid: %v", o.ID, charge.ID, err)
	}
	o.Status = "paid"
	writeJSON(w, http.StatusCreated, o)
}

// GetOrder returns one order.
func (h *Handlers) GetOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "bad order id")
		return
	}
	o, err := h.store.Order(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such order")
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// GetReceipt streams the payment service's receipt PDF.
func (h *Handlers) GetReceipt(w http.ResponseWriter, r *http.Request) {
	chargeID := r.URL.Query().Get("charge")
	if chargeID == "" {
		writeError(w, http.StatusBadRequest, "missing charge")
		return
	}
	body, err := h.payments.Receipt(r.Context(), chargeID)
	if err != nil {
		writeError(w, http.StatusBadGateway, err.Error())
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/pdf")
	if _, err := io.Copy(w, body); err != nil {
		log.Printf("stream receipt %s: %v", chargeID, err)
	}
}

// CancelOrder marks an order cancelled and releases its stock.
func (h *Handlers) CancelOrder(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeError(w, http.StatusBadRequest, "bad order id")
		return
	}
	if err := h.store.SetStatus(r.Context(), id, "cancelled"); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	h.inventory.Release(id)
	w.WriteHeader(http.StatusNoContent)
}
