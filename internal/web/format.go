package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// pct formats a share (0–1) as a whole percentage.
func pct(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func widthStyle(x float64) templ.SafeCSS {
	return templ.SafeCSS(fmt.Sprintf("width:%.1f%%", clamp01(x)*100))
}

func leftStyle(x float64) templ.SafeCSS {
	return templ.SafeCSS(fmt.Sprintf("left:calc(%.1f%% - 1px)", clamp01(x)*100))
}

func progressLabel(progress, expected float64) string {
	s := "Progress " + pct(progress)
	if expected >= 0 {
		s += ", expected by now " + pct(expected)
	}
	return s
}

// healthWord is a health in plain words.
func healthWord(h okr.Health) string {
	switch h {
	case okr.HealthOnTrack:
		return "On track"
	case okr.HealthAtRisk:
		return "At risk"
	case okr.HealthOffTrack:
		return "Off track"
	case okr.HealthOutdated:
		return "Outdated"
	case okr.HealthClosed:
		return "Closed"
	}
	return "Pending"
}

// statusWord is a check-in status in plain words.
func statusWord(s okr.Status) string { return healthWord(okr.Health(s)) }

// confidenceText shows a confidence (0–1) as "7 in 10".
func confidenceText(c float64) string {
	return strconv.Itoa(int(math.Round(c*10))) + " in 10"
}

// initials are up to two letters of a name, for an avatar.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			out = append(out, []rune(strings.ToUpper(string(r)))...)
			break
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// number formats a value without needless decimals.
func number(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return groupThousands(strconv.FormatInt(int64(x), 10))
	}
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return groupThousands(s[:i]) + s[i:]
	}
	return groupThousands(s)
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// krValue formats a key result's value in its unit: "42%", "€ 1,200",
// "12 customers", "yes".
func krValue(k okr.KeyResult, x float64) string {
	switch {
	case k.Kind == okr.Boolean:
		if x >= 1 {
			return "done"
		}
		return "not yet"
	case k.Unit == okr.UnitPercent:
		return number(x) + "%"
	case k.Unit == okr.UnitCurrency:
		return strings.TrimSpace(k.Currency + " " + number(x))
	case k.Unit == okr.UnitCustom && k.UnitLabel != "":
		return number(x) + " " + k.UnitLabel
	}
	return number(x)
}

// ago says how long ago a moment was, in words.
func ago(t time.Time, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return okr.Plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return okr.Plural(int(d/time.Hour), "hour") + " ago"
	case d < 45*24*time.Hour:
		return okr.Plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return t.Format("2 Jan 2006")
}

// day formats a date for people: "3 Mar 2026".
func day(d okr.Date) string {
	t, err := time.Parse("2006-01-02", string(d))
	if err != nil {
		return string(d)
	}
	return t.Format("2 Jan 2006")
}

// initiativeStatusWord is an initiative's status in plain words.
func initiativeStatusWord(st okr.InitiativeStatus) string {
	switch st {
	case okr.InProgress:
		return "In progress"
	case okr.Blocked:
		return "Blocked"
	case okr.Done:
		return "Done"
	case okr.Cancelled:
		return "Cancelled"
	}
	return "Planned"
}

// roleWord is a role in plain words.
func roleWord(r org.Role) string {
	switch r {
	case org.RoleOwner:
		return "Owner"
	case org.RoleAdmin:
		return "Admin"
	case org.RoleMember:
		return "Member"
	case org.RoleViewer:
		return "Viewer"
	}
	return string(r)
}
