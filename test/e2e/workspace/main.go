// Package main is stockd's entry point. The end-to-end suite edits this file and restores it after each test.
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
)

// fetchStock asks the warehouse for a SKU's stock level.
func fetchStock(sku string) (string, error) {
	resp, err := http.Get("http://warehouse.internal/café/🚀?sku=" + sku)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, body), nil
}

func main() {
	stock, err := fetchStock("A-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stock)
}
