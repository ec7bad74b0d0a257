package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/okrfile"
	"github.com/okrahq/okra/internal/org"
)

// seedShopwell makes the organization the example of the docs is written
// for (docs/examples/okrs.yaml) and returns its owner's token.
func seedShopwell(t *testing.T, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	res, err := a.Init(ctx, app.InitInput{OrgName: "Shopwell", Email: "maya@shopwell.example"})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := a.Authenticate(ctx, res.Token, "test")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, n := range []string{"sam", "priya", "leo", "nora", "omar"} {
		m, err := a.CreateUser(ctx, owner, app.UserInput{Email: n + "@shopwell.example", Name: n, Role: org.RoleMember}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = m.ID
	}
	check := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	check(a.CreateTeam(ctx, owner, app.TeamInput{Name: "Support", Slug: "support", LeadIDs: []string{ids["sam"]}, MemberIDs: []string{ids["leo"], ids["omar"]}}, ""))
	check(a.CreateTeam(ctx, owner, app.TeamInput{Name: "Support operations", Slug: "support-ops", LeadIDs: []string{ids["priya"]}}, ""))
	cr, err := a.CreateSkill(ctx, owner, app.SkillInput{Name: "Conflict resolution"}, "")
	check(cr, err)
	check(a.CreateSkill(ctx, owner, app.SkillInput{Name: "Empathy"}, ""))
	check(a.CreateSkill(ctx, owner, app.SkillInput{Name: "Ticket triage"}, ""))
	check(a.CreateProgram(ctx, owner, app.ProgramInput{Title: "Conflict Resolution Certification", Kind: learning.KindCertification,
		ExternalID: "cr-cert-101", Skills: []learning.TaughtSkill{{SkillID: cr.ID, Level: 3}}}, ""))
	check(a.CreateRole(ctx, owner, app.RoleInput{Name: "Support agent", HolderIDs: []string{ids["leo"], ids["omar"]}}, ""))
	green, red := 85.0, 70.0
	check(a.CreateKPI(ctx, owner, app.KPIInput{Name: "Customer satisfaction (CSAT)", Unit: okr.UnitPercent, Direction: okr.HigherIsBetter,
		Green: &green, Red: &red, Frequency: okr.Weekly}, ""))
	check(a.CreatePeriod(ctx, owner, app.PeriodInput{Name: "2027-Q1", Kind: okr.PeriodQuarterly, StartDate: "2027-01-01", EndDate: "2027-03-31"}, ""))
	return res.Token
}

// okra apply and okra export, through the API and on the database: the
// example applies (a dry run first), again to no change; its export applies
// back to no change; a bad file exits 1 with each problem at its line.
func TestApplyAndExportCommands(t *testing.T) {
	dir := t.TempDir()
	m := &Main{DB: DBFlags{Data: dir}, Addr: "127.0.0.1:0", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	token := seedShopwell(t, m.App)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	api := []string{"--url", m.URL(), "--token", token}
	example := filepath.Join("..", "..", "docs", "examples", "okrs.yaml")
	run := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		out, errOut, code := okraCmd(t, args...)
		if code != wantCode {
			t.Fatalf("okra %s exited %d, want %d:\n%s%s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		return out, errOut
	}

	// The example is a good set: the coach passes it.
	if out, _ := run(0, "lint", example); !strings.Contains(out, "0 fail") {
		t.Fatalf("okra lint on the example:\n%s", out)
	}
	out, _ := run(0, append([]string{"apply", "-f", example, "--dry-run"}, api...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 22 || lines[0] != `+ objective customers-feel-helped  "Customers feel heard and helped every time they contact us"` ||
		lines[17] != `+ initiative conflict-resolution-certification  "Certify every agent in conflict resolution"` ||
		lines[21] != "20 to create, 0 to update, 0 to delete, 0 unchanged. Dry run: nothing was changed." {
		t.Fatalf("dry run:\n%s", out)
	}
	out, _ = run(0, append([]string{"apply", "-f", example}, api...)...)
	if !strings.HasSuffix(out, "\n20 to create, 0 to update, 0 to delete, 0 unchanged. Applied to 2027-Q1.\n") {
		t.Fatalf("apply:\n%s", out)
	}
	out, _ = run(0, append([]string{"apply", "-f", example}, api...)...)
	if out != "No changes. Period 2027-Q1 matches the file (20 objects unchanged).\n" {
		t.Fatalf("second apply:\n%s", out)
	}

	// Export to a file, apply it back: no change, even with --prune.
	exported := filepath.Join(dir, "q1.yaml")
	_, errOut := run(0, append([]string{"export", "--period", "2027-Q1", "-o", exported}, api...)...)
	if errOut != "Wrote period 2027-Q1 to "+exported+": 4 objectives, 13 key results, 3 initiatives.\n" {
		t.Fatalf("export said %q", errOut)
	}
	out, _ = run(0, append([]string{"apply", "-f", exported, "--prune"}, api...)...)
	if !strings.HasPrefix(out, "No changes.") {
		t.Fatalf("export → apply:\n%s", out)
	}
	y, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := okrfile.Decode(y, exported)
	if err != nil {
		t.Fatal(err)
	}
	out, _ = run(0, append([]string{"export", "--period", "2027-Q1", "--format", "json"}, api...)...)
	fromJSON, err := okrfile.Decode([]byte(out), "")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromYAML, fromJSON); d != "" || !strings.HasPrefix(out, "{\n  \"okra\": 1,") {
		t.Fatalf("YAML and JSON exports differ:\n%s", d)
	}

	// A change, planned as JSON for a script; then a bad file.
	changed := strings.Replace(string(y), "target: 18\n", "target: 16\n", 1)
	changedFile := filepath.Join(dir, "changed.yaml")
	if err := os.WriteFile(changedFile, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ = run(0, append([]string{"apply", "-f", changedFile, "--dry-run", "--format", "json"}, api...)...)
	var plan app.ApplyPlan
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Changes) != 1 || plan.Changes[0].Ref != "customers-feel-helped/resolution-time" || plan.Changes[0].Fields[0] != "target" || !plan.DryRun {
		t.Fatalf("JSON plan: %s", out)
	}
	out, _ = run(0, append([]string{"apply", "-f", changedFile, "--dry-run"}, api...)...)
	if out != "~ key_result customers-feel-helped/resolution-time (target)\n\n0 to create, 1 to update, 0 to delete, 19 unchanged. Dry run: nothing was changed.\n" {
		t.Fatalf("text plan:\n%s", out)
	}
	bad := strings.Replace(strings.Replace(string(y), "owner: omar@shopwell.example", "owner: olga@shopwell.example", 1),
		"    kind: aspirational\n", "    kind: aspirational\n    colour: red\n", 1)
	badFile := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badFile, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut = run(1, append([]string{"apply", "-f", badFile}, api...)...)
	if !strings.Contains(errOut, "okra: the file is not an OKR document okra can read (yaml)\n  "+badFile+":") ||
		!strings.Contains(errOut, ": objectives[2].colour: is not a field of the format here;") {
		t.Fatalf("unknown field: %s", errOut)
	}
	bad = strings.Replace(bad, "    colour: red\n", "", 1)
	if err := os.WriteFile(badFile, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut = run(1, append([]string{"apply", "-f", badFile}, api...)...)
	lineOfOlga := 1 + strings.Count(bad[:strings.Index(bad, "olga@")], "\n")
	want := "okra: the document cannot be applied: 1 problem\n  " + badFile + ":" + itoa(lineOfOlga) +
		": objectives[2].key_results[2].owner: no member with the e-mail \"olga@shopwell.example\" in this organization\n"
	if errOut != want {
		t.Fatalf("bad owner:\n%s\nwant:\n%s", errOut, want)
	}

	// On the database, as a member: the same file, the same plan.
	db := []string{"--data", dir, "--org", "shopwell", "--as", "sam@shopwell.example"}
	out, _ = run(0, append([]string{"apply", "-f", exported, "--dry-run"}, db...)...)
	if !strings.HasPrefix(out, "No changes.") {
		t.Fatalf("on the database:\n%s", out)
	}
	out, _ = run(0, append([]string{"export", "--period", "2027-Q1"}, db...)...)
	if onDB, err := okrfile.Decode([]byte(out), "x.yaml"); err != nil || !cmp.Equal(onDB, fromYAML) {
		t.Fatalf("export on the database: %v\n%s", err, cmp.Diff(fromYAML, onDB))
	}
	_, errOut = run(1, "apply", "-f", changedFile, "--data", dir, "--org", "shopwell", "--as", "leo@shopwell.example")
	if !strings.Contains(errOut, ": objectives[0].key_results[1]: only admins, the key result's owner and its objective's owner or champion may change it") {
		t.Fatalf("a member changing what is not theirs: %s", errOut)
	}

	// Which flags are missing, said plainly.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "-f", example}, "okra: give the API a token (OKRA_TOKEN or --token, with OKRA_URL or --url), or work on the database with --data DIR (or --database-url URL), --org SLUG and --as EMAIL\n"},
		{[]string{"apply", "-f", example, "--data", dir}, "okra: working on the database directly needs --org SLUG, --as EMAIL\n"},
		{[]string{"export", "--period", "2027-Q1", "--org", "shopwell", "--as", "maya@shopwell.example"}, "okra: working on the database directly needs --data DIR (or --database-url URL)\n"},
		{append([]string{"export", "--period", "2031"}, api...), "okra: no period named \"2031\"; the periods are: 2027-Q1\n"},
	} {
		_, errOut := run(1, c.args...)
		if errOut != c.want {
			t.Errorf("okra %s:\n%s\nwant:\n%s", strings.Join(c.args, " "), errOut, c.want)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
