package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/pgtest"
)

var backupIDs = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// idsAside decodes a backup and writes it again with the organization's id,
// name and slug and the export time blank and every id a label in the order
// ids first appear.
func idsAside(t *testing.T, data string) string {
	t.Helper()
	var doc app.OrgDocument
	if err := json.Unmarshal([]byte(data), &doc); err != nil {
		t.Fatalf("decode the backup: %v\n%.300s", err, data)
	}
	doc.Organization.ID, doc.Organization.Name, doc.Organization.Slug = "", "", ""
	doc.ExportedAt = time.Time{}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]string{}
	return backupIDs.ReplaceAllStringFunc(string(b), func(id string) string {
		if _, ok := labels[id]; !ok {
			labels[id] = fmt.Sprintf("<id %d>", len(labels)+1)
		}
		return labels[id]
	})
}

// TestBackupAndImport: okra backup writes an organization to a file only its
// owner may read; okra import restores it into another database (SQLite,
// and PostgreSQL when there is a server), printing the rows per table, and
// that database's backup is the same document, ids aside. A second import
// into the same organization and a file that is not a backup are refused.
func TestBackupAndImport(t *testing.T) {
	src := t.TempDir()
	seedOne(t, DBFlags{Data: src})
	file := filepath.Join(t.TempDir(), "crash-test.json")
	out, errOut, code := okraCmd(t, "backup", "--data", src, "--org", "crash-test", "-o", file)
	if code != 0 || !regexp.MustCompile(`^Wrote the backup of crash-test \(\d+ rows in \d+ tables, schema version \d+\) to `).MatchString(out) {
		t.Fatalf("okra backup exited %d: %s%s", code, out, errOut)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode is %v, want 0600", st.Mode().Perm())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\n  \"format\": \"okra-organization\",\n") || strings.Contains(string(data), "password_hash") {
		t.Errorf("the backup is not the indented document: %.200s", data)
	}
	want := idsAside(t, string(data))

	targets := map[string][]string{"sqlite": {"--data", t.TempDir()}}
	if os.Getenv(pgtest.EnvDatabaseURL) != "" {
		targets["postgres"] = []string{"--database-url", pgtest.URL(t)}
	}
	for engine, db := range targets {
		t.Run(engine, func(t *testing.T) {
			out, errOut, code := okraCmd(t, append([]string{"import", file, "--slug", "restored", "--name", "Restored"}, db...)...)
			if code != 0 {
				t.Fatalf("okra import exited %d: %s%s", code, out, errOut)
			}
			for _, line := range []string{
				`Imported ` + file + ` into organization "Restored" (slug restored, ` + engine + `):`,
				"  objectives                        1\n",
				"  key_results                       1\n",
				"People: 0 matched to existing accounts by e-mail, 1 new accounts without a password.",
				"New accounts sign in with API tokens: okra token --org restored --email EMAIL.",
			} {
				if !strings.Contains(out, line) {
					t.Errorf("okra import printed no %q:\n%s", line, out)
				}
			}
			again, errOut, code := okraCmd(t, append([]string{"backup", "--org", "restored"}, db...)...)
			if code != 0 {
				t.Fatalf("okra backup exited %d: %s", code, errOut)
			}
			if got := idsAside(t, again); got != want {
				t.Errorf("the restored organization's backup differs, ids aside:\nwant %s\ngot  %s", want, got)
			}

			out, errOut, code = okraCmd(t, append([]string{"import", file, "--slug", "restored"}, db...)...)
			if code != 1 || !strings.Contains(errOut, "okra: the organization restored is not empty (it has 1 rows of periods): import into a new organization") {
				t.Errorf("a second import exited %d: %s%s", code, out, errOut)
			}
		})
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(data), `"version": 1,`, `"version": 7,`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = okraCmd(t, "import", bad, "--data", t.TempDir(), "--slug", "x")
	if code != 1 || !strings.Contains(errOut, "okra: the input is not valid\n  "+bad+": version: is 7; this okra reads version 1 of the backup format") {
		t.Errorf("a version-7 file: exit %d: %s", code, errOut)
	}
	_, errOut, code = okraCmd(t, "import", file, "--data", t.TempDir(), "--slug", "Not a slug")
	if code != 1 || !strings.Contains(errOut, "--slug: use lower-case letters, digits and dashes") {
		t.Errorf("a bad slug: exit %d: %s", code, errOut)
	}
}
