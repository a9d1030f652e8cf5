// Package redis is a stub of github.com/redis/go-redis/v9 for fixtures: only what they use.
package redis

import "context"

// Client is a Redis client.
type Client struct{}

// Options configures a Client.
type Options struct {
	Addr string
}

// NewClient returns a client.
func NewClient(opt *Options) *Client { return &Client{} }

// StringCmd is the result of a command returning a string.
type StringCmd struct{}

// Result returns the value and the error.
func (c *StringCmd) Result() (string, error) { return "", nil }

// Cmd is the result of a generic command.
type Cmd struct{}

// Err returns the command's error.
func (c *Cmd) Err() error { return nil }

// Get runs GET key.
func (c *Client) Get(ctx context.Context, key string) *StringCmd { return &StringCmd{} }

// Do runs any command.
func (c *Client) Do(ctx context.Context, args ...interface{}) *Cmd { return &Cmd{} }

// Close closes the client.
func (c *Client) Close() error { return nil }
