// Package netguard keeps okra's outgoing requests (webhooks, chat messages)
// away from private networks (SSRF): an address is refused when it is
// loopback, private, link-local, multicast, unspecified, shared (CGNAT
// 100.64.0.0/10), an IPv6 unique local address, or one of those in an
// IPv4-mapped or IPv4-embedding form; unless an allowlist entry ("host:port"
// or a CIDR block) names it.
//
// The check runs where it cannot be fooled: on the address a connection is
// actually made to, after DNS resolution (so DNS rebinding fails), on every
// redirect hop. CheckURL runs it ahead of time at registration, to tell
// people early.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Guard decides which addresses outgoing requests may reach. The zero Guard
// refuses every private address.
type Guard struct {
	hosts    map[string]bool // "host:port", host in lower case, IPs in canonical form
	prefixes []netip.Prefix
	// Resolver resolves host names for CheckURL; nil is net.DefaultResolver.
	Resolver *net.Resolver
}

// New returns a guard that lets the allowlisted targets through: each entry
// is "host:port" (a host name or an IP address) or a CIDR block
// ("10.0.0.0/8", "fd00::/8"). An entry of another form is an error that
// names it.
func New(allow []string) (*Guard, error) {
	g := &Guard{hosts: map[string]bool{}}
	var bad []string
	for _, e := range allow {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if err := g.add(e); err != nil {
			bad = append(bad, err.Error())
		}
	}
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "; "))
	}
	return g, nil
}

// Must returns a guard for allowlist entries known to be valid (validated on
// the way in); an invalid entry is ignored.
func Must(allow []string) *Guard {
	g := &Guard{hosts: map[string]bool{}}
	for _, e := range allow {
		_ = g.add(strings.TrimSpace(e))
	}
	return g
}

// ValidateEntry says what is wrong with one allowlist entry; nil when valid.
func ValidateEntry(e string) error {
	return (&Guard{hosts: map[string]bool{}}).add(strings.TrimSpace(e))
}

func (g *Guard) add(e string) error {
	if strings.Contains(e, "/") {
		p, err := netip.ParsePrefix(e)
		if err != nil {
			return fmt.Errorf("%q is not a CIDR block (e.g. 10.1.0.0/16)", e)
		}
		g.prefixes = append(g.prefixes, p.Masked())
		return nil
	}
	host, port, err := net.SplitHostPort(e)
	if err != nil || host == "" {
		return fmt.Errorf("%q is neither host:port (e.g. hooks.internal:8443) nor a CIDR block", e)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q has no valid port (1–65535)", e)
	}
	g.hosts[hostKey(host, port)] = true
	return nil
}

func hostKey(host, port string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if ip, err := netip.ParseAddr(host); err == nil {
		host = ip.Unmap().String()
	}
	return net.JoinHostPort(host, port)
}

// Refused says why an address is refused as a target, or "" when it is a
// public address.
func Refused(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an IP address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		if ip.Is6() {
			return "a unique local IPv6 address"
		}
		return "a private address"
	case ip.IsMulticast():
		return "a multicast address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address"
	}
	for _, r := range refusedRanges {
		if r.prefix.Contains(ip) {
			return r.why
		}
	}
	// IPv6 forms that carry an IPv4 address: NAT64 (64:ff9b::/96) and 6to4
	// (2002::/16) reach the IPv4 address inside them.
	if ip.Is6() {
		b := ip.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		case sixToFour.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
		}
		if v4.IsValid() {
			if why := Refused(v4); why != "" {
				return why + " (inside an IPv6 address)"
			}
		}
	}
	return ""
}

var (
	refusedRanges = []struct {
		prefix netip.Prefix
		why    string
	}{
		{netip.MustParsePrefix("0.0.0.0/8"), "an address of \"this network\" (0.0.0.0/8)"},
		{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT) address"},
		{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol assignment address"},
		{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
		{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
		{netip.MustParsePrefix("::/96"), "an IPv4-compatible IPv6 address"},
		{netip.MustParsePrefix("100::/64"), "a discard-only address"},
	}
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// allowed reports whether the allowlist names host:port (as requested) or
// the connected address ip:port.
func (g *Guard) allowed(host, port string, ip netip.Addr) bool {
	if g == nil {
		return false
	}
	if g.hosts[hostKey(host, port)] || g.hosts[hostKey(ip.String(), port)] {
		return true
	}
	for _, p := range g.prefixes {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// Error is a refused target.
type Error struct {
	Host string
	IP   netip.Addr
	Why  string
}

func (e *Error) Error() string {
	if e.IP.IsValid() && e.IP.String() != e.Host {
		return fmt.Sprintf("%s resolves to %s, %s; okra sends nothing to private networks unless an admin lists the target under private webhook targets", e.Host, e.IP, e.Why)
	}
	return fmt.Sprintf("%s is %s; okra sends nothing to private networks unless an admin lists the target under private webhook targets", e.Host, e.Why)
}

// Check returns an *Error when the connection to ip for host:port is refused.
func (g *Guard) Check(host, port string, ip netip.Addr) error {
	why := Refused(ip)
	if why == "" || g.allowed(host, port, ip) {
		return nil
	}
	return &Error{Host: host, IP: ip.Unmap(), Why: why}
}

// CheckURL checks a target URL ahead of time: http or https, a host, and
// every address the host resolves to allowed.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("is not an http:// or https:// URL with a host")
	}
	if u.User != nil {
		return errors.New("must not carry a user name or password; the signature authenticates okra")
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		r := g.resolver()
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		ips, err = r.LookupNetIP(ctx, "ip", host)
		if err != nil || len(ips) == 0 {
			return fmt.Errorf("the host %s could not be resolved; check the name", host)
		}
	}
	for _, ip := range ips {
		if err := g.Check(host, port, ip); err != nil {
			return err
		}
	}
	return nil
}

func (g *Guard) resolver() *net.Resolver {
	if g != nil && g.Resolver != nil {
		return g.Resolver
	}
	return net.DefaultResolver
}

// DialContext dials like net.Dialer but refuses, at connection time, an
// address the guard does not allow: the check sees the IP actually
// connected to, after DNS resolution.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	d := net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("netguard: unexpected address %q", address)
			}
			return g.Check(host, port, ap.Addr())
		},
	}
	return d.DialContext(ctx, network, addr)
}

// MaxRedirects is how many redirects a guarded client follows.
const MaxRedirects = 3

// MaxBody is how much of a response body okra reads.
const MaxBody = 64 << 10

// Client returns an HTTP client whose every connection, redirects included
// (at most MaxRedirects), goes through the guard; with no proxy (a proxy
// would connect on okra's behalf, past the guard) and the timeout for the
// whole exchange.
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           g.DialContext,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConns:          10,
			IdleConnTimeout:       30 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("stopped after %d redirects", MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("refused a redirect to a %s: URL", req.URL.Scheme)
			}
			return nil
		},
	}
}

// ReadBody reads at most MaxBody bytes of a response body and closes it.
func ReadBody(r io.ReadCloser) ([]byte, error) {
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, MaxBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(r, MaxBody)) // let a short remainder reuse the connection
	return b, err
}
