package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

// tokenPrefix marks okra API tokens so that secret scanners can find them.
const tokenPrefix = "okra_"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	const t, m, p = 2, 64 * 1024, 2
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether password matches an argon2id hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Authenticate turns an API token into the actor it stands for. An unknown,
// revoked or orphaned token is Unauthenticated.
func (a *App) Authenticate(ctx context.Context, secret, requestID string) (org.Actor, error) {
	var (
		actor   org.Actor
		touch   bool
		tokenID string
	)
	if !strings.HasPrefix(secret, tokenPrefix) {
		return actor, errs.E(errs.Unauthenticated, "send a valid API token as 'Authorization: Bearer okra_…'")
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		tk, err := tx.TokenByHash(ctx, hashToken(secret))
		if errs.Is(err, errs.NotFound) || (err == nil && tk.RevokedAt != nil) {
			return errs.E(errs.Unauthenticated, "this API token is unknown or revoked")
		}
		if err != nil {
			return err
		}
		m, err := tx.GetMember(ctx, tk.OrgID, tk.UserID)
		if errs.Is(err, errs.NotFound) || (err == nil && !m.Active) {
			return errs.E(errs.Unauthenticated, "the owner of this API token is no longer a member")
		}
		if err != nil {
			return err
		}
		actor = org.Actor{OrgID: tk.OrgID, UserID: tk.UserID, Role: m.Role, Scopes: tk.Scopes, RequestID: requestID}
		touch = tk.LastUsed == nil || tx.Now().Sub(*tk.LastUsed) > tokenTouchEvery
		tokenID = tk.ID
		return nil
	})
	if err == nil && touch {
		// Recorded at most hourly, so that reads stay reads.
		if err := a.db.Write(ctx, func(tx Tx) error { return tx.TouchToken(ctx, tokenID) }); err != nil {
			a.log.Warn("recording a token's use", "token", tokenID, "err", err)
		}
	}
	return actor, err
}

// tokenTouchEvery is how stale a token's last-used time may get.
const tokenTouchEvery = time.Hour

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slugify turns a name into a slug: lower case, digits and dashes.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// InitInput creates an organization and its owner.
type InitInput struct {
	OrgName  string
	OrgSlug  string
	TimeZone string
	Email    string
	Name     string
	// Password is optional: a person may sign in with it once the web UI exists.
	Password string
}

// InitResult is what Init created; Token is shown once.
type InitResult struct {
	Org   org.Organization
	Owner org.User
	Token string
}

// Init creates an organization with its owner and an owner API token with
// every scope. An owner e-mail that already exists joins the new
// organization as its owner.
func (a *App) Init(ctx context.Context, in InitInput) (InitResult, error) {
	var res InitResult
	var f errs.Fields
	in.OrgName = strings.TrimSpace(in.OrgName)
	if in.OrgName == "" {
		f.Add("org", "give the organization a name")
	}
	if in.OrgSlug == "" {
		in.OrgSlug = Slugify(in.OrgName)
	}
	if !slugPattern.MatchString(in.OrgSlug) {
		f.Add("slug", "use lower-case letters, digits and dashes")
	}
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil {
		f.Add("time_zone", "%q is not a time zone name like Europe/Berlin", in.TimeZone)
	}
	email, err := normalizeEmail(in.Email)
	if err != nil {
		f.Add("email", "%s", err.Error())
	}
	if in.Password != "" && len(in.Password) < 10 {
		f.Add("password", "use at least 10 characters")
	}
	if err := f.Err(); err != nil {
		return res, err
	}
	if in.Name == "" {
		in.Name = strings.Split(email, "@")[0]
	}
	secret, hash := newSecret(tokenPrefix)
	err = a.db.Write(ctx, func(tx Tx) error {
		o := org.Organization{ID: NewID(), Name: in.OrgName, Slug: in.OrgSlug, TimeZone: in.TimeZone, Settings: org.DefaultSettings()}
		if err := tx.CreateOrganization(ctx, &o); err != nil {
			return slugTaken(err, "organization", in.OrgSlug)
		}
		u, err := tx.GetUserByEmail(ctx, email)
		if errs.Is(err, errs.NotFound) {
			u = org.User{ID: NewID(), Email: email, Name: in.Name}
			if in.Password != "" {
				u.PasswordHash = HashPassword(in.Password)
			}
			err = tx.CreateUser(ctx, &u)
		}
		if err != nil {
			return err
		}
		if err := tx.AddMembership(ctx, org.Membership{OrgID: o.ID, UserID: u.ID, Role: org.RoleOwner, Active: true}); err != nil {
			return err
		}
		tk := org.Token{ID: NewID(), OrgID: o.ID, UserID: u.ID, Name: "owner token (okra init)", Hash: hash,
			Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite, org.ScopeAdmin}}
		if err := tx.CreateToken(ctx, &tk); err != nil {
			return err
		}
		actor := org.Actor{OrgID: o.ID, UserID: u.ID, Role: org.RoleOwner, RequestID: "init"}
		if err := audit(ctx, tx, actor, "organization.create", "organization", o.ID, nil, o); err != nil {
			return err
		}
		res = InitResult{Org: o, Owner: u, Token: secret}
		return nil
	})
	return res, err
}

func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", fmt.Errorf("is required")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return "", fmt.Errorf("%q is not an e-mail address", s)
	}
	return s, nil
}
