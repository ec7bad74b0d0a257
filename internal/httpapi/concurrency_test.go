package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/okrahq/okra/internal/apiclient"
	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

func TestIfMatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
		ctx := context.Background()
		path := "/api/v1/objectives/" + f.objective.ID
		v := f.objective.Version

		// No If-Match: 428, and nothing changes.
		a := e.call(t, "PATCH", path, f.token, `{"title":"No precondition"}`, nil)
		if a.status != 428 {
			t.Fatalf("without If-Match: %d %s, want 428", a.status, a.body)
		}

		// Two writers who read the same version: one wins, the other is told it is stale.
		var wg sync.WaitGroup
		answers := make([]answer, 2)
		for i := range answers {
			wg.Go(func() {
				answers[i] = e.call(t, "PATCH", path, f.token, fmt.Sprintf(`{"title":"Writer %d"}`, i),
					map[string]string{"If-Match": `"` + strconv.Itoa(v) + `"`})
			})
		}
		wg.Wait()
		statuses := []int{answers[0].status, answers[1].status}
		slices.Sort(statuses)
		if !slices.Equal(statuses, []int{200, 412}) {
			t.Fatalf("statuses %v, want one 200 and one 412: %s / %s", statuses, answers[0].body, answers[1].body)
		}
		winner := 0
		if answers[1].status == 200 {
			winner = 1
		}
		if got, want := answers[winner].header.Get("ETag"), `"`+strconv.Itoa(v+1)+`"`; got != want {
			t.Errorf("ETag after the update %q, want %q", got, want)
		}
		if p := answers[1-winner].problem(t); p.Type != "urn:okra:problem:precondition_failed" {
			t.Errorf("the loser got %+v", p)
		}
		o := must(f.client.GetObjective(ctx, f.objective.ID))(t)
		if o.Version != v+1 || o.Title != fmt.Sprintf("Writer %d", winner) {
			t.Errorf("stored %q version %d, want the winner's title at version %d", o.Title, o.Version, v+1)
		}

		// The client sends If-Match from the version it is given.
		_, err := f.client.UpdateObjective(ctx, f.objective.ID, v, app.ObjectiveUpdate{Title: ptr("Stale")})
		if apiclient.StatusOf(err) != 412 {
			t.Errorf("stale update through the client: %v, want 412", err)
		}
		o = must(f.client.UpdateObjective(ctx, f.objective.ID, o.Version, app.ObjectiveUpdate{Title: ptr("Fresh")}))(t)
		if o.Title != "Fresh" || o.Version != v+2 {
			t.Errorf("fresh update: %q version %d", o.Title, o.Version)
		}
		// Bare and quoted numbers both work.
		a = e.call(t, "PATCH", path, f.token, `{"description":"bare"}`, map[string]string{"If-Match": strconv.Itoa(o.Version)})
		if a.status != 200 {
			t.Errorf("bare If-Match: %d %s", a.status, a.body)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "alpha")
		ctx := context.Background()
		kr := must(f.client.CreateKeyResult(ctx, app.KeyResultInput{ObjectiveID: f.objective.ID, Title: "Signups",
			Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(100.0)}))(t)
		in := app.CheckInInput{Value: ptr(42.0), Confidence: 0.8, Status: okr.OnTrack, Note: "retry me"}

		first := must(f.client.CheckIn(ctx, kr.ID, in, "key-1"))(t)
		again := must(f.client.CheckIn(ctx, kr.ID, in, "key-1"))(t)
		if again.ID != first.ID {
			t.Errorf("a retry created another check-in: %s then %s", first.ID, again.ID)
		}
		list := must(f.client.ListCheckIns(ctx, kr.ID, apiclient.Page{}))(t)
		if len(list.Items) != 1 || list.Items[0].ID != first.ID {
			t.Errorf("history has %d check-ins, want exactly the first one", len(list.Items))
		}

		// The same key with another body is refused, and creates nothing.
		in.Value = ptr(43.0)
		_, err := f.client.CheckIn(ctx, kr.ID, in, "key-1")
		if apiclient.StatusOf(err) != 409 {
			t.Errorf("same key, other body: %v, want 409", err)
		}
		// A raw retry (same bytes) answers 201 with the first result.
		body := `{"value":7,"confidence":0.9,"status":"on_track"}`
		h := map[string]string{"Idempotency-Key": "raw-1"}
		a1 := e.call(t, "POST", "/api/v1/key-results/"+kr.ID+"/check-ins", f.token, body, h)
		a2 := e.call(t, "POST", "/api/v1/key-results/"+kr.ID+"/check-ins", f.token, body, h)
		var c1, c2 okr.CheckIn
		decodeJSON(t, a1.body, &c1)
		decodeJSON(t, a2.body, &c2)
		if a1.status != 201 || a2.status != 201 || c1.ID != c2.ID {
			t.Errorf("raw retry: %d %s / %d %s", a1.status, c1.ID, a2.status, c2.ID)
		}
		list = must(f.client.ListCheckIns(ctx, kr.ID, apiclient.Page{}))(t)
		if len(list.Items) != 2 {
			t.Errorf("history has %d check-ins, want 2", len(list.Items))
		}
		k := must(f.client.GetKeyResult(ctx, kr.ID))(t)
		if k.Current != 7 {
			t.Errorf("current %v, want 7", k.Current)
		}

		// Creates through the client's context key are idempotent too.
		kctx := apiclient.WithIdempotencyKey(ctx, "team-1")
		t1 := must(f.client.CreateTeam(kctx, app.TeamInput{Name: "Growth"}))(t)
		t2 := must(f.client.CreateTeam(kctx, app.TeamInput{Name: "Growth"}))(t)
		if t1.ID != t2.ID {
			t.Errorf("team created twice: %s, %s", t1.ID, t2.ID)
		}
		// An objective check-in retried returns the same check-ins.
		oin := app.ObjectiveCheckInInput{Entries: []app.CheckInEntry{{KeyResultID: kr.ID, Value: ptr(50.0), Confidence: 0.7}}, Status: okr.OnTrack}
		b1 := must(f.client.CheckInObjective(ctx, f.objective.ID, oin, "batch-1"))(t)
		b2 := must(f.client.CheckInObjective(ctx, f.objective.ID, oin, "batch-1"))(t)
		if len(b1) != 1 || len(b2) != 1 || b1[0].ID != b2[0].ID {
			t.Errorf("objective check-in retried: %v / %v", b1, b2)
		}
	})
}
