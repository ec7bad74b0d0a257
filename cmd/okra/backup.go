package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// BackupCmd writes an organization as one JSON document, working on the
// database directly.
type BackupCmd struct {
	DBFlags
	Org    string `help:"The organization's slug." required:""`
	Output string `help:"The file to write (default: standard output). It holds e-mails and chat webhook URLs: it is created readable by you alone." short:"o" type:"path"`
}

// Run writes the document.
func (c *BackupCmd) Run(ctx context.Context) error {
	m := &Main{DB: c.DBFlags}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	doc, err := m.App.BackupOrganization(ctx, c.Org)
	if err != nil {
		return describe(err)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if c.Output == "" || c.Output == "-" {
		_, err := os.Stdout.Write(b)
		return err
	}
	if err := writeFileAtomic(c.Output, b); err != nil {
		return err
	}
	rows, tables := 0, 0
	for _, t := range doc.Tables {
		rows += len(t)
		if len(t) > 0 {
			tables++
		}
	}
	fmt.Printf("Wrote the backup of %s (%d rows in %d tables, schema version %d) to %s.\n", doc.Organization.Slug, rows, tables, doc.SchemaVersion, c.Output)
	return nil
}

// writeFileAtomic writes the file readable by its owner alone, through a
// temporary file renamed over it, so that a crash leaves no half backup.
func writeFileAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// ImportCmd creates an organization from a backup document, working on the
// database directly.
type ImportCmd struct {
	DBFlags
	File string `arg:"" help:"The backup: a file written by okra backup or GET /api/v1/organization/export." type:"existingfile"`
	Slug string `help:"The organization to import into: a new one, or an existing one that holds nothing but members." required:""`
	Name string `help:"A new organization's name (default: the backup's)."`
}

// Run imports and prints what was written.
func (c *ImportCmd) Run(ctx context.Context) error {
	b, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	var doc app.OrgDocument
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%s is not an okra organization backup: %w", c.File, err)
	}
	m := &Main{DB: c.DBFlags}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	sum, err := m.App.RestoreOrganization(ctx, doc, app.RestoreInput{Slug: c.Slug, Name: c.Name})
	if err != nil {
		return describeImport(c.File, err)
	}
	fmt.Printf("Imported %s into organization %q (slug %s, %s):\n", c.File, sum.Organization.Name, sum.Organization.Slug, m.Store.Engine())
	for _, t := range sum.Tables {
		if t.Rows > 0 {
			fmt.Printf("  %-28s %6d\n", t.Table, t.Rows)
		}
	}
	fmt.Printf("People: %d matched to existing accounts by e-mail, %d new accounts without a password", sum.UsersMatched, sum.UsersCreated)
	if sum.MembersKept > 0 {
		fmt.Printf(", %d already members (kept as they were)", sum.MembersKept)
	}
	fmt.Println(".")
	if sum.UsersCreated > 0 {
		fmt.Printf("New accounts sign in with API tokens: okra token --org %s --email EMAIL.\n", sum.Organization.Slug)
	}
	fmt.Println("Not in a backup: API tokens, invitations, LRS credentials and webhooks; create them again.")
	return nil
}

// describeImport spells out an import's errors: --slug for the slug, the
// path in the file for the rest.
func describeImport(file string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		if f.Field == "slug" {
			fmt.Fprintf(&b, "\n  --slug: %s", f.Message)
		} else {
			fmt.Fprintf(&b, "\n  %s: %s: %s", file, f.Field, f.Message)
		}
	}
	return errors.New(b.String())
}
