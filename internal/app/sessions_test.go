package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
	"github.com/okrahq/okra/internal/store/storetest"
)

// testClock is a clock that stands still until a test moves it.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const ownerPassword = "correct horse battery"

// accounts is a database with three organizations: Acme and Globex, both
// owned by owner@acme.test (Acme first), and Initech, owned by
// boss@initech.test. Both owners have passwords.
type accounts struct {
	st                   *store.Store
	a                    *app.App
	clock                *testClock
	acme, globex, initch org.Organization
	// owner is owner@acme.test signed in to Acme; boss is Initech's owner signed in there.
	owner, boss app.SignedIn
}

// eachAccounts runs fn on both engines, each time on new accounts whose
// clock starts at the same moment.
func eachAccounts(t *testing.T, fn func(t *testing.T, w *accounts)) {
	t.Helper()
	clock := &testClock{}
	storetest.Each(t, store.Config{Now: clock.Now}, func(t *testing.T, s *store.Store) {
		clock.t = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
		fn(t, newAccounts(t, s, clock))
	})
}

func newAccounts(t *testing.T, s *store.Store, clock *testClock) *accounts {
	t.Helper()
	ctx := context.Background()
	w := &accounts{st: s, a: app.New(s, nil), clock: clock}
	for _, in := range []app.InitInput{
		{OrgName: "Acme", Email: "owner@acme.test", Name: "Olga Owner", Password: ownerPassword},
		{OrgName: "Globex", Email: "owner@acme.test"},
		{OrgName: "Initech", Email: "boss@initech.test", Name: "Bill Boss", Password: "initech password"},
	} {
		res, err := w.a.Init(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		switch in.OrgName {
		case "Acme":
			w.acme = res.Org
		case "Globex":
			w.globex = res.Org
		default:
			w.initch = res.Org
		}
		clock.Advance(time.Second) // memberships in order
	}
	w.owner = w.signIn(t, "owner@acme.test", ownerPassword, "")
	w.boss = w.signIn(t, "boss@initech.test", "initech password", "")
	return w
}

func (w *accounts) signIn(t *testing.T, email, password, slug string) app.SignedIn {
	t.Helper()
	in, err := w.a.SignIn(context.Background(), email, password, slug, "sign-in")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return in
}

// alive fails the test unless the session of secret stands for want.
func (w *accounts) alive(t *testing.T, what, secret string, want org.Actor) {
	t.Helper()
	got, err := w.a.SessionActor(context.Background(), secret, "req")
	if err != nil {
		t.Fatalf("%s: SessionActor: %v", what, err)
	}
	want.RequestID = "req"
	if got.OrgID != want.OrgID || got.UserID != want.UserID || got.Role != want.Role || !got.Session ||
		!slices.Equal(got.Scopes, []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin}) || got.RequestID != "req" {
		t.Errorf("%s: actor %+v, want %+v with a session's scopes", what, got, want)
	}
}

// dead fails the test unless the session of secret is refused.
func (w *accounts) dead(t *testing.T, what, secret string) {
	t.Helper()
	_, err := w.a.SessionActor(context.Background(), secret, "req")
	wantKind(t, err, errs.Unauthenticated)
	if t.Failed() {
		t.Logf("(%s)", what)
	}
}

// member adds a person without a password to Acme and returns their token actor.
func (w *accounts) member(t *testing.T, email string, role org.Role) org.Actor {
	t.Helper()
	ctx := context.Background()
	m, err := w.a.CreateUser(ctx, w.owner.Actor, app.UserInput{Email: email, Name: email, Role: role}, "")
	if err != nil {
		t.Fatal(err)
	}
	tk, err := w.a.CreateToken(ctx, w.owner.Actor, app.TokenInput{UserID: m.ID, Name: "test", Scopes: []org.Scope{org.ScopeRead}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return actorOf(t, w.a, tk.Secret)
}

// wantField fails the test unless err is Invalid about field, with a message containing msg.
func wantField(t *testing.T, err error, field, msg string) {
	t.Helper()
	wantKind(t, err, errs.Invalid)
	e := err.(*errs.Error)
	for _, f := range e.Fields {
		if f.Field == field && strings.Contains(f.Message, msg) {
			return
		}
	}
	t.Errorf("error %v: no field %q saying %q", err, field, msg)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func auditActions(t *testing.T, a *app.App, actor org.Actor) []string {
	t.Helper()
	page, err := a.ListAuditEvents(context.Background(), actor, app.AuditQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Action)
	}
	return out
}

func TestSignIn(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		owner := w.owner
		if !strings.HasPrefix(owner.Secret, "okras_") || len(owner.Secret) != len("okras_")+43 {
			t.Errorf("secret %q: want okras_ and 43 base64url characters", owner.Secret)
		}
		if owner.Org.ID != w.acme.ID || owner.Actor.OrgID != w.acme.ID || owner.Actor.Role != org.RoleOwner || !owner.Actor.Session ||
			owner.Actor.RequestID != "sign-in" || !owner.Actor.IsAdmin() {
			t.Errorf("sign-in without a slug: %+v in %s, want an owner's session in Acme (the oldest membership)", owner.Actor, owner.Org.Slug)
		}
		w.alive(t, "owner", owner.Secret, owner.Actor)

		// E-mail case and spaces do not matter; every sign-in is a new session.
		again := w.signIn(t, "  Owner@ACME.test ", ownerPassword, "")
		if again.Secret == owner.Secret {
			t.Error("a second sign-in reused the secret")
		}
		w.alive(t, "second session", again.Secret, owner.Actor)
		w.alive(t, "first session still", owner.Secret, owner.Actor)

		globex := w.signIn(t, "owner@acme.test", ownerPassword, "globex")
		if globex.Org.ID != w.globex.ID || globex.Actor.OrgID != w.globex.ID {
			t.Errorf("sign-in to globex: %+v", globex)
		}

		// A member without a password, and one whose membership ended.
		w.member(t, "ann@acme.test", org.RoleMember)
		inv, err := w.a.Invite(ctx, owner.Actor, app.InvitationInput{Email: "cat@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := w.a.AcceptInvitation(ctx, inv.Secret, "Cat", "cat password", "r")
		if err != nil {
			t.Fatal(err)
		}
		catMember, err := w.a.GetUser(ctx, owner.Actor, cat.Actor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := w.a.UpdateUser(ctx, owner.Actor, cat.Actor.UserID, &catMember.Version, app.MemberUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		w.dead(t, "the session of a deactivated member", cat.Secret)

		for _, c := range []struct{ what, email, password, slug string }{
			{"wrong password", "owner@acme.test", "not the password", ""},
			{"empty password", "owner@acme.test", "", ""},
			{"unknown e-mail", "nobody@acme.test", ownerPassword, ""},
			{"not a member of the organization", "owner@acme.test", ownerPassword, "initech"},
			{"unknown organization", "owner@acme.test", ownerPassword, "nope"},
			{"a user without a password", "ann@acme.test", "", ""},
			{"a user without a password, with one given", "ann@acme.test", "anything at all", ""},
			{"no active membership", "cat@acme.test", "cat password", ""},
			{"a password too long", "owner@acme.test", strings.Repeat("x", 1025), ""},
		} {
			_, err := w.a.SignIn(ctx, c.email, c.password, c.slug, "r")
			if errs.KindOf(err) != errs.Unauthenticated || err.Error() != "the e-mail or password is wrong" {
				t.Errorf("%s: %v (%s), want Unauthenticated 'the e-mail or password is wrong'", c.what, err, errs.KindOf(err))
			}
		}

		// Each sign-in is audited in its organization.
		n := 0
		for _, a := range auditActions(t, w.a, owner.Actor) {
			if a == "session.create" {
				n++
			}
		}
		if n != 3 { // owner twice, cat once (the invitation)
			t.Errorf("%d session.create audit events in Acme, want 3", n)
		}
		// A token is not a session, nor a session a token.
		if _, err := w.a.SessionActor(ctx, "okra_"+owner.Secret[6:], "r"); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("a token-shaped secret as a session: %v", err)
		}
		if _, err := w.a.Authenticate(ctx, owner.Secret, "r"); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("a session secret as a token: %v", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		lastSeen := func(secret string) time.Time {
			t.Helper()
			var s org.Session
			if err := w.st.Read(ctx, func(tx app.Tx) error {
				var err error
				s, err = tx.SessionByHash(ctx, sha256Hex(secret))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return s.LastSeen
		}

		// The defaults: 72 hours idle.
		start := w.clock.Now()
		w.clock.Advance(72 * time.Hour)
		w.alive(t, "72 hours idle (the default limit)", w.owner.Secret, w.owner.Actor)
		w.clock.Advance(72*time.Hour + time.Second)
		w.dead(t, "72 hours and a second idle", w.owner.Secret)

		w.a.SetSessionLimits(app.SessionLimits{Idle: time.Hour, Absolute: 5 * time.Hour})
		s := w.signIn(t, "owner@acme.test", ownerPassword, "")
		signedIn := w.clock.Now()
		if !signedIn.After(start) {
			t.Fatal("the clock did not move")
		}

		// Used within a minute: no write.
		w.clock.Advance(30 * time.Second)
		w.alive(t, "after 30 s", s.Secret, s.Actor)
		if got := lastSeen(s.Secret); !got.Equal(signedIn) {
			t.Errorf("last seen %v after a use within a minute, want %v (untouched)", got, signedIn)
		}
		w.clock.Advance(31 * time.Second)
		w.alive(t, "after 61 s", s.Secret, s.Actor)
		if got, want := lastSeen(s.Secret), signedIn.Add(61*time.Second); !got.Equal(want) {
			t.Errorf("last seen %v after a use a minute later, want %v", got, want)
		}

		// Idle: an hour since the last use is fine, a second more is not.
		w.clock.Advance(time.Hour)
		w.alive(t, "an hour after the last use", s.Secret, s.Actor)
		w.clock.Advance(time.Hour + time.Second)
		w.dead(t, "an hour and a second idle", s.Secret)

		// Absolute: used every 50 minutes, it still ends 5 hours after sign-in.
		s = w.signIn(t, "owner@acme.test", ownerPassword, "")
		for range 5 { // to 4h10
			w.clock.Advance(50 * time.Minute)
			w.alive(t, "used every 50 minutes", s.Secret, s.Actor)
		}
		w.clock.Advance(50 * time.Minute) // 5h
		w.alive(t, "exactly 5 hours old", s.Secret, s.Actor)
		w.clock.Advance(time.Second)
		w.dead(t, "5 hours and a second old", s.Secret)

		// A sign-in prunes the user's expired sessions.
		w.signIn(t, "owner@acme.test", ownerPassword, "")
		if err := w.st.Read(ctx, func(tx app.Tx) error {
			_, err := tx.SessionByHash(ctx, sha256Hex(s.Secret))
			return err
		}); errs.KindOf(err) != errs.NotFound {
			t.Errorf("an expired session after the next sign-in: %v, want it deleted", err)
		}
	})
}

func TestSignOut(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		other := w.signIn(t, "owner@acme.test", ownerPassword, "")
		if err := w.a.SignOut(ctx, w.owner.Secret); err != nil {
			t.Fatal(err)
		}
		w.dead(t, "signed out", w.owner.Secret)
		if err := w.st.Read(ctx, func(tx app.Tx) error {
			_, err := tx.SessionByHash(ctx, sha256Hex(w.owner.Secret))
			return err
		}); errs.KindOf(err) != errs.NotFound {
			t.Errorf("the session row after sign-out: %v, want it deleted", err)
		}
		w.alive(t, "another session of the user", other.Secret, other.Actor)
		for _, secret := range []string{w.owner.Secret, "okras_unknown", "garbage", ""} {
			if err := w.a.SignOut(ctx, secret); err != nil {
				t.Errorf("SignOut(%q): %v, want nil", secret, err)
			}
		}
	})
}

func TestSwitchOrganization(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		choices, err := w.a.MyOrganizations(ctx, w.owner.Actor)
		if err != nil {
			t.Fatal(err)
		}
		want := []app.OrgChoice{
			{ID: w.acme.ID, Name: "Acme", Slug: "acme", Role: org.RoleOwner, Current: true},
			{ID: w.globex.ID, Name: "Globex", Slug: "globex", Role: org.RoleOwner},
		}
		if !slices.Equal(choices, want) {
			t.Errorf("MyOrganizations = %+v, want %+v", choices, want)
		}

		_, err = w.a.SwitchOrganization(ctx, w.owner.Secret, w.initch.ID, "r")
		wantKind(t, err, errs.NotFound)
		_, err = w.a.SwitchOrganization(ctx, w.owner.Secret, "no-such-org", "r")
		wantKind(t, err, errs.NotFound)
		w.alive(t, "the session after a refused switch", w.owner.Secret, w.owner.Actor)

		in, err := w.a.SwitchOrganization(ctx, w.owner.Secret, w.globex.ID, "switch")
		if err != nil {
			t.Fatal(err)
		}
		if in.Secret == w.owner.Secret || !strings.HasPrefix(in.Secret, "okras_") {
			t.Errorf("switching kept or mangled the secret: %q", in.Secret)
		}
		if in.Org.ID != w.globex.ID || in.Actor.OrgID != w.globex.ID || in.Actor.UserID != w.owner.Actor.UserID || in.Actor.RequestID != "switch" {
			t.Errorf("switched: %+v in %s", in.Actor, in.Org.Slug)
		}
		w.dead(t, "the session before the switch", w.owner.Secret)
		w.alive(t, "the session after the switch", in.Secret, in.Actor)
		choices, err = w.a.MyOrganizations(ctx, in.Actor)
		if err != nil {
			t.Fatal(err)
		}
		if len(choices) != 2 || choices[0].Current || !choices[1].Current {
			t.Errorf("after the switch, MyOrganizations = %+v, want Globex current", choices)
		}

		_, err = w.a.SwitchOrganization(ctx, w.owner.Secret, w.acme.ID, "r")
		wantKind(t, err, errs.Unauthenticated)
	})
}

func TestChangePassword(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		second := w.signIn(t, "owner@acme.test", ownerPassword, "")
		globex := w.signIn(t, "owner@acme.test", ownerPassword, "globex")
		const next = "a much better password"

		err := w.a.ChangePassword(ctx, w.owner.Actor, w.owner.Secret, "wrong password", next)
		wantField(t, err, "current_password", "the current password is wrong")
		err = w.a.ChangePassword(ctx, w.owner.Actor, w.owner.Secret, ownerPassword, "short")
		wantField(t, err, "new_password", "use at least 10 characters")
		err = w.a.ChangePassword(ctx, w.owner.Actor, w.owner.Secret, ownerPassword, strings.Repeat("x", 1025))
		wantField(t, err, "new_password", "1024")
		w.alive(t, "the other session after refused changes", second.Secret, second.Actor)

		if err := w.a.ChangePassword(ctx, w.owner.Actor, w.owner.Secret, ownerPassword, next); err != nil {
			t.Fatal(err)
		}
		w.alive(t, "the session that changed the password", w.owner.Secret, w.owner.Actor)
		w.dead(t, "another session in the same organization", second.Secret)
		w.dead(t, "a session in another organization", globex.Secret)
		w.alive(t, "another user's session", w.boss.Secret, w.boss.Actor)

		_, err = w.a.SignIn(ctx, "owner@acme.test", ownerPassword, "", "r")
		wantKind(t, err, errs.Unauthenticated)
		w.signIn(t, "owner@acme.test", next, "")

		page, err := w.a.ListAuditEvents(ctx, w.owner.Actor, app.AuditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(page.Items, func(e app.AuditEvent) bool { return e.Action == "user.password_change" })
		if i < 0 {
			t.Fatal("no user.password_change audit event")
		}
		e := page.Items[i]
		var after map[string]any
		if err := json.Unmarshal(e.After, &after); err != nil {
			t.Fatal(err)
		}
		if e.SubjectID != w.owner.Actor.UserID || after["sessions_ended"] != 2.0 ||
			strings.Contains(string(e.Before)+string(e.After), "argon2") {
			t.Errorf("audit event %s %s before %s after %s, want 2 sessions ended and no hash", e.Action, e.SubjectID, e.Before, e.After)
		}
	})
}

func TestInvitations(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		owner := w.owner.Actor
		ann := w.member(t, "ann@acme.test", org.RoleMember)

		// Admins only.
		_, err := w.a.Invite(ctx, ann, app.InvitationInput{Email: "cat@acme.test"})
		wantKind(t, err, errs.Forbidden)
		_, err = w.a.ListInvitations(ctx, ann)
		wantKind(t, err, errs.Forbidden)
		wantKind(t, w.a.RevokeInvitation(ctx, ann, "x"), errs.Forbidden)

		// Validation.
		_, err = w.a.Invite(ctx, owner, app.InvitationInput{Email: "not an address", Role: org.RoleOwner})
		wantField(t, err, "email", "not an e-mail address")
		wantField(t, err, "role", "must be admin, member or viewer")
		_, err = w.a.Invite(ctx, owner, app.InvitationInput{Email: "ANN@acme.test"})
		wantKind(t, err, errs.Conflict)
		if e := err.(*errs.Error); len(e.Fields) != 1 || e.Fields[0].Field != "email" {
			t.Errorf("inviting a member: %v, want a conflict on email", err)
		}

		// Invite, preview.
		first, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: " Cat@Acme.test ", Name: "Cat", Role: org.RoleViewer})
		if err != nil {
			t.Fatal(err)
		}
		inv := first.Invitation
		if !strings.HasPrefix(first.Secret, "okrai_") || len(first.Secret) != len("okrai_")+43 {
			t.Errorf("invitation secret %q", first.Secret)
		}
		now := w.clock.Now()
		if inv.ID == "" || inv.OrgID != w.acme.ID || inv.Email != "cat@acme.test" || inv.Name != "Cat" || inv.Role != org.RoleViewer ||
			inv.InvitedBy != owner.UserID || !inv.Created.Equal(now) || !inv.Expires.Equal(now.Add(7*24*time.Hour)) ||
			inv.AcceptedAt != nil || inv.RevokedAt != nil {
			t.Errorf("invitation %+v", inv)
		}
		if !slices.Contains(auditActions(t, w.a, owner), "invitation.create") {
			t.Error("no invitation.create audit event")
		}
		p, err := w.a.InvitationBySecret(ctx, first.Secret)
		if err != nil {
			t.Fatal(err)
		}
		if want := (app.InvitationPreview{OrgName: "Acme", Email: "cat@acme.test", Name: "Cat", Role: org.RoleViewer}); p != want {
			t.Errorf("preview %+v, want %+v", p, want)
		}

		// Inviting again revokes the first link.
		w.clock.Advance(time.Minute)
		second, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "cat@acme.test", Role: org.RoleMember})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.a.InvitationBySecret(ctx, first.Secret)
		wantKind(t, err, errs.NotFound)
		_, err = w.a.AcceptInvitation(ctx, first.Secret, "Cat", "cat password", "r")
		wantKind(t, err, errs.NotFound)

		// Accepting: a new person gives a name and a password.
		_, err = w.a.AcceptInvitation(ctx, second.Secret, " ", "short", "r")
		wantField(t, err, "name", "is required")
		wantField(t, err, "password", "use at least 10 characters")
		cat, err := w.a.AcceptInvitation(ctx, second.Secret, "Cat Cole", "cat password", "accept")
		if err != nil {
			t.Fatal(err)
		}
		if cat.Org.ID != w.acme.ID || cat.Actor.OrgID != w.acme.ID || cat.Actor.Role != org.RoleMember || !cat.Actor.Session || cat.Actor.RequestID != "accept" {
			t.Errorf("accepted: %+v in %s", cat.Actor, cat.Org.Slug)
		}
		w.alive(t, "the session of the accepted invitation", cat.Secret, cat.Actor)
		m, err := w.a.GetUser(ctx, owner, cat.Actor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Email != "cat@acme.test" || m.Name != "Cat Cole" || m.Role != org.RoleMember || !m.Active {
			t.Errorf("the new member: %+v", m)
		}
		w.signIn(t, "cat@acme.test", "cat password", "acme")
		// Single use.
		_, err = w.a.AcceptInvitation(ctx, second.Secret, "Cat Cole", "cat password", "r")
		wantKind(t, err, errs.NotFound)
		_, err = w.a.InvitationBySecret(ctx, second.Secret)
		wantKind(t, err, errs.NotFound)
		if !slices.Contains(auditActions(t, w.a, owner), "invitation.accept") {
			t.Error("no invitation.accept audit event")
		}

		// An expired link.
		dan, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "dan@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(7*24*time.Hour - time.Second)
		if _, err := w.a.InvitationBySecret(ctx, dan.Secret); err != nil {
			t.Errorf("a link a second before it expires: %v", err)
		}
		w.clock.Advance(time.Second)
		_, err = w.a.InvitationBySecret(ctx, dan.Secret)
		wantKind(t, err, errs.NotFound)
		if err != nil && err.Error() != "this invitation link is unknown, used or expired" {
			t.Errorf("expired link: %q", err)
		}
		_, err = w.a.AcceptInvitation(ctx, dan.Secret, "Dan", "dan password", "r")
		wantKind(t, err, errs.NotFound)
		_, err = w.a.InvitationBySecret(ctx, "okrai_unknown")
		wantKind(t, err, errs.NotFound)

		// Someone with an account elsewhere enters its password; their name stays theirs.
		boss, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "boss@initech.test", Role: org.RoleViewer})
		if err != nil {
			t.Fatal(err)
		}
		p, err = w.a.InvitationBySecret(ctx, boss.Secret)
		if err != nil || !p.ExistingUser {
			t.Errorf("preview for an existing account: %+v, %v", p, err)
		}
		bossElsewhere := w.signIn(t, "boss@initech.test", "initech password", "initech")
		_, err = w.a.AcceptInvitation(ctx, boss.Secret, "Mallory", "a new password here", "r")
		wantField(t, err, "password", "this e-mail already has an okra password: enter it")
		bossIn, err := w.a.AcceptInvitation(ctx, boss.Secret, "Mallory", "initech password", "r")
		if err != nil {
			t.Fatal(err)
		}
		if bossIn.Actor.UserID != w.boss.Actor.UserID || bossIn.Actor.OrgID != w.acme.ID || bossIn.Actor.Role != org.RoleViewer {
			t.Errorf("existing user accepted: %+v", bossIn.Actor)
		}
		w.alive(t, "the existing user's session elsewhere", bossElsewhere.Secret, bossElsewhere.Actor)
		bm, err := w.a.GetUser(ctx, owner, bossIn.Actor.UserID)
		if err != nil || bm.Name != "Bill Boss" {
			t.Errorf("the existing user's name in Acme: %q, %v; want their own", bm.Name, err)
		}
		w.signIn(t, "boss@initech.test", "initech password", "acme")

		// An account without a password cannot take over through a link.
		w.member(t, "nopass@acme.test", org.RoleMember)
		np, err := w.a.Invite(ctx, w.boss.Actor, app.InvitationInput{Email: "nopass@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.a.AcceptInvitation(ctx, np.Secret, "Nop", "a password of mine", "r")
		wantField(t, err, "password", "without a password")

		// Revoking: not another organization's, not an unknown one.
		wantKind(t, w.a.RevokeInvitation(ctx, owner, np.Invitation.ID), errs.NotFound)
		wantKind(t, w.a.RevokeInvitation(ctx, owner, "no-such-id"), errs.NotFound)
		eve, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "eve@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.a.RevokeInvitation(ctx, owner, eve.Invitation.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.a.RevokeInvitation(ctx, owner, eve.Invitation.ID); err != nil {
			t.Errorf("revoking twice: %v, want nil", err)
		}
		_, err = w.a.InvitationBySecret(ctx, eve.Secret)
		wantKind(t, err, errs.NotFound)
		wantKind(t, w.a.RevokeInvitation(ctx, owner, second.Invitation.ID), errs.Conflict)

		// A deactivated member is invited back: the membership comes back with the new role.
		catM, err := w.a.GetUser(ctx, owner, cat.Actor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := w.a.UpdateUser(ctx, owner, catM.ID, &catM.Version, app.MemberUpdate{Active: &off}); err != nil {
			t.Fatal(err)
		}
		back, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "cat@acme.test", Role: org.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.Invite(ctx, owner, app.InvitationInput{Email: "fay@acme.test"}); err != nil {
			t.Fatal(err)
		}
		catBack, err := w.a.AcceptInvitation(ctx, back.Secret, "", "cat password", "r")
		if err != nil {
			t.Fatal(err)
		}
		if catBack.Actor.Role != org.RoleAdmin {
			t.Errorf("reactivated with role %s, want admin", catBack.Actor.Role)
		}

		// The list: pending first, then the rest, newest first.
		list, err := w.a.ListInvitations(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		now = w.clock.Now()
		var got []string
		for _, i := range list {
			got = append(got, i.Email+":"+string(i.Status(now)))
		}
		wantList := []string{
			"fay@acme.test:pending",
			"cat@acme.test:accepted", "eve@acme.test:revoked", "boss@initech.test:accepted",
			"dan@acme.test:expired", "cat@acme.test:accepted", "cat@acme.test:revoked",
		}
		if !slices.Equal(got, wantList) {
			t.Errorf("ListInvitations = %v, want %v", got, wantList)
		}
	})
}

// TestSecretsAtRest: the database holds the SHA-256 hashes of session and
// invitation secrets, never the secrets; the CSRF token is derived.
func TestSecretsAtRest(t *testing.T) {
	eachAccounts(t, func(t *testing.T, w *accounts) {
		ctx := context.Background()
		inv, err := w.a.Invite(ctx, w.owner.Actor, app.InvitationInput{Email: "cat@acme.test"})
		if err != nil {
			t.Fatal(err)
		}
		err = w.st.Read(ctx, func(tx app.Tx) error {
			if _, err := tx.SessionByHash(ctx, w.owner.Secret); !errs.Is(err, errs.NotFound) {
				t.Errorf("a session found by its secret: %v", err)
			}
			if s, err := tx.SessionByHash(ctx, sha256Hex(w.owner.Secret)); err != nil || s.UserID != w.owner.Actor.UserID {
				t.Errorf("the session by the hash of its secret: %+v, %v", s, err)
			}
			if _, err := tx.InvitationByHash(ctx, inv.Secret); !errs.Is(err, errs.NotFound) {
				t.Errorf("an invitation found by its secret: %v", err)
			}
			if i, err := tx.InvitationByHash(ctx, sha256Hex(inv.Secret)); err != nil || i.ID != inv.Invitation.ID {
				t.Errorf("the invitation by the hash of its secret: %+v, %v", i, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	// On SQLite, no byte of the database files holds a secret, while the hashes are there.
	dir := t.TempDir()
	clock := &testClock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	w := newAccounts(t, storetest.SQLite(t, store.Config{DataDir: dir, Now: clock.Now}), clock)
	inv, err := w.a.Invite(context.Background(), w.owner.Actor, app.InvitationInput{Email: "cat@acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	var files []byte
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	for _, secret := range []string{w.owner.Secret, w.boss.Secret, inv.Secret} {
		if strings.Contains(string(files), secret) || strings.Contains(string(files), secret[6:]) {
			t.Errorf("the database files hold the secret %s", secret)
		}
		if !strings.Contains(string(files), sha256Hex(secret)) {
			t.Errorf("the database files lack the hash of %s: the check sees nothing", secret)
		}
	}

	// CSRF: base64url(SHA-256("okra-csrf:" + secret)), stable, and not the secret.
	sum := sha256.Sum256([]byte("okra-csrf:" + w.owner.Secret))
	if got, want := app.CSRFToken(w.owner.Secret), base64.RawURLEncoding.EncodeToString(sum[:]); got != want || got != app.CSRFToken(w.owner.Secret) {
		t.Errorf("CSRFToken = %q, want %q", got, want)
	}
	if app.CSRFToken(w.owner.Secret) == app.CSRFToken(w.boss.Secret) {
		t.Error("two sessions share a CSRF token")
	}
}
