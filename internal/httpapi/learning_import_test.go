package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
)

// sample reads one of the learning package's sample framework files.
func sample(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "learning", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestSkillImport imports the ESCO, O*NET and CASE samples through POST
// /skills/import: a dry run changes nothing, an import creates every skill
// the parser reads, a re-import duplicates none and updates what changed,
// and a file okra cannot read is a 422 that says why.
func TestSkillImport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
		esco := sample(t, "esco_skills.csv")
		parsed, err := learning.ParseESCO(strings.NewReader(esco))
		if err != nil || len(parsed) < 2 {
			t.Fatalf("the ESCO sample: %d skills, %v", len(parsed), err)
		}
		skills := func() []learning.Skill {
			t.Helper()
			var page app.Page[learning.Skill]
			e.send(t, 200, "GET", "/api/v1/skills?limit=200", f.token, nil, &page)
			return page.Items
		}
		importFile := func(want int, token string, body obj) (app.SkillImport, answer) {
			t.Helper()
			var res app.SkillImport
			var out any
			if want == 200 {
				out = &res
			}
			a := e.send(t, want, "POST", "/api/v1/skills/import", token, body, out)
			return res, a
		}

		// Only admins import, whatever the file.
		importFile(403, f.memberToken, obj{"content": esco})
		importFile(403, f.memberToken, obj{"content": "not a file"})

		// A dry run, the format told from the content: what would happen, and nothing happens.
		res, _ := importFile(200, f.token, obj{"content": esco, "dry_run": true})
		if res.Framework != learning.FrameworkESCO || !res.DryRun || res.Created != len(parsed) || res.Updated != 0 ||
			len(res.Changes) != len(parsed) || res.Changes[0].Action != "create" || res.Changes[0].URI != parsed[0].URI {
			t.Errorf("dry run %+v, want %d creations", res, len(parsed))
		}
		if got := skills(); len(got) != 0 {
			t.Fatalf("a dry run created %d skills", len(got))
		}

		// The import.
		res, _ = importFile(200, f.token, obj{"content": esco, "scale_id": "sfia"})
		if res.DryRun || res.Created != len(parsed) || res.Updated != 0 || res.Unchanged != 0 {
			t.Errorf("import %+v, want %d creations", res, len(parsed))
		}
		got := skills()
		if len(got) != len(parsed) {
			t.Fatalf("%d skills after the import, want %d", len(got), len(parsed))
		}
		byURI := map[string]learning.Skill{}
		for _, s := range got {
			byURI[s.URI] = s
		}
		for _, p := range parsed {
			s, ok := byURI[p.URI]
			if !ok || s.Name != p.Name || s.Framework != learning.FrameworkESCO || s.ScaleID != "sfia" || s.Category != p.Category {
				t.Errorf("imported %+v, want %+v on the SFIA scale", s, p)
			}
		}

		// Again: nothing new. Then with one skill renamed: one update, no duplicate.
		res, _ = importFile(200, f.token, obj{"framework": "esco", "content": esco})
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != len(parsed) || len(res.Changes) != 0 {
			t.Errorf("re-import %+v, want everything unchanged", res)
		}
		renamed := strings.Replace(esco, ","+parsed[0].Name+",", ",handle conflict calmly,", 1)
		if renamed == esco {
			t.Fatalf("could not rename %q in the sample", parsed[0].Name)
		}
		res, _ = importFile(200, f.token, obj{"content": renamed})
		if res.Created != 0 || res.Updated != 1 || len(res.Changes) != 1 ||
			res.Changes[0] != (app.SkillChange{Action: "update", URI: parsed[0].URI, Name: "handle conflict calmly", Was: parsed[0].Name}) {
			t.Errorf("import of a renamed skill %+v", res)
		}
		if n := len(skills()); n != len(parsed) {
			t.Errorf("%d skills after re-imports, want still %d", n, len(parsed))
		}

		// O*NET and CASE, told and detected.
		onet, err := learning.ParseONET(strings.NewReader(sample(t, "onet_skills.csv")))
		if err != nil {
			t.Fatal(err)
		}
		res, _ = importFile(200, f.token, obj{"framework": "onet", "content": sample(t, "onet_skills.csv")})
		if res.Framework != learning.FrameworkONET || res.Created != len(onet) {
			t.Errorf("O*NET import %+v, want %d creations", res, len(onet))
		}
		caseSkills, err := learning.ParseCASE(strings.NewReader(sample(t, "case_framework.json")))
		if err != nil {
			t.Fatal(err)
		}
		res, _ = importFile(200, f.token, obj{"content": sample(t, "case_framework.json")})
		if res.Framework != learning.FrameworkCASE || res.Created != len(caseSkills) {
			t.Errorf("CASE import %+v, want %d creations", res, len(caseSkills))
		}
		if n := len(skills()); n != len(parsed)+len(onet)+len(caseSkills) {
			t.Errorf("%d skills, want %d", n, len(parsed)+len(onet)+len(caseSkills))
		}

		// Files okra cannot read, and wrong settings.
		problems := []struct {
			name  string
			body  obj
			field string
			says  string
		}{
			{"CASE JSON told as ESCO", obj{"framework": "esco", "content": sample(t, "case_framework.json")}, "content", ""},
			{"ESCO without its columns", obj{"framework": "esco", "content": "name,description\nx,y\n"}, "content", "conceptUri"},
			{"a truncated CASE file", obj{"framework": "case", "content": `{"CFDocument": {"title": "x"`}, "content", "too early"},
			{"a format okra cannot tell", obj{"content": "hello\nworld\n"}, "framework", "esco, onet or case"},
			{"an unknown format", obj{"framework": "wiki", "content": esco}, "framework", ""},
			{"an unknown scale", obj{"content": esco, "scale_id": "nope"}, "scale_id", ""},
			{"no content", obj{"framework": "esco", "content": ""}, "content", ""},
			{"a misspelt field", obj{"content": esco, "dryrun": true}, "dryrun", ""},
		}
		for _, p := range problems {
			t.Run(p.name, func(t *testing.T) {
				_, a := importFile(422, f.token, p.body)
				pr := a.problem(t)
				found := false
				for _, fe := range pr.Errors {
					if fe.Field == p.field && strings.Contains(fe.Message, p.says) && fe.Message != "" {
						found = true
					}
				}
				if !found {
					t.Errorf("errors %+v, want one on %q saying %q", pr.Errors, p.field, p.says)
				}
			})
		}
		if n := len(skills()); n != len(parsed)+len(onet)+len(caseSkills) {
			t.Errorf("refused imports changed the catalog: %d skills", n)
		}
	})
}
