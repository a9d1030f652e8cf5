package main

import (
	"io"
	"net/http"
)

// café 🚀: two leaks in one file, for fix-all.
func pingAll(urls []string) int {
	ok := 0
	for _, u := range urls {
		resp, err := http.Head(u)
		if err != nil {
			continue
		}
		if resp.StatusCode == http.StatusOK {
			ok++
		}
	}
	return ok
}

func readAll(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}
