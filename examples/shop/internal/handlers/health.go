package handlers

import "net/http"

// Live answers as long as the process serves HTTP.
func (h *Handlers) Live(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
}

// Ready checks the database and the stock service.
func (h *Handlers) Ready(w http.ResponseWriter, r *http.Request) {
	if err := h.store.Ping(r.Context()); err != nil {
		writeError(w, http.StatusServiceUnavailable, "database: "+err.Error())
		return
	}
	if !h.inventory.Healthy(r.Context()) {
		writeError(w, http.StatusServiceUnavailable, "inventory unavailable")
		return
	}
	w.WriteHeader(http.StatusOK)
}
