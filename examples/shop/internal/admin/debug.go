// Package admin serves the shop's operator endpoints: profiling and bulk
// imports. It holds the defects of Shipshape's memory & limits rules
// (go/pprof-exposed, go/http-server-no-timeouts, go/unbounded-body-read,
// go/sub-slice-retention) next to clean look-alikes.
package admin

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/pprof"
	"time"
)

// StartDebug serves pprof on every interface: go/pprof-exposed, and the
// server has no read timeouts: go/http-server-no-timeouts.
func StartDebug() {
	dbg := http.NewServeMux()
	dbg.HandleFunc("/debug/pprof/", pprof.Index)
	dbg.HandleFunc("/debug/pprof/profile", pprof.Profile)
	srv := &http.Server{Addr: ":6060", Handler: dbg}
	go func() { log.Println(srv.ListenAndServe()) }()
}

// StartLocalDebug is the clean look-alike: loopback only, with a header timeout.
func StartLocalDebug() *http.Server {
	dbg := http.NewServeMux()
	dbg.HandleFunc("/debug/pprof/", pprof.Index)
	return &http.Server{Addr: "127.0.0.1:6061", Handler: dbg, ReadHeaderTimeout: 5 * time.Second}
}

// Product is one row of a catalog import.
type Product struct {
	SKU   string  `json:"sku"`
	Price float64 `json:"price"`
}

// Import reads a whole upload with no limit: go/unbounded-body-read.
func Import(w http.ResponseWriter, r *http.Request) {
	var products []Product
	if err := json.NewDecoder(r.Body).Decode(&products); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// ImportLimited is the clean look-alike.
func ImportLimited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	var products []Product
	if err := json.NewDecoder(r.Body).Decode(&products); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// ImportGzip drains a gzip upload with no limit on the expanded size (a zip bomb).
func ImportGzip(w http.ResponseWriter, r *http.Request) {
	zr, err := gzip.NewReader(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer zr.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, zr); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

// batchIDs keeps the first 16 bytes of every upload: go/sub-slice-retention.
var batchIDs [][]byte

// RememberBatch pins each whole upload in memory through a 16-byte slice.
func RememberBatch(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
	data, err := io.ReadAll(r.Body)
	if err != nil || len(data) < 16 {
		http.Error(w, "short batch", http.StatusBadRequest)
		return
	}
	batchIDs = append(batchIDs, data[:16])
}

// RememberBatchCopy is the clean look-alike.
func RememberBatchCopy(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<20)
	data, err := io.ReadAll(r.Body)
	if err != nil || len(data) < 16 {
		http.Error(w, "short batch", http.StatusBadRequest)
		return
	}
	batchIDs = append(batchIDs, bytes.Clone(data[:16]))
}
