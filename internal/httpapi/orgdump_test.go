package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// TestOrganizationBackupAPI: an admin downloads the organization as one
// document (a file name in Content-Disposition); an owner imports it into an
// organization fresh from okra init, which then holds the same objects under
// new ids; a second import, an import into an organization with content, by
// someone not an owner, or of what is not a backup is refused and writes
// nothing.
func TestOrganizationBackupAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a := e.newFixture(t, "Alpha", "owner@alpha.test", "alpha-secret")

		ans := e.call(t, "GET", "/api/v1/organization/export", a.token, "", nil)
		if ans.status != 200 || !regexp.MustCompile(`^attachment; filename="okra-alpha-\d{8}-\d{6}\.json"$`).MatchString(ans.header.Get("Content-Disposition")) {
			t.Fatalf("export: %d, Content-Disposition %q", ans.status, ans.header.Get("Content-Disposition"))
		}
		var raw map[string]any
		decodeJSON(t, ans.body, &raw)
		if raw["format"] != "okra-organization" || raw["version"] != 1.0 || strings.Contains(ans.body, "password_hash") {
			t.Errorf("export: %.300s", ans.body)
		}
		doc := must(a.client.ExportOrganization(ctx))(t)
		counts := map[string]int{}
		for name, rows := range doc.Tables {
			counts[name] = len(rows)
		}
		for name, n := range map[string]int{"users": 3, "memberships": 3, "teams": 1, "periods": 1, "objectives": 1, "key_results": 1,
			"check_ins": 1, "initiatives": 1, "comments": 1} {
			if counts[name] != n {
				t.Errorf("the export has %d rows of %s, want %d", counts[name], name, n)
			}
		}
		for _, token := range []string{a.memberToken, a.viewerToken} {
			if ans := e.call(t, "GET", "/api/v1/organization/export", token, "", nil); ans.status != 403 {
				t.Errorf("a member exports: %d %s", ans.status, ans.body)
			}
		}

		fresh := e.newTenant(t, "Fresh", "owner@fresh.test")
		sum := must(fresh.client.ImportOrganization(ctx, doc))(t)
		got := map[string]int{}
		for _, c := range sum.Tables {
			got[c.Table] = c.Rows
		}
		if got["objectives"] != 1 || got["check_ins"] != 1 || got["users"] != 0 || sum.UsersMatched != 3 || sum.Organization.Slug != "fresh" {
			t.Errorf("import summary: %+v", sum)
		}
		objectives := must(fresh.client.ListObjectives(ctx, apiclient.ObjectiveFilter{}))(t).Items
		if len(objectives) != 1 || objectives[0].Title != a.objective.Title || objectives[0].ID == a.objective.ID {
			t.Errorf("the imported objectives: %+v", objectives)
		}
		after := must(fresh.client.ExportOrganization(ctx))(t)

		refusals := []struct {
			name, token string
			doc         app.OrgDocument
			status      int
			detail      string
			field       errs.FieldError
		}{
			{"a second import", fresh.token, doc, 409, "the organization fresh is not empty", errs.FieldError{}},
			{"into an organization with content", a.token, doc, 409, "the organization alpha is not empty", errs.FieldError{}},
			{"by a member", a.memberToken, doc, 403, "only an owner", errs.FieldError{}},
			{"not a backup", fresh.token, func() app.OrgDocument { d := doc; d.Format = "okr-file"; return d }(), 422, "",
				errs.FieldError{Field: "format", Message: `is "okr-file", not "okra-organization": this is not an okra organization backup`}},
		}
		for _, r := range refusals {
			_, err := apiclient.New(e.url, r.token, nil).ImportOrganization(ctx, r.doc)
			var ae *apiclient.Error
			if !errors.As(err, &ae) || ae.Status != r.status || !strings.Contains(ae.Problem.Detail, r.detail) ||
				(r.field.Field != "" && !slices.Contains(ae.Problem.Errors, r.field)) {
				t.Errorf("%s: %v, want %d %q %v", r.name, err, r.status, r.detail, r.field)
			}
		}
		again := must(fresh.client.ExportOrganization(ctx))(t)
		again.ExportedAt = after.ExportedAt
		if a, b := mustJSON(t, after), mustJSON(t, again); a != b {
			t.Error("a refused import changed the organization")
		}
		if ans := e.call(t, "POST", "/api/v1/organization/import", fresh.token, `{"format":"okra-organization"}`, nil); ans.status != 422 {
			t.Errorf("an incomplete document: %d %s", ans.status, ans.body)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
