package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/okrfile"
	"github.com/okrahq/okra/internal/org"
)

// DirectFlags let okra apply and okra export work on the database itself,
// as the operator, instead of through the API: the database, the
// organization and the member the changes are made as.
type DirectFlags struct {
	Data        string `help:"Work on the SQLite database in this data directory instead of the API (with --org and --as)." env:"OKRA_DATA" type:"path"`
	DatabaseURL string `help:"Work on this PostgreSQL database instead of the API (with --org and --as)." env:"OKRA_DATABASE_URL" name:"database-url"`
	Org         string `help:"On the database: the organization's slug."`
	As          string `help:"On the database: the e-mail of the member the changes are made as (their role decides what they may change)." name:"as"`
}

// direct reports whether the command works on the database, or says which
// flags are missing for it.
func (d DirectFlags) direct(c ClientFlags) (bool, error) {
	db := d.Data != "" || d.DatabaseURL != ""
	if d.Org == "" && d.As == "" && (!db || c.Token != "") {
		if c.Token == "" {
			return false, errors.New("give the API a token (OKRA_TOKEN or --token, with OKRA_URL or --url), " +
				"or work on the database with --data DIR (or --database-url URL), --org SLUG and --as EMAIL")
		}
		return false, nil
	}
	var missing []string
	if !db {
		missing = append(missing, "--data DIR (or --database-url URL)")
	}
	if d.Org == "" {
		missing = append(missing, "--org SLUG")
	}
	if d.As == "" {
		missing = append(missing, "--as EMAIL")
	}
	if len(missing) > 0 {
		return false, fmt.Errorf("working on the database directly needs %s", strings.Join(missing, ", "))
	}
	if d.Data != "" && d.DatabaseURL == "" {
		if _, err := os.Stat(d.Data); err != nil {
			return false, fmt.Errorf("--data %s: no okra data directory there: %w", d.Data, err)
		}
	}
	return true, nil
}

// open opens the database and finds the member to act as.
func (d DirectFlags) open(ctx context.Context) (*Main, org.Actor, func(), error) {
	m := &Main{DB: DBFlags{Data: d.Data, DatabaseURL: d.DatabaseURL}}
	if err := m.Open(ctx); err != nil {
		return nil, org.Actor{}, nil, err
	}
	actor, err := m.App.OperatorActor(ctx, d.Org, d.As)
	if err != nil {
		m.Close()
		return nil, org.Actor{}, nil, err
	}
	return m, actor, func() { m.Close() }, nil
}

// ApplyCmd makes a period's OKRs match a file.
type ApplyCmd struct {
	File   string `help:"The OKR document: a YAML or JSON file (docs/okrs-as-code.md), - for standard input." short:"f" required:"" name:"file"`
	DryRun bool   `help:"Show the plan and check everything; change nothing." name:"dry-run"`
	Prune  bool   `help:"Delete what the file does not name: the period's other objectives, the other key results and skill requirements of the objects it names, and the initiatives linked only to the period."`
	OutputFlags
	ClientFlags
	DirectFlags
}

// Run reads the file, applies it (or plans it) and prints the plan.
func (c *ApplyCmd) Run(ctx context.Context) error {
	direct, err := c.DirectFlags.direct(c.ClientFlags)
	if err != nil {
		return err
	}
	var data []byte
	name := c.File
	if c.File == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, okrfile.MaxSize+1))
		name = ""
	} else {
		data, err = os.ReadFile(c.File)
	}
	if err != nil {
		return err
	}
	lines := okrfile.Lines(data)
	doc, err := okrfile.Decode(data, name)
	if err != nil {
		return c.problem(err, lines)
	}
	opts := app.ApplyOptions{DryRun: c.DryRun, Prune: c.Prune}
	var plan app.ApplyPlan
	if direct {
		m, actor, done, err := c.DirectFlags.open(ctx)
		if err != nil {
			return err
		}
		defer done()
		plan, err = m.App.ApplyDocument(ctx, actor, doc, opts)
		if err != nil {
			return c.problem(err, lines)
		}
	} else {
		client, err := c.client()
		if err != nil {
			return err
		}
		plan, err = client.ApplyDocument(ctx, doc, opts)
		if err != nil {
			return c.problem(err, lines)
		}
	}
	if c.json() {
		return writeJSON(plan)
	}
	fmt.Print(planText(plan))
	return nil
}

// problem prints what is wrong with the file: each problem at its path and
// line, to standard error (as JSON on standard output with --format json).
func (c *ApplyCmd) problem(err error, lines map[string]int) error {
	var fields []errs.FieldError
	msg := err.Error()
	var e *errs.Error
	var ae *apiclient.Error
	switch {
	case errors.As(err, &e):
		msg, fields = e.Message, e.Fields
	case errors.As(err, &ae):
		msg, fields = ae.Problem.Detail, ae.Problem.Errors
	}
	if len(fields) == 0 {
		if c.json() {
			_ = writeJSON(map[string]any{"error": msg})
			return exitStatus{code: 1}
		}
		return err
	}
	type located struct {
		Field   string `json:"field"`
		Line    int    `json:"line,omitempty"`
		Message string `json:"message"`
	}
	out := make([]located, len(fields))
	for i, f := range fields {
		line, text := lineOf(f.Field, f.Message, lines)
		out[i] = located{Field: f.Field, Line: line, Message: text}
	}
	if c.json() {
		_ = writeJSON(map[string]any{"error": msg, "errors": out})
		return exitStatus{code: 1}
	}
	file := c.File
	if file == "-" {
		file = "stdin"
	}
	var b strings.Builder
	b.WriteString(msg)
	for _, f := range out {
		if f.Line > 0 {
			fmt.Fprintf(&b, "\n  %s:%d: %s: %s", file, f.Line, f.Field, f.Message)
		} else {
			fmt.Fprintf(&b, "\n  %s: %s: %s", file, f.Field, f.Message)
		}
	}
	return errors.New(b.String())
}

// lineOf finds the line of a path in the file (or of the nearest enclosing
// path the file has), and takes a "line N: " off the message.
func lineOf(field, msg string, lines map[string]int) (int, string) {
	var n int
	if _, err := fmt.Sscanf(msg, "line %d:", &n); err == nil {
		return n, strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	for p := field; p != ""; {
		if l, ok := lines[p]; ok {
			return l, msg
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0, msg
}

// planSymbols mark each action as terraform does.
var planSymbols = map[string]string{app.ActionCreate: "+", app.ActionUpdate: "~", app.ActionDelete: "-"}

// planText writes a plan for people.
func planText(p app.ApplyPlan) string {
	var b strings.Builder
	if len(p.Changes) == 0 {
		fmt.Fprintf(&b, "No changes. Period %s matches the file (%s unchanged).\n", p.Period, okr.Plural(p.Unchanged, "object"))
		return b.String()
	}
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "%s %s %s", planSymbols[c.Action], c.Kind, c.Ref)
		if c.Action == app.ActionUpdate {
			fmt.Fprintf(&b, " (%s)", strings.Join(c.Fields, ", "))
		} else {
			fmt.Fprintf(&b, "  %q", c.Title)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n%d to create, %d to update, %d to delete, %d unchanged", p.Create, p.Update, p.Delete, p.Unchanged)
	if p.DryRun {
		b.WriteString(". Dry run: nothing was changed.\n")
	} else {
		fmt.Fprintf(&b, ". Applied to %s.\n", p.Period)
	}
	return b.String()
}

func writeJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ExportCmd writes a period's OKRs as a file.
type ExportCmd struct {
	Period string `help:"The period's name (or id)." required:""`
	Output string `help:"The file to write; standard output when absent." short:"o" type:"path"`
	Format string `help:"The file's format: yaml or json (default: from the -o file's extension, else yaml)." placeholder:"yaml|json"`
	ClientFlags
	DirectFlags
}

// Run exports the period.
func (c *ExportCmd) Run(ctx context.Context) error {
	format := c.Format
	if format != "" && format != okrfile.YAML && format != okrfile.JSON {
		return fmt.Errorf("--format: %q is not a format; use yaml or json", format)
	}
	direct, err := c.DirectFlags.direct(c.ClientFlags)
	if err != nil {
		return err
	}
	if format == "" {
		format = okrfile.YAML
		if strings.EqualFold(filepath.Ext(c.Output), ".json") {
			format = okrfile.JSON
		}
	}
	var doc app.OKRDocument
	if direct {
		m, actor, done, err := c.DirectFlags.open(ctx)
		if err != nil {
			return err
		}
		defer done()
		p, err := m.App.PeriodByName(ctx, actor, c.Period)
		if err != nil {
			return err
		}
		if doc, err = m.App.ExportDocument(ctx, actor, p.ID); err != nil {
			return err
		}
	} else {
		client, err := c.client()
		if err != nil {
			return err
		}
		p, err := client.PeriodByName(ctx, c.Period)
		if err != nil {
			return err
		}
		if doc, err = client.ExportDocument(ctx, p.ID); err != nil {
			return err
		}
	}
	b, err := okrfile.Encode(doc, format)
	if err != nil {
		return err
	}
	if c.Output == "" {
		_, err = os.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(c.Output, b, 0o644); err != nil {
		return err
	}
	krs := 0
	for _, o := range doc.Objectives {
		krs += len(o.KeyResults)
	}
	fmt.Fprintf(os.Stderr, "Wrote period %s to %s: %s, %s, %s.\n", doc.Period, c.Output, okr.Plural(len(doc.Objectives), "objective"),
		okr.Plural(krs, "key result"), okr.Plural(len(doc.Initiatives), "initiative"))
	return nil
}
