package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// SessionLimits bound how long a browser session lives: Idle without use,
// Absolute since sign-in, whichever ends first. A zero field means its
// default.
type SessionLimits struct {
	Idle     time.Duration
	Absolute time.Duration
}

// The default session limits: three days idle, thirty days in all.
const (
	DefaultSessionIdle     = 72 * time.Hour
	DefaultSessionAbsolute = 30 * 24 * time.Hour
)

// SetSessionLimits sets the session timeouts. Call it once at startup,
// before serving.
func (a *App) SetSessionLimits(l SessionLimits) { a.sessions = l }

// sessionLimits returns the limits in force, defaults filled in.
func (a *App) sessionLimits() SessionLimits {
	l := a.sessions
	if l.Idle <= 0 {
		l.Idle = DefaultSessionIdle
	}
	if l.Absolute <= 0 {
		l.Absolute = DefaultSessionAbsolute
	}
	return l
}

// Secret prefixes, so that secret scanners (and people) can tell them apart.
const (
	sessionPrefix    = "okras_"
	invitationPrefix = "okrai_"
)

// sessionTouchEvery is how stale a session's last-seen time may get.
const sessionTouchEvery = time.Minute

// maxPassword bounds a password's length (argon2 reads all of it).
const maxPassword = 1024

// newSecret returns prefix followed by 256 random bits, and its SHA-256 hash.
func newSecret(prefix string) (secret, hash string) {
	secret = prefix + randomText(32)
	return secret, hashToken(secret)
}

// randomText returns n random bytes, base64url-encoded.
func randomText(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// CSRFToken derives the anti-CSRF token of a session from its secret; it is
// never stored.
func CSRFToken(secret string) string {
	sum := sha256.Sum256([]byte("okra-csrf:" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// SignedIn is a new browser session: Secret goes into the cookie and is
// shown this once.
type SignedIn struct {
	Secret string
	Actor  org.Actor
	Org    org.Organization
}

// sessionScopes are a session's scopes: all of them, the role decides.
func sessionScopes() []org.Scope { return []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin} }

// dummyHash is an argon2id hash (of a random password, with HashPassword's
// parameters) that sign-in checks when there is no user or no password, so
// that an unknown e-mail takes as long as a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=2,p=2$Wf1xysAfz6gM/IC+tmnoZQ$JpaxH8pv6jcgAB+i+aijVtmNKPK4PDNy2ljBAlQC1wg"

func errSignIn() error { return errs.E(errs.Unauthenticated, "the e-mail or password is wrong") }

func errSessionEnded() error {
	return errs.E(errs.Unauthenticated, "your session has ended; sign in again")
}

// SignIn checks an e-mail and password and starts a session in the
// organization with orgSlug, or, when it is empty, in the user's oldest
// active membership. A wrong e-mail or password, a user without a password
// and an organization the user is not an active member of are all the same
// Unauthenticated error.
func (a *App) SignIn(ctx context.Context, email, password, orgSlug, requestID string) (SignedIn, error) {
	var out SignedIn
	if len(password) > maxPassword {
		return out, errSignIn()
	}
	email = strings.ToLower(strings.TrimSpace(email))
	var (
		user  org.User
		known bool
		orgID string
	)
	err := a.db.Read(ctx, func(tx Tx) error {
		u, err := tx.GetUserByEmail(ctx, email)
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		user, known = u, true
		wantOrg := ""
		if orgSlug != "" {
			o, err := tx.GetOrganizationBySlug(ctx, orgSlug)
			if errs.Is(err, errs.NotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			wantOrg = o.ID
		}
		ms, err := tx.ListMemberships(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, m := range ms { // oldest first
			if m.Active && (wantOrg == "" || m.OrgID == wantOrg) {
				orgID = m.OrgID
				break
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	// Always one argon2id comparison, so that timing tells nothing.
	hash := user.PasswordHash
	if !known || hash == "" {
		hash = dummyHash
	}
	ok := CheckPassword(hash, password)
	if !known || user.PasswordHash == "" || !ok || orgID == "" {
		return out, errSignIn()
	}
	err = a.db.Write(ctx, func(tx Tx) error {
		l := a.sessionLimits()
		if err := tx.PruneSessions(ctx, user.ID, tx.Now().Add(-l.Idle), tx.Now().Add(-l.Absolute)); err != nil {
			return err
		}
		var err error
		out, err = a.startSession(ctx, tx, user.ID, orgID, requestID)
		if errs.Is(err, errs.NotFound) { // the membership ended meanwhile
			return errSignIn()
		}
		return err
	})
	return out, err
}

// startSession creates a session of an active member in orgID and audits it;
// errs.NotFound when the user is not an active member there.
func (a *App) startSession(ctx context.Context, tx Tx, userID, orgID, requestID string) (SignedIn, error) {
	var out SignedIn
	m, err := tx.GetMember(ctx, orgID, userID)
	if err == nil && !m.Active {
		err = errs.NotFoundf("organization %s: not found", orgID)
	}
	if err != nil {
		return out, err
	}
	o, err := tx.GetOrganization(ctx, orgID)
	if err != nil {
		return out, err
	}
	secret, hash := newSecret(sessionPrefix)
	s := org.Session{Hash: hash, UserID: userID, OrgID: orgID}
	if err := tx.CreateSession(ctx, &s); err != nil {
		return out, err
	}
	actor := org.Actor{OrgID: orgID, UserID: userID, Role: m.Role, Scopes: sessionScopes(), Session: true, RequestID: requestID}
	l := a.sessionLimits()
	if err := audit(ctx, tx, actor, "session.create", "user", userID, nil, map[string]any{
		"idle_expires_at": s.LastSeen.Add(l.Idle), "expires_at": s.Created.Add(l.Absolute),
	}); err != nil {
		return out, err
	}
	return SignedIn{Secret: secret, Actor: actor, Org: o}, nil
}

// liveSession returns the session of a secret and its member when the
// session has not expired and the membership is active; else
// Unauthenticated.
func (a *App) liveSession(ctx context.Context, tx Tx, secret string) (org.Session, org.Member, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return org.Session{}, org.Member{}, errSessionEnded()
	}
	s, err := tx.SessionByHash(ctx, hashToken(secret))
	if errs.Is(err, errs.NotFound) {
		return s, org.Member{}, errSessionEnded()
	}
	if err != nil {
		return s, org.Member{}, err
	}
	l, now := a.sessionLimits(), tx.Now()
	if s.LastSeen.Add(l.Idle).Before(now) || s.Created.Add(l.Absolute).Before(now) {
		return s, org.Member{}, errSessionEnded()
	}
	m, err := tx.GetMember(ctx, s.OrgID, s.UserID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Active) {
		return s, m, errs.E(errs.Unauthenticated, "you are no longer a member of this organization; sign in again")
	}
	return s, m, err
}

// SessionActor turns a session's secret (the cookie) into the actor it
// stands for. An unknown or expired session, or one whose membership ended,
// is Unauthenticated. The session's last-seen time is recorded at most once
// a minute.
func (a *App) SessionActor(ctx context.Context, secret, requestID string) (org.Actor, error) {
	var (
		actor org.Actor
		touch bool
		hash  string
	)
	err := a.db.Read(ctx, func(tx Tx) error {
		s, m, err := a.liveSession(ctx, tx, secret)
		if err != nil {
			return err
		}
		actor = org.Actor{OrgID: s.OrgID, UserID: s.UserID, Role: m.Role, Scopes: sessionScopes(), Session: true, RequestID: requestID}
		touch = tx.Now().Sub(s.LastSeen) >= sessionTouchEvery
		hash = s.Hash
		return nil
	})
	if err == nil && touch {
		// Recorded at most once a minute, so that reads stay reads.
		err := a.db.Write(ctx, func(tx Tx) error { return tx.TouchSession(ctx, hash) })
		if errs.Is(err, errs.NotFound) {
			return org.Actor{}, errSessionEnded() // signed out meanwhile
		}
		if err != nil {
			a.log.Warn("recording a session's use", "user", actor.UserID, "err", err)
		}
	}
	return actor, err
}

// SignOut ends a session on the server; an unknown secret is no error.
func (a *App) SignOut(ctx context.Context, secret string) error {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return nil
	}
	return a.db.Write(ctx, func(tx Tx) error {
		err := tx.DeleteSession(ctx, hashToken(secret))
		if errs.Is(err, errs.NotFound) {
			return nil
		}
		return err
	})
}

// OrgChoice is an organization the user may switch to.
type OrgChoice struct {
	ID      string
	Name    string
	Slug    string
	Role    org.Role
	Current bool // the actor's organization
}

// MyOrganizations lists the organizations the actor's user is an active
// member of, by name.
func (a *App) MyOrganizations(ctx context.Context, actor org.Actor) ([]OrgChoice, error) {
	var out []OrgChoice
	err := a.db.Read(ctx, func(tx Tx) error {
		ms, err := tx.ListMemberships(ctx, actor.UserID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if !m.Active {
				continue
			}
			o, err := tx.GetOrganization(ctx, m.OrgID)
			if err != nil {
				return err
			}
			out = append(out, OrgChoice{ID: o.ID, Name: o.Name, Slug: o.Slug, Role: m.Role, Current: o.ID == actor.OrgID})
		}
		return nil
	})
	slices.SortFunc(out, func(x, y OrgChoice) int {
		return cmp.Or(strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), strings.Compare(x.Slug, y.Slug))
	})
	return out, err
}

// SwitchOrganization ends the session of secret and starts one, with a new
// secret, in orgID. A session that has ended is Unauthenticated; an
// organization the user is not an active member of is errs.NotFound (and
// the current session stays).
func (a *App) SwitchOrganization(ctx context.Context, secret, orgID, requestID string) (SignedIn, error) {
	var out SignedIn
	err := a.db.Write(ctx, func(tx Tx) error {
		s, _, err := a.liveSession(ctx, tx, secret)
		if err != nil {
			return err
		}
		if out, err = a.startSession(ctx, tx, s.UserID, orgID, requestID); err != nil {
			if errs.Is(err, errs.NotFound) {
				return errs.NotFoundf("organization %s: not found", orgID)
			}
			return err
		}
		return tx.DeleteSession(ctx, s.Hash)
	})
	return out, err
}

// ChangePassword replaces the actor's password after checking the current
// one, and ends every other session of the user in every organization; the
// session of secret (the one making the change) stays.
func (a *App) ChangePassword(ctx context.Context, actor org.Actor, secret, current, next string) error {
	var f errs.Fields
	if len(next) < 10 {
		f.Add("new_password", "use at least 10 characters")
	} else if len(next) > maxPassword {
		f.Add("new_password", "use at most %d characters", maxPassword)
	}
	var old string
	err := a.db.Read(ctx, func(tx Tx) error {
		m, err := tx.GetMember(ctx, actor.OrgID, actor.UserID)
		old = m.PasswordHash
		return err
	})
	if err != nil {
		return err
	}
	hash := old
	if hash == "" {
		hash = dummyHash
	}
	if len(current) > maxPassword || !CheckPassword(hash, current) || old == "" {
		f.Add("current_password", "the current password is wrong")
	}
	if err := f.Err(); err != nil {
		return err
	}
	newHash := HashPassword(next)
	keep := ""
	if strings.HasPrefix(secret, sessionPrefix) {
		keep = hashToken(secret)
	}
	return a.db.Write(ctx, func(tx Tx) error {
		m, err := tx.GetMember(ctx, actor.OrgID, actor.UserID)
		if err != nil {
			return err
		}
		if m.PasswordHash != old {
			return errs.E(errs.Conflict, "your password was changed meanwhile; sign in again")
		}
		if err := tx.SetPasswordHash(ctx, actor.UserID, newHash); err != nil {
			return err
		}
		ended, err := tx.DeleteUserSessions(ctx, actor.UserID, keep)
		if err != nil {
			return err
		}
		return audit(ctx, tx, actor, "user.password_change", "user", actor.UserID, nil, map[string]any{"sessions_ended": ended})
	})
}
