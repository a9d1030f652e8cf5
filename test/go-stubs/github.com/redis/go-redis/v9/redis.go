// Package redis is a stub of github.com/redis/go-redis/v9 with only what Shipshape's fixtures use.
package redis

import "context"

type Options struct {
	Addr     string
	Password string
	DB       int
}

type StringCmd struct{}

func (c *StringCmd) Result() (string, error) { return "", nil }

type Client struct{}

func NewClient(opt *Options) *Client                             { return &Client{} }
func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }
func (c *Client) Close() error                                   { return nil }
