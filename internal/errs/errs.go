// Package errs defines okra's one error type: a kind that every surface maps to
// its own status, a message for people, per-field details for invalid input,
// and the wrapped cause.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the surfaces (HTTP status, CLI exit code).
type Kind string

// The kinds of error okra distinguishes.
const (
	Invalid         Kind = "invalid"
	NotFound        Kind = "not_found"
	Conflict        Kind = "conflict"
	Forbidden       Kind = "forbidden"
	Unauthenticated Kind = "unauthenticated"
	Unavailable     Kind = "unavailable"
	Internal        Kind = "internal"
	// PreconditionFailed: the version given in If-Match is stale.
	PreconditionFailed Kind = "precondition_failed"
	// PreconditionRequired: an update came without If-Match.
	PreconditionRequired Kind = "precondition_required"
)

// FieldError says what is wrong with one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is okra's error value.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an error of a kind with a formatted message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an error of a kind around a cause.
func Wrap(kind Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...), Err: err}
}

// NotFoundf says that something does not exist (or belongs to another organization).
func NotFoundf(format string, args ...any) *Error { return E(NotFound, format, args...) }

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an okra error of the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// Fields collects per-field validation errors; Err returns nil when there are none.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an Invalid error carrying the fields, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Message: "the input is not valid", Fields: f}
}
