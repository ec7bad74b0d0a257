package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
)

// The create, edit and delete forms of objectives, key results and
// initiatives share these helpers: reading numbers typed into a form, the
// idempotency key that makes a double submit create one object, the version
// an edit sends as If-Match, and the breadcrumbs back to the objective.

// formKey is a fresh idempotency key for a create form: submitting the same
// form twice (a double click, a reload) creates one object.
func formKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "web-form-" + hex.EncodeToString(b)
}

// formKeyOf is the form's idempotency key, or a fresh one.
func formKeyOf(r *http.Request) string {
	if k := r.PostFormValue("idem"); strings.HasPrefix(k, "web-form-") && len(k) < 64 {
		return k
	}
	return formKey()
}

// formNumberField reads an optional number typed into a form: nil when empty; a
// text that is no number is noted in fe (the browser's number input
// normally prevents it).
func formNumberField(r *http.Request, name string, fe FieldErrors) *float64 {
	s := strings.TrimSpace(r.FormValue(name))
	if s == "" {
		return nil
	}
	x, err := formParseNumber(s)
	if err != nil {
		fe[name] = "must be a number, like 42 or 12.5"
		return nil
	}
	return &x
}

// formVersion is the version an edit form was loaded with (its If-Match).
func formVersion(r *http.Request) *int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		return nil
	}
	return &v
}

// formIsStale reports whether an update failed because the object changed since
// the form was loaded (or the form carried no version).
func formIsStale(err error) bool {
	return errs.Is(err, errs.PreconditionFailed) || errs.Is(err, errs.PreconditionRequired)
}

// formStaleMessage is what a form says when its object changed meanwhile.
func formStaleMessage(what string) string {
	return "Someone changed this " + what + " while you were editing it. Reload the page to see the current version, then make your change again."
}

// formIsHTMX reports whether htmx sent the request (it then wants a fragment).
func formIsHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// formObjectiveCrumbs lead from the alignment of the objective's period to the objective.
func formObjectiveCrumbs(o okr.Objective) []Crumb {
	return []Crumb{{Label: "Alignment", Href: "/alignment?period=" + o.PeriodID}, {Label: o.Title, Href: "/objectives/" + o.ID}}
}

// has reports whether a field has an error.
func (fe FieldErrors) has(name string) bool { return fe[name] != "" }

// describedBy joins the ids of a field's hint and error, for aria-describedby.
func formDescribedBy(fe FieldErrors, name, id string, hint bool) string {
	var ids []string
	if hint {
		ids = append(ids, id+"-hint")
	}
	if fe[name] != "" {
		ids = append(ids, id+"-error")
	}
	return strings.Join(ids, " ")
}

// invalidAttr is aria-invalid for a field with an error.
func formInvalid(fe FieldErrors, name string) string {
	if fe[name] != "" {
		return "true"
	}
	return "false"
}

// formNumber writes a stored number back into a form field.
func formNumber(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// formNumberPtr writes an optional number into a form field.
func formNumberPtr(x *float64) string {
	if x == nil {
		return ""
	}
	return formNumber(*x)
}

// formInt writes an integer into a form field.
func formInt(i int) string { return strconv.Itoa(i) }

// formParseNumber reads a number as people type it ("1,200.5" too).
func formParseNumber(s string) (float64, error) {
	return strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 64)
}
