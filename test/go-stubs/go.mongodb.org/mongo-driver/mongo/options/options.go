// Package options is a stub of go.mongodb.org/mongo-driver/mongo/options with only what Shipshape's fixtures use.
package options

type ClientOptions struct{ URI string }

func Client() *ClientOptions                                { return &ClientOptions{} }
func (c *ClientOptions) ApplyURI(uri string) *ClientOptions { c.URI = uri; return c }
