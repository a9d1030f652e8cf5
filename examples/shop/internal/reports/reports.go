// Package reports serves the back-office exports of the shop: CSV reports of
// orders, built from the reporting replica.
//
// It holds the concurrency and request-scope defects Shipshape's go/ rules
// find (go/sql-open-per-request, go/missing-context, go/unbounded-goroutine,
// go/string-concat-in-loop) next to clean look-alikes.
package reports

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Reports serves the /reports endpoints.
type Reports struct {
	replicaDSN string
	archive    *sql.DB
	client     *http.Client
}

// New builds the reports handlers; the archive pool is opened once, at startup.
func New(replicaDSN string, archive *sql.DB) *Reports {
	return &Reports{replicaDSN: replicaDSN, archive: archive, client: &http.Client{Timeout: 10 * time.Second}}
}

// Register mounts the report routes.
func (rp *Reports) Register(mux *http.ServeMux) {
	mux.HandleFunc("/reports/orders.csv", rp.ordersCSV)
	mux.HandleFunc("/reports/archive", rp.archived)
	mux.HandleFunc("/reports/notify", rp.notify)
}

// ordersCSV exports the orders of a day as CSV.
func (rp *Reports) ordersCSV(w http.ResponseWriter, r *http.Request) {
	// Defect (go/sql-open-per-request): a new pool for every export.
	db, err := sql.Open("postgres", rp.replicaDSN)
	if err != nil {
		http.Error(w, "replica unavailable", http.StatusServiceUnavailable)
		return
	}
	defer db.Close()

	// Defect (go/missing-context): the query ignores r.Context(), so it runs on
	// after the client gives up.
	rows, err := db.Query("SELECT id, customer_id, total_cents FROM orders WHERE created_at::date = $1", r.URL.Query().Get("day"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()

	// Defect (go/string-concat-in-loop): the CSV is copied on every row.
	out := "id,customer,total\n"
	for rows.Next() {
		var id, customer, total int64
		if err := rows.Scan(&id, &customer, &total); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out += strconv.FormatInt(id, 10) + "," + strconv.FormatInt(customer, 10) + "," + strconv.FormatInt(total, 10) + "\n"
	}
	w.Header().Set("Content-Type", "text/csv")
	_, _ = w.Write([]byte(out))
}

// archived lists archived order ids; the clean look-alike of ordersCSV.
func (rp *Reports) archived(w http.ResponseWriter, r *http.Request) {
	rows, err := rp.archive.QueryContext(r.Context(), "SELECT id FROM archived_orders LIMIT 100")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return
		}
		fmt.Fprintf(&b, "%d\n", id)
	}
	_, _ = w.Write([]byte(b.String()))
}

// notify tells the subscribers of a report that it is ready.
func (rp *Reports) notify(w http.ResponseWriter, r *http.Request) {
	for _, hook := range r.URL.Query()["hook"] {
		// Defect (go/unbounded-goroutine): one goroutine per hook in the query string, no bound.
		go func() {
			// Defect (go/missing-context): no context reaches the webhook call.
			ctx := context.Background()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, nil)
			if err != nil {
				return
			}
			resp, err := rp.client.Do(req)
			if err != nil {
				log.Printf("notify %s: %v", hook, err)
				return
			}
			resp.Body.Close()
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}
