package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// twoOrgsOneUser creates two organizations and a user who is a member of both.
func twoOrgsOneUser(t *testing.T, s *store.Store) (a, b org.Organization, u org.User) {
	t.Helper()
	a, b = newOrg("alpha"), newOrg("beta")
	u = org.User{ID: app.NewID(), Email: "ann@example.com", Name: "Ann", PasswordHash: "old"}
	write(t, s, func(ctx context.Context, tx app.Tx) error {
		for _, step := range []func() error{
			func() error { return tx.CreateOrganization(ctx, &a) },
			func() error { return tx.CreateOrganization(ctx, &b) },
			func() error { return tx.CreateUser(ctx, &u) },
			func() error {
				return tx.AddMembership(ctx, org.Membership{OrgID: a.ID, UserID: u.ID, Role: org.RoleOwner, Active: true})
			},
			func() error {
				return tx.AddMembership(ctx, org.Membership{OrgID: b.ID, UserID: u.ID, Role: org.RoleMember, Active: true})
			},
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	return a, b, u
}

// TestSessionsRoundTrip: sessions are found by hash in any organization,
// touched, deleted one by one or all but one per user, and pruned by age;
// a user's password hash is replaced.
func TestSessionsRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		a, b, u := twoOrgsOneUser(t, s)
		s1 := org.Session{Hash: "h1", UserID: u.ID, OrgID: a.ID}
		s2 := org.Session{Hash: "h2", UserID: u.ID, OrgID: b.ID}
		s3 := org.Session{Hash: "h3", UserID: u.ID, OrgID: a.ID}
		at1 := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &s1) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &s2) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &s3) })
		same(t, "created and last seen set on the struct", []time.Time{at1, at1}, []time.Time{s1.Created, s1.LastSeen})

		err := attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateSession(ctx, &org.Session{Hash: "h1", UserID: u.ID, OrgID: a.ID})
		})
		wantKind(t, "a hash taken", err, errs.Conflict)
		err = attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.CreateSession(ctx, &org.Session{Hash: "h9", UserID: u.ID, OrgID: "no-such-org"})
		})
		wantKind(t, "an unknown organization", err, errs.Invalid)

		touched := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.TouchSession(ctx, "h1") })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.SessionByHash(ctx, "h1")
			noErr(t, err)
			same(t, "SessionByHash after TouchSession", org.Session{Hash: "h1", UserID: u.ID, OrgID: a.ID, Created: at1, LastSeen: touched}, got)
			got, err = tx.SessionByHash(ctx, "h2")
			noErr(t, err)
			same(t, "the other organization's session", s2, got)
			_, err = tx.SessionByHash(ctx, "nope")
			wantKind(t, "an unknown hash", err, errs.NotFound)
			return nil
		})
		wantKind(t, "TouchSession of an unknown hash", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.TouchSession(ctx, "nope")
		}), errs.NotFound)

		// All but h1, in both organizations.
		var n int
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			var err error
			n, err = tx.DeleteUserSessions(ctx, u.ID, "h1")
			return err
		})
		if n != 2 {
			t.Errorf("DeleteUserSessions removed %d, want 2", n)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.SessionByHash(ctx, "h1")
			noErr(t, err)
			for _, h := range []string{"h2", "h3"} {
				_, err := tx.SessionByHash(ctx, h)
				wantKind(t, "a deleted session "+h, err, errs.NotFound)
			}
			return nil
		})

		// Pruning: h1 was last seen at touched; h4 is new.
		h4 := org.Session{Hash: "h4", UserID: u.ID, OrgID: b.ID}
		at4 := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &h4) })
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.PruneSessions(ctx, u.ID, touched.Add(time.Microsecond), at1.Add(-time.Hour))
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.SessionByHash(ctx, "h1")
			wantKind(t, "a session idle too long", err, errs.NotFound)
			_, err = tx.SessionByHash(ctx, "h4")
			noErr(t, err)
			return nil
		})
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.PruneSessions(ctx, u.ID, at4.Add(-time.Hour), at4.Add(time.Microsecond))
		})
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			_, err := tx.SessionByHash(ctx, "h4")
			wantKind(t, "a session too old", err, errs.NotFound)
			return nil
		})

		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateSession(ctx, &s1) })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.DeleteSession(ctx, "h1") })
		wantKind(t, "DeleteSession twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.DeleteSession(ctx, "h1")
		}), errs.NotFound)

		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.SetPasswordHash(ctx, u.ID, "new") })
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetUserByEmail(ctx, u.Email)
			same(t, "password hash after SetPasswordHash", "new", got.PasswordHash)
			return err
		})
		wantKind(t, "SetPasswordHash of an unknown user", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.SetPasswordHash(ctx, "nobody", "x")
		}), errs.NotFound)
	})
}

// TestInvitationsRoundTrip: invitations read back as written, by hash in any
// organization and by id only in their own; revoking, accepting (once, and
// not after expiry) and revoking an e-mail's pending ones are scoped to the
// organization.
func TestInvitationsRoundTrip(t *testing.T) {
	runBoth(t, func(t *testing.T, s *store.Store) {
		a, b, u := twoOrgsOneUser(t, s)
		var now time.Time
		write(t, s, func(ctx context.Context, tx app.Tx) error { now = tx.Now(); return nil })
		week := now.Add(7 * 24 * time.Hour)
		mk := func(o org.Organization, email string, expires time.Time) org.Invitation {
			return org.Invitation{ID: app.NewID(), OrgID: o.ID, Email: email, Name: "Cat", Role: org.RoleViewer, InvitedBy: u.ID, Expires: expires}
		}
		i1, i2 := mk(a, "Cat@Example.com", week), mk(a, "cat@example.com", week)
		iB := mk(b, "cat@example.com", week)
		old := mk(a, "dan@example.com", now.Add(time.Second)) // expires before the next transaction
		at1 := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateInvitation(ctx, &i1, "hash1") })
		write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.CreateInvitation(ctx, &i2, "hash2") })
		write(t, s, func(ctx context.Context, tx app.Tx) error {
			if err := tx.CreateInvitation(ctx, &iB, "hashB"); err != nil {
				return err
			}
			return tx.CreateInvitation(ctx, &old, "hashOld")
		})
		same(t, "invitation as created", org.Invitation{ID: i1.ID, OrgID: a.ID, Email: "cat@example.com", Name: "Cat", Role: org.RoleViewer,
			InvitedBy: u.ID, Created: at1, Expires: week}, i1)
		wantKind(t, "a hash taken", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			i := mk(b, "x@example.com", week)
			return tx.CreateInvitation(ctx, &i, "hash1")
		}), errs.Conflict)

		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.InvitationByHash(ctx, "hash1")
			noErr(t, err)
			same(t, "InvitationByHash", i1, got)
			got, err = tx.GetInvitation(ctx, a.ID, i2.ID)
			noErr(t, err)
			same(t, "GetInvitation", i2, got)
			_, err = tx.GetInvitation(ctx, b.ID, i2.ID)
			wantKind(t, "GetInvitation of another organization's id", err, errs.NotFound)
			_, err = tx.InvitationByHash(ctx, "nope")
			wantKind(t, "an unknown hash", err, errs.NotFound)
			list, err := tx.ListInvitations(ctx, a.ID)
			noErr(t, err)
			ids := []string{}
			for _, i := range list {
				ids = append(ids, i.ID)
			}
			same(t, "ListInvitations, newest first", []string{old.ID, i2.ID, i1.ID}, ids)
			return nil
		})

		// Another organization's invitation cannot be revoked or accepted through this one.
		wantKind(t, "RevokeInvitation across organizations", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.RevokeInvitation(ctx, a.ID, iB.ID)
		}), errs.NotFound)
		wantKind(t, "AcceptInvitation across organizations", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AcceptInvitation(ctx, a.ID, iB.ID)
		}), errs.NotFound)
		wantKind(t, "AcceptInvitation after expiry", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AcceptInvitation(ctx, a.ID, old.ID)
		}), errs.NotFound)

		// Revoking the e-mail's pending ones in A: i1 and i2, not B's, not the expired one.
		var n int
		revokedAt := write(t, s, func(ctx context.Context, tx app.Tx) error {
			var err error
			n, err = tx.RevokePendingInvitations(ctx, a.ID, "CAT@example.com")
			return err
		})
		if n != 2 {
			t.Errorf("RevokePendingInvitations revoked %d, want 2", n)
		}
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.GetInvitation(ctx, a.ID, i2.ID)
			noErr(t, err)
			same(t, "revoked_at", &revokedAt, got.RevokedAt)
			got, err = tx.GetInvitation(ctx, b.ID, iB.ID)
			noErr(t, err)
			same(t, "the other organization's invitation", iB, got)
			got, err = tx.GetInvitation(ctx, a.ID, old.ID)
			noErr(t, err)
			same(t, "the expired invitation", old, got)
			return nil
		})
		wantKind(t, "RevokeInvitation twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.RevokeInvitation(ctx, a.ID, i2.ID)
		}), errs.NotFound)
		wantKind(t, "AcceptInvitation of a revoked one", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AcceptInvitation(ctx, a.ID, i2.ID)
		}), errs.NotFound)

		acceptedAt := write(t, s, func(ctx context.Context, tx app.Tx) error { return tx.AcceptInvitation(ctx, b.ID, iB.ID) })
		wantKind(t, "AcceptInvitation twice", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.AcceptInvitation(ctx, b.ID, iB.ID)
		}), errs.NotFound)
		wantKind(t, "RevokeInvitation of an accepted one", attempt(t, s, func(ctx context.Context, tx app.Tx) error {
			return tx.RevokeInvitation(ctx, b.ID, iB.ID)
		}), errs.NotFound)
		read(t, s, func(ctx context.Context, tx app.Tx) error {
			got, err := tx.InvitationByHash(ctx, "hashB")
			noErr(t, err)
			same(t, "accepted_at", &acceptedAt, got.AcceptedAt)
			same(t, "status", org.InvitationAccepted, got.Status(acceptedAt))
			return nil
		})
	})
}
