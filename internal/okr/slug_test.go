package okr

import "testing"

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Customers love our support":      "customers-love-our-support",
		"  Café Growth — 2027!  ":         "cafe-growth-2027",
		"Straße & Œuvre":                  "strasse-oeuvre",
		"???":                             "item",
		"Reduce p95 latency (API) <200ms": "reduce-p95-latency-api-200ms",
		"a very long title that keeps going and going well past the sixty-four character limit": "a-very-long-title-that-keeps-going-and",
	} {
		got := Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q is not a valid slug", in, got)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a--b", "A", "a_b", "é"} {
		if ValidSlug(bad) {
			t.Errorf("ValidSlug(%q) = true", bad)
		}
	}
	taken := map[string]bool{"grow": true, "grow-2": true}
	if got := UniqueSlug("grow", func(s string) bool { return taken[s] }); got != "grow-3" {
		t.Errorf("UniqueSlug = %q, want grow-3", got)
	}
	if got := UniqueSlug("new", func(s string) bool { return taken[s] }); got != "new" {
		t.Errorf("UniqueSlug = %q, want new", got)
	}
}
