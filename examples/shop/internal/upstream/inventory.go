package upstream

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Inventory calls the stock service.
type Inventory struct {
	baseURL string
	client  *http.Client
}

// NewInventory returns a stock client.
func NewInventory(baseURL string) *Inventory {
	return &Inventory{baseURL: baseURL, client: &http.Client{Timeout: 3 * time.Second}}
}

// Stock returns the units in stock of one product.
func (i *Inventory) Stock(ctx context.Context, productID int64) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/stock/%d", i.baseURL, productID), nil)
	if err != nil {
		return 0, err
	}
	// Defect (go/unclosed-body): the body is decoded but never closed.
	resp, err := i.client.Do(req)
	if err != nil {
		return 0, err
	}
	var s struct {
		Units int `json:"units"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return 0, err
	}
	return s.Units, nil
}

// Reserve holds stock for an order, retrying when the stock service is busy.
func (i *Inventory) Reserve(ctx context.Context, orderID int64, lines map[int64]int) error {
	body, err := json.Marshal(map[string]any{"order_id": orderID, "lines": lines})
	if err != nil {
		return err
	}
	for attempt := 1; attempt <= 3; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, i.baseURL+"/v1/reservations", strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		// Defect (go/unclosed-body): a busy answer retries without closing.
		resp, err := i.client.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("reserve order %d: %s", orderID, resp.Status)
		}
		return nil
	}
	return fmt.Errorf("reserve order %d: stock service busy", orderID)
}

// Release frees reserved stock; the caller does not wait for the answer.
func (i *Inventory) Release(orderID int64) {
	// Defect (go/unclosed-body): the response is thrown away.
	http.Post(i.baseURL+"/v1/reservations/"+strconv.FormatInt(orderID, 10)+"/release", "application/json", nil)
}

// Healthy reports whether the stock service answers; the body is drained and closed.
func (i *Inventory) Healthy(ctx context.Context) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.baseURL+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := i.client.Do(req)
	if err != nil {
		log.Printf("inventory health: %v", err)
		return false
	}
	defer drainAndClose(resp.Body)
	return resp.StatusCode == http.StatusOK
}

// drainAndClose reads what is left so the connection can be reused, then closes.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}
