package httpapi_test

import (
	"encoding/json"
	"testing"
)

// rhythmIsolation gives A a notification (a low-confidence check-in without
// a blocker asks its author for one) and says how to try the inbox and
// settings routes with B's token on A's.
func rhythmIsolation(t *testing.T, e *env, a, b *fixture, marker string) isolationExtra {
	t.Helper()
	ans := e.call(t, "POST", "/api/v1/key-results/"+a.keyResult.ID+"/check-ins", a.token, `{"confidence":0.1,"status":"off_track","note":"`+marker+`"}`, nil)
	if ans.status != 201 {
		t.Fatalf("A checks in: %d %s", ans.status, ans.body)
	}
	ans = e.call(t, "GET", "/api/v1/notifications?unread=true", a.token, "", nil)
	var inbox struct {
		Items []struct {
			ID   string `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(ans.body), &inbox); err != nil || len(inbox.Items) == 0 || inbox.Items[0].Kind != "blocker" {
		t.Fatalf("A's inbox after a low-confidence check-in: %d %s", ans.status, ans.body)
	}
	return isolationExtra{
		reads:   []string{"/api/v1/notifications", "/api/v1/settings"},
		ids:     map[string]string{"notifications": inbox.Items[0].ID},
		filters: map[string]string{"unread": "true"},
		aIDs:    []string{inbox.Items[0].ID},
	}
}
