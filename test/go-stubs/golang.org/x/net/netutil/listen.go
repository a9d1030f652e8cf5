// Package netutil is a stub of golang.org/x/net/netutil for fixtures: only what they use.
package netutil

import "net"

// LimitListener returns a Listener that accepts at most n simultaneous connections.
func LimitListener(l net.Listener, n int) net.Listener { return l }
