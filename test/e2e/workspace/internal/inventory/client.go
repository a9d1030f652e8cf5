// Package inventory is never opened by the suite: only the workspace audit reports it.
package inventory

import (
	"encoding/json"
	"net/http"
)

type Item struct {
	SKU   string `json:"sku"`
	Count int    `json:"count"`
}

// Lookup fetches one item (café 🚀).
func Lookup(client *http.Client, url string) (Item, error) {
	var it Item
	resp, err := client.Get(url)
	if err != nil {
		return it, err
	}
	err = json.NewDecoder(resp.Body).Decode(&it)
	return it, err
}
