package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// okraCmd runs this test binary as `okra args…` and returns its output and
// exit code (see okraEnv).
func okraCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return okraEnv(t, nil, args...)
}

func TestInitPrintsAWorkingTokenLast(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("correct horse battery\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := okraCmd(t, "init", "--data", dir, "--org", "Acme Corp", "--email", "Owner@Acme.test", "--password-file", pw)
	if code != 0 {
		t.Fatalf("okra init exited %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "okra_") || len(token) < 40 {
		t.Fatalf("last line %q is not a token", token)
	}

	// The same slug again is refused with a message that says what to change.
	_, errOut, code = okraCmd(t, "init", "--data", dir, "--org", "Acme Corp", "--email", "other@acme.test")
	if code != 1 || !strings.Contains(errOut, "--slug") {
		t.Fatalf("second init: exit %d, stderr %q; want exit 1 naming --slug", code, errOut)
	}

	// A bad e-mail names the flag.
	_, errOut, code = okraCmd(t, "init", "--data", dir, "--org", "Beta", "--email", "not-an-email")
	if code != 1 || !strings.Contains(errOut, "--email") {
		t.Fatalf("bad e-mail: exit %d, stderr %q", code, errOut)
	}

	// An operator mints a fresh token for the owner straight on the database.
	out, _, code = okraCmd(t, "token", "--data", dir, "--org", "acme-corp", "--email", "owner@acme.test", "--scopes", "read")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	readToken := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(readToken, "okra_") || readToken == token {
		t.Fatalf("okra token: exit %d, %q", code, out)
	}
	_, errOut, code = okraCmd(t, "token", "--data", dir, "--org", "acme-corp", "--email", "nobody@acme.test")
	if code != 1 || !strings.Contains(errOut, "nobody@acme.test") {
		t.Fatalf("okra token for a stranger: exit %d, %q", code, errOut)
	}

	out, _, code = okraCmd(t, "migrate", "--data", dir)
	if code != 0 || !strings.Contains(out, "sqlite database is at schema version") {
		t.Fatalf("okra migrate: exit %d, %q", code, out)
	}
	out, _, code = okraCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "okra ") {
		t.Fatalf("okra version: exit %d, %q", code, out)
	}

	// The token works against a server started the way `okra serve` starts.
	m := &Main{DB: DBFlags{Data: dir}, Addr: "127.0.0.1:0"}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	req, _ := http.NewRequest("GET", m.URL()+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct {
		User struct{ Email string }
		Org  struct{ Slug string }
		Role string
	}
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || me.User.Email != "owner@acme.test" || me.Org.Slug != "acme-corp" || me.Role != "owner" {
		t.Fatalf("GET /me: %d %+v", resp.StatusCode, me)
	}
	// The minted read token reads but does not write.
	req, _ = http.NewRequest("POST", m.URL()+"/api/v1/teams", strings.NewReader(`{"name":"Ops"}`))
	req.Header.Set("Authorization", "Bearer "+readToken)
	req.Header.Set("Content-Type", "application/json")
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusForbidden {
		t.Fatalf("a read token created a team: %d", resp2.StatusCode)
	}
}
