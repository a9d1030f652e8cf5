// Package catalog builds price lists. It holds go/large-struct-range-copy
// and go/http-client-no-timeout defects next to clean look-alikes.
package catalog

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Item is 176 bytes: each range iteration by value copies all of it.
type Item struct {
	SKU, Name, Brand, Category, Description string
	Price, Weight                           float64
	Stock                                   int64
	UpdatedAt, CreatedAt                    time.Time
	Tags                                    []string
}

// Total copies every Item into it: go/large-struct-range-copy.
func Total(items []Item) float64 {
	var sum float64
	for _, it := range items {
		sum += it.Price * float64(it.Stock)
	}
	return sum
}

// TotalByIndex is the clean look-alike.
func TotalByIndex(items []Item) float64 {
	var sum float64
	for i := range items {
		it := &items[i]
		sum += it.Price * float64(it.Stock)
	}
	return sum
}

// FetchRates uses http.DefaultClient, which has no timeout: go/http-client-no-timeout.
func FetchRates(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	rates := map[string]float64{}
	return rates, json.NewDecoder(resp.Body).Decode(&rates)
}

var ratesClient = &http.Client{Timeout: 5 * time.Second}

// FetchRatesWithTimeout is the clean look-alike.
func FetchRatesWithTimeout(url string) (map[string]float64, error) {
	resp, err := ratesClient.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("rates: %s", resp.Status)
	}
	rates := map[string]float64{}
	return rates, json.NewDecoder(resp.Body).Decode(&rates)
}
