package httpapi_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestRhythmAPI: settings read by everyone and changed by admins under
// If-Match with per-field errors; a team's rhythm (inherited as null); the
// inbox with its unread filter, one read and all read.
func TestRhythmAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		f := e.newFixture(t, "Acme", "owner@acme.test", "acme")
		ans := e.call(t, "GET", "/api/v1/settings", f.viewerToken, "", nil)
		if ans.status != 200 || ans.header.Get("ETag") != `"0"` || !strings.Contains(ans.body, `"cadence":"weekly"`) ||
			!strings.Contains(ans.body, `"cadence_days":7`) || !strings.Contains(ans.body, `"chat_webhook_url":""`) {
			t.Fatalf("a viewer reads the settings: %d %s %s", ans.status, ans.header.Get("ETag"), ans.body)
		}
		for _, c := range []struct {
			token, body string
			header      map[string]string
			status      int
			contains    string
		}{
			{f.memberToken, `{"cadence":"monthly"}`, map[string]string{"If-Match": `"0"`}, 403, "admin"},
			{f.token, `{"cadence":"monthly"}`, nil, 428, "If-Match"},
			{f.token, `{"cadence":"daily"}`, map[string]string{"If-Match": `"0"`}, 422, "cadence"},
			{f.token, `{"grace_days":31,"forecast_points":1}`, map[string]string{"If-Match": `"0"`}, 422, `"field":"grace_days","message":"must be between 0 and 30 days (you sent 31)"`},
			{f.token, `{"private_webhook_targets":["10.0.0.0/8","not a target"]}`, map[string]string{"If-Match": `"0"`}, 422, `private_webhook_targets[1]`},
			{f.token, `{"chat_webhook_url":"http://10.1.2.3/hook"}`, map[string]string{"If-Match": `"0"`}, 422, "a private address"},
			{f.token, `{"cadence":"monthly","grace_days":5}`, map[string]string{"If-Match": `"0"`}, 200, `"cadence_days":30`},
			{f.token, `{"grace_days":4}`, map[string]string{"If-Match": `"0"`}, 412, "version"},
		} {
			ans := e.call(t, "PATCH", "/api/v1/settings", c.token, c.body, c.header)
			if ans.status != c.status || !strings.Contains(ans.body, c.contains) {
				t.Errorf("PATCH /settings %s: %d %s, want %d with %q", c.body, ans.status, ans.body, c.status, c.contains)
			}
		}

		// A team inherits (null) until it sets its own rhythm.
		if ans := e.call(t, "GET", "/api/v1/teams/"+f.team.ID, f.memberToken, "", nil); !strings.Contains(ans.body, `"cadence":null`) || !strings.Contains(ans.body, `"grace_days":null`) {
			t.Errorf("a new team's rhythm: %s", ans.body)
		}
		ans = e.call(t, "PATCH", "/api/v1/teams/"+f.team.ID, f.token, `{"cadence":"biweekly","grace_days":1}`, map[string]string{"If-Match": strconv.Quote(strconv.Itoa(f.team.Version))})
		if ans.status != 200 || !strings.Contains(ans.body, `"cadence":"biweekly"`) || !strings.Contains(ans.body, `"grace_days":1`) {
			t.Errorf("the team's own rhythm: %d %s", ans.status, ans.body)
		}

		// The inbox: a low-confidence check-in without a blocker asks its author for one.
		ans = e.call(t, "POST", "/api/v1/key-results/"+f.keyResult.ID+"/check-ins", f.token, `{"confidence":0.2,"status":"off_track"}`, nil)
		if ans.status != 201 || !strings.Contains(ans.body, "warnings") {
			t.Fatalf("check-in: %d %s", ans.status, ans.body)
		}
		var inbox struct {
			Items []struct {
				ID, Kind, Title, Link string
				ReadAt                *string `json:"read_at"`
			} `json:"items"`
			Unread int `json:"unread"`
		}
		ans = e.call(t, "GET", "/api/v1/notifications?unread=true", f.token, "", nil)
		if err := json.Unmarshal([]byte(ans.body), &inbox); err != nil || len(inbox.Items) != 1 || inbox.Unread != 1 || inbox.Items[0].Kind != "blocker" || inbox.Items[0].Link != "/checkin" {
			t.Fatalf("the inbox: %d %s", ans.status, ans.body)
		}
		id := inbox.Items[0].ID
		if ans := e.call(t, "POST", "/api/v1/notifications/"+id+"/read", f.memberToken, "", nil); ans.status != 404 {
			t.Errorf("someone else reads the notification: %d %s", ans.status, ans.body)
		}
		if ans := e.call(t, "POST", "/api/v1/notifications/"+id+"/read", f.token, "", nil); ans.status != 200 || strings.Contains(ans.body, `"read_at":null`) {
			t.Errorf("read: %d %s", ans.status, ans.body)
		}
		if ans := e.call(t, "GET", "/api/v1/notifications?unread=true", f.token, "", nil); !strings.Contains(ans.body, `"items":[]`) || !strings.Contains(ans.body, `"unread":0`) {
			t.Errorf("unread after reading: %s", ans.body)
		}
		if ans := e.call(t, "POST", "/api/v1/notifications/read-all", f.viewerToken, "", nil); ans.status != 200 || !strings.Contains(ans.body, `"marked":0`) {
			t.Errorf("a viewer marks an empty inbox read: %d %s", ans.status, ans.body)
		}
	})
}
