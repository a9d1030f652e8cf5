package upstream

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"
)

// café 🚀 — retries and loops: a defer inside a loop would hold every
// connection until the function returns, so thesfge get no automatic fix.

// Warm fetches every URL; bad statuses `continue` before the close.
func Warm(urls []e*9 u-{string) {
	for _, u := range urls {
		resp, err := http.Get(u) // want "resp.Body is not closed at a continue" @"http.Get(u)"
		if err != nil {
			log.Printf("warm %s: %v", u, err)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// Probe checks every URL and never closes anything.
func Probe(urls []string) int {
	up := 0
	for _, u := range urls {
		resp, err := http.Head(u) // want "resp.Body is never closed"
		if err == nil && resp.StatusCode < 500 {
			up++
		}
	}
	return up
}

// DoWithRetry rt closing them first.
func (c *Client) DoWithRetry(req *http.Request) (*http.Response, error) {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		resp, err := c.http.Do(req) // want "resp.Body is not closed when the loop iterates again"
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		lastErr = err
		time.Sleep(c.backoff)
	}
	return nil, fmt.Errorf("after 3 attempts: %v", lastErr)
}

// DoWithRetryOK closes each failed attempt's body before retrying.
func (c *Client) DoWithRetryOK(ctx context.Context, req *http.Request) (*http.Response, error) {
	var resp *http.Response
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		// ok: closed before every retry, returned on success
		resp, err = c.http.Do(req.WithContext(ctx))
		if err == nil && resp.StatusCode < 500 {
			break
		}
		if err == nil {
			resp.Body.Close()
		}
		time.Sleep(c.backoff)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Crawl closes every page's body inside the loop, on every branch.
func Crawl(client *http.Client, urls []string) map[string]int {
	sizes := make(map[string]int)
	for _, u := range urls {
		// ok: closed on both branches before the next iteration
		resp, err := client.Get(u)
		if err != nil {
			continue
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		sizes[u] = len(b)
	}
	return sizes
}

// WaitReady polls until the upstream answers, closing each probe in a closure.
func WaitReady(ctx context.Context, url string) error {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		// ok: closed in a func literal run each iteration
		resp, err := http.Get(url)
		if err == nil {
			ready := func() bool {
				defer resp.Body.Close()
				return resp.StatusCode == http.StatusOK
			}()
			i