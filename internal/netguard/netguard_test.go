package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestRefused(t *testing.T) {
	for addr, want := range map[string]string{
		"8.8.8.8":              "",
		"2606:4700:4700::1111": "",
		"93.184.216.34":        "",
		"127.0.0.1":            "loopback",
		"127.8.9.10":           "loopback",
		"::1":                  "loopback",
		"10.0.0.1":             "private",
		"172.16.5.4":           "private",
		"192.168.0.1":          "private",
		"169.254.169.254":      "link-local",
		"fe80::1":              "link-local",
		"224.0.0.251":          "multicast",
		"239.1.2.3":            "multicast",
		"ff02::1":              "multicast",
		"0.0.0.0":              "unspecified",
		"::":                   "unspecified",
		"100.64.0.1":           "shared",
		"100.127.255.254":      "shared",
		"fd12:3456::1":         "unique local",
		"fc00::1":              "unique local",
		"::ffff:127.0.0.1":     "loopback",
		"::ffff:192.168.1.1":   "private",
		"64:ff9b::a00:1":       "private address (inside an IPv6 address)",
		"2002:a00:1::1":        "private address (inside an IPv6 address)",
		"::127.0.0.1":          "IPv4-compatible",
		"255.255.255.255":      "reserved",
		"100.128.0.1":          "",
		"64:ff9b::808:808":     "",
		"2002:808:808::1":      "",
		"198.18.0.1":           "benchmarking",
		"192.0.0.8":            "IETF",
		"0.1.2.3":              "this network",
		"172.32.0.1":           "",
		"11.0.0.1":             "",
		"2001:4860:4860::8888": "",
	} {
		got := Refused(netip.MustParseAddr(addr))
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("Refused(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestAllowlist(t *testing.T) {
	g, err := New([]string{"hooks.internal:8443", "10.20.0.0/16", "[fd00::5]:80", "127.0.0.1:9000"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		host, port, ip string
		ok             bool
	}{
		{"hooks.internal", "8443", "10.9.9.9", true},     // named host:port
		{"HOOKS.internal.", "8443", "10.9.9.9", true},    // case and the root dot
		{"hooks.internal", "8444", "10.9.9.9", false},    // another port
		{"other.internal", "443", "10.20.3.4", true},     // in the CIDR block
		{"other.internal", "443", "10.21.3.4", false},    // outside
		{"x", "80", "fd00::5", true},                     // IPv6 host:port by the connected address
		{"127.0.0.1", "9000", "127.0.0.1", true},         // loopback named with its port
		{"127.0.0.1", "9001", "127.0.0.1", false},        // not that port
		{"example.com", "443", "93.184.216.34", true},    // public: always
		{"example.com", "443", "::ffff:10.20.1.1", true}, // mapped form inside the block
	} {
		err := g.Check(c.host, c.port, netip.MustParseAddr(c.ip))
		if (err == nil) != c.ok {
			t.Errorf("Check(%s:%s → %s) = %v, want allowed %v", c.host, c.port, c.ip, err, c.ok)
		}
	}
	if _, err := New([]string{"10.0.0.0/33", "justahost", "h:0", "h:99999"}); err == nil ||
		!strings.Contains(err.Error(), "10.0.0.0/33") || !strings.Contains(err.Error(), "justahost") || !strings.Contains(err.Error(), "h:99999") {
		t.Errorf("bad entries: %v", err)
	}
}

// TestClientRefusesAtConnectionTime: a request to a loopback server is
// refused when connecting, and the server receives nothing; allowed, it goes
// through; a redirect to a refused address is refused on its hop.
func TestClientRefusesAtConnectionTime(t *testing.T) {
	hits := make(chan string, 10)
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits <- "trap" }))
	defer trap.Close()
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits <- "hop"
		http.Redirect(w, r, trap.URL, http.StatusFound)
	}))
	defer hop.Close()

	_, err := Must(nil).Client(5 * time.Second).Get(trap.URL)
	var ge *Error
	if !errors.As(err, &ge) || !strings.Contains(ge.Why, "loopback") {
		t.Fatalf("unguarded target: %v", err)
	}
	res, err := Must([]string{strings.TrimPrefix(hop.URL, "http://")}).Client(5 * time.Second).Get(hop.URL)
	if err == nil {
		res.Body.Close()
	}
	if !errors.As(err, &ge) {
		t.Fatalf("redirect to the trap: %v", err)
	}
	close(hits)
	var got []string
	for h := range hits {
		got = append(got, h)
	}
	if strings.Join(got, ",") != "hop" {
		t.Errorf("servers hit: %v, want only the allowed hop", got)
	}
}

// TestCheckURLResolves: a name is checked by every address it resolves to.
func TestCheckURLResolves(t *testing.T) {
	g := Must(nil)
	err := g.CheckURL(context.Background(), "http://localhost:8080/x")
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("localhost: %v", err)
	}
	if err := g.CheckURL(context.Background(), "http://user:pw@8.8.8.8/"); err == nil {
		t.Error("credentials in the URL accepted")
	}
	if err := g.CheckURL(context.Background(), "https://8.8.8.8/hook"); err != nil {
		t.Errorf("public IP: %v", err)
	}
	if _, err := net.LookupHost("localhost"); err != nil {
		t.Skip("no resolver for localhost")
	}
}
