// Package loopback gives test and load clients addresses of their own in
// 127.0.0.0/8, so that a server run with its shipped per-address limits
// (registration throttle, connections per address) sees many clients the
// way it does in a meeting room, where every phone has its own address,
// instead of one client at 127.0.0.1 that the limits would stop.
package loopback

import (
	"context"
	"net"
	"sync/atomic"
	"time"
)

// next counts the addresses handed out; the first is 127.1.0.1, so that
// 127.0.0.1 (the server's own, and every browser's) stays apart.
var next atomic.Uint32

// Next returns a loopback address no other caller of this process has had
// (until 2^24 have been handed out, then it wraps).
func Next() net.IP {
	for {
		n := next.Add(1) + 1<<16 // 127.1.0.0 onwards
		ip := net.IPv4(127, byte(n>>16), byte(n>>8), byte(n))
		if b := byte(n); b != 0 && b != 255 {
			return ip
		}
	}
}

// Dialer returns a dialer whose connections come from ip.
func Dialer(ip net.IP) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 10 * time.Second}
}

// DialContext dials from a new address each call: one client per
// connection, like many phones.
func DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return Dialer(Next()).DialContext(ctx, network, addr)
}
