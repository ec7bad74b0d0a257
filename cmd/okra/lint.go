package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/okrfile"
)

// LintCmd runs the OKR coach on a file, offline (docs/coach.md).
type LintCmd struct {
	OutputFlags
	File string `arg:"" name:"file" help:"An OKR document in YAML or JSON (docs/okrs-as-code.md); - reads standard input."`
}

// Run reads the document, checks it with the default thresholds and prints
// the findings. It exits 1 when a check fails and 2 when the file cannot be
// read as an OKR document.
func (c *LintCmd) Run() error {
	var (
		data []byte
		err  error
	)
	if c.File == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(c.File)
	}
	if err != nil {
		return exitStatus{code: 2, msg: err.Error()}
	}
	doc, err := okrfile.Decode(data, c.File)
	if err != nil {
		return exitStatus{code: 2, msg: lintDecodeError(c.File, err)}
	}
	r := app.CoachOffline(doc, okr.DefaultCoachThresholds())
	if c.json() {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		writeLint(os.Stdout, doc.Period, r)
	}
	if r.Fail > 0 {
		return exitStatus{code: 1}
	}
	return nil
}

// lintDecodeError says why a file is no OKR document, one problem a line.
func lintDecodeError(name string, err error) string {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return name + ": " + err.Error()
	}
	msg := name + ": " + e.Message
	for _, f := range e.Fields {
		msg += "\n  " + f.Field + ": " + f.Message
	}
	return msg
}

// lintPct writes a strength as a whole percentage.
func lintPct(x float64) string { return strconv.Itoa(int(math.Round(x*100))) + "%" }

// writeLint prints a report for people: each objective (weakest first) with
// its strength and its warnings and failures, each with the question that
// helps fix it; then the set's own findings, its strength and its counts.
func writeLint(w io.Writer, period string, r app.CoachReport) {
	finding := func(f okr.Finding) {
		// An objective's own findings sit under it; a key result is named
		// by its ref, the set's subjects by their titles.
		subject := ""
		switch {
		case f.Subject == "key_result":
			subject = "  " + f.Ref
		case f.Subject != "objective":
			subject = "  " + cmp.Or(f.Title, f.Ref)
		}
		fmt.Fprintf(w, "  %s  %s%s: %s\n", f.Status, f.Check, subject, f.Reason)
		if f.Prompt != "" {
			fmt.Fprintf(w, "        → %s\n", f.Prompt)
		}
	}
	for _, o := range r.Objectives {
		fmt.Fprintf(w, "%s (%s): strength %s\n", o.Title, o.Ref, lintPct(o.Strength))
		for _, f := range o.Findings {
			if f.Status != okr.CheckPass {
				finding(f)
			}
		}
		fmt.Fprintln(w)
	}
	shown := false
	for _, f := range r.Findings {
		if f.Status == okr.CheckPass {
			continue
		}
		if !shown {
			fmt.Fprintln(w, "People, initiatives and learning:")
			shown = true
		}
		finding(f)
	}
	if shown {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s: strength %s, %s: %d pass, %d warn, %d fail\n", period, lintPct(r.Strength),
		okr.Plural(r.Pass+r.Warn+r.Fail, "check"), r.Pass, r.Warn, r.Fail)
}
