// Command worker syncs the catalog and serves its health endpoint. It starts
// an HTTP server and never shuts it down gracefully (go/no-graceful-shutdown),
// with a server that has no read timeouts (go/http-server-no-timeouts).
package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	go syncLoop()
	log.Fatal(http.ListenAndServe(":8081", mux))
}

func syncLoop() {
	client := &http.Client{}
	for range time.Tick(time.Minute) {
		resp, err := client.Get("http://catalog.internal/sync")
		if err != nil {
			log.Println(err)
			continue
		}
		resp.Body.Close()
	}
}
