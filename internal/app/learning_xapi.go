package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/org"
)

// ---- LRS credentials

// lrsKeyPrefix marks LRS keys (the Basic-auth user names), so that secret
// scanners and people can tell them apart from API tokens.
const lrsKeyPrefix = "okrax_"

// lrsTouchEvery is how stale a credential's last-used time may get.
const lrsTouchEvery = time.Minute

// dummyLRSHash is compared when a key is unknown, so that an unknown key
// takes as long as a wrong secret.
var dummyLRSHash = hashToken("okra: no such LRS credential")

// LRSClient is a learning system authenticated with an LRS credential: it
// writes and reads the xAPI statements of one organization.
type LRSClient struct {
	CredentialID string
	OrgID        string
	// Name is the credential's name (the learning system's).
	Name string
	// RequestID ties what the client does to its request in logs and audit events.
	RequestID string
}

// actor is the client as the use cases record it. The learning system is
// nobody in the organization: audit events, check-ins and skill assertions
// it causes carry no person (actor id empty) and the request id; the
// statement they came from names the credential. Attributing them to the
// admin who created the credential would credit a person with what an LMS said.
func (c LRSClient) actor() org.Actor {
	return org.Actor{OrgID: c.OrgID, RequestID: c.RequestID}
}

// NewLRSCredential is an LRS credential as created: the secret is shown this
// once and only its hash is kept.
type NewLRSCredential struct {
	learning.LRSCredential
	Secret string `json:"secret" doc:"The Basic-auth password. Shown once: okra keeps only its SHA-256 hash."`
}

// CreateLRSCredential creates a key and secret with which a learning system
// posts xAPI statements to the organization (admin).
func (a *App) CreateLRSCredential(ctx context.Context, actor org.Actor, name string) (NewLRSCredential, error) {
	var out NewLRSCredential
	if err := requireAdmin(actor); err != nil {
		return out, err
	}
	var f errs.Fields
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		f.Add("name", "name the learning system that will use it, e.g. \"Moodle\"")
	case len(name) > 200:
		f.Add("name", "is longer than 200 characters")
	}
	if err := f.Err(); err != nil {
		return out, err
	}
	secret := randomText(32) // 256 bits
	c := learning.LRSCredential{ID: NewID(), OrgID: actor.OrgID, Name: name, Key: lrsKeyPrefix + randomText(16),
		SecretHash: hashToken(secret), CreatedBy: actor.UserID}
	err := a.write(ctx, actor.OrgID, func(tx Tx) error {
		if err := tx.CreateLRSCredential(ctx, &c); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "lrs_credential.create", "lrs_credential", c.ID, nil, c)
	})
	if err != nil {
		return out, err
	}
	return NewLRSCredential{LRSCredential: c, Secret: secret}, nil
}

// ListLRSCredentials lists the organization's LRS credentials by id, revoked
// ones included (admin).
func (a *App) ListLRSCredentials(ctx context.Context, actor org.Actor, p PageRequest) (Page[learning.LRSCredential], error) {
	if err := requireAdmin(actor); err != nil {
		return Page[learning.LRSCredential]{}, err
	}
	return inMemoryPage(ctx, a, actor, p, func(c learning.LRSCredential) string { return c.ID },
		func(tx Tx) ([]learning.LRSCredential, error) { return tx.ListLRSCredentials(ctx, actor.OrgID) })
}

// RevokeLRSCredential revokes an LRS credential: the learning system using
// it is refused from then on (admin). Revoking it again changes nothing.
func (a *App) RevokeLRSCredential(ctx context.Context, actor org.Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return a.write(ctx, actor.OrgID, func(tx Tx) error {
		all, err := tx.ListLRSCredentials(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(c learning.LRSCredential) bool { return c.ID == id })
		if i < 0 {
			return errs.NotFoundf("LRS credential %s: not found", id)
		}
		if all[i].Revoked != nil {
			return nil
		}
		if err := tx.RevokeLRSCredential(ctx, actor.OrgID, id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "lrs_credential.revoke", "lrs_credential", id, all[i], nil)
	})
}

// LRSActor authenticates a learning system by the key and secret of an LRS
// credential (Basic auth). An unknown or revoked key or a wrong secret is
// Unauthenticated, told apart from each other neither by message nor by time.
func (a *App) LRSActor(ctx context.Context, key, secret string) (LRSClient, error) {
	var (
		client LRSClient
		touch  bool
	)
	denied := errs.E(errs.Unauthenticated, "send the key and secret of an LRS credential of the organization with Basic auth; "+
		"this key is unknown or revoked, or the secret is wrong")
	err := a.db.Read(ctx, func(tx Tx) error {
		var c learning.LRSCredential
		want := dummyLRSHash
		if strings.HasPrefix(key, lrsKeyPrefix) && len(key) <= 100 {
			var err error
			c, err = tx.LRSCredentialByKey(ctx, key)
			switch {
			case err == nil:
				want = c.SecretHash
			case !errs.Is(err, errs.NotFound):
				return err
			}
		}
		match := subtle.ConstantTimeCompare([]byte(hashToken(secret)), []byte(want)) == 1
		if !match || c.ID == "" || c.Revoked != nil {
			return denied
		}
		client = LRSClient{CredentialID: c.ID, OrgID: c.OrgID, Name: c.Name}
		touch = c.LastUsed == nil || tx.Now().Sub(*c.LastUsed) > lrsTouchEvery
		return nil
	})
	if err == nil && touch {
		if err := a.db.Write(ctx, func(tx Tx) error { return tx.TouchLRSCredential(ctx, client.CredentialID) }); err != nil {
			a.log.Warn("recording an LRS credential's use", "credential", client.CredentialID, "err", err)
		}
	}
	return client, err
}

// ---- statements

// XAPIVersion is the xAPI version okra's Learning Record Store speaks and
// stamps on the statements it stores.
const XAPIVersion = "1.0.3"

// The xAPI verbs that change enrollments, by the last segment of their IRI
// (http://adlnet.gov/expapi/verbs/completed and the like).
const (
	verbCompleted  = "completed"
	verbPassed     = "passed"
	verbFailed     = "failed"
	verbScored     = "scored"
	verbProgressed = "progressed"
)

// statementMembers are the properties an xAPI 1.0.3 statement may have.
var statementMembers = []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
	"authority", "version", "attachments"}

// statementIn is a statement as received, validated and read.
type statementIn struct {
	members map[string]json.RawMessage
	id      string // "" until assigned
	actor   string // the e-mail of mbox, or account.name
	verb    string // the verb's IRI
	object  string // the object's id
	at      time.Time
	digest  string
	result  resultIn
}

// resultIn is what okra reads of a statement's result.
type resultIn struct {
	score    *float64 // 0–100
	scaled   *float64 // score.scaled, 0.0–1.0 (a negative one counts 0)
	progress *float64 // 0.0–1.0
	hours    *float64
}

// The parts of a statement okra reads; the rest is kept as received.
type (
	xapiAgent struct {
		ObjectType  string       `json:"objectType"`
		Mbox        string       `json:"mbox"`
		MboxSHA1Sum string       `json:"mbox_sha1sum"`
		OpenID      string       `json:"openid"`
		Account     *xapiAccount `json:"account"`
	}
	xapiAccount struct {
		HomePage string `json:"homePage"`
		Name     string `json:"name"`
	}
	xapiVerb struct {
		ID string `json:"id"`
	}
	xapiObject struct {
		ObjectType string `json:"objectType"`
		ID         string `json:"id"`
	}
	xapiScore struct {
		Scaled *float64 `json:"scaled"`
		Raw    *float64 `json:"raw"`
		Min    *float64 `json:"min"`
		Max    *float64 `json:"max"`
	}
	xapiResult struct {
		Score      *xapiScore                 `json:"score"`
		Duration   *string                    `json:"duration"`
		Extensions map[string]json.RawMessage `json:"extensions"`
	}
)

// decodeMember decodes one member of a statement into v, reporting a wrong
// shape under field.
func decodeMember(raw json.RawMessage, v any, field string, f *errs.Fields) bool {
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			f.Add(field+"."+te.Field, "must be a JSON %s", jsonKind(te.Type.Kind()))
		} else {
			f.Add(field, "must be a JSON %s", jsonKind(reflect.TypeOf(v).Elem().Kind()))
		}
		return false
	}
	return true
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Float64, reflect.Int:
		return "number"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "array"
	}
	return "object"
}

// isIRI reports whether s is an absolute IRI (it has a scheme).
func isIRI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "")
}

// canonicalUUID returns s as a lower-case UUID in its 36-character form.
func canonicalUUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// readStatement validates one statement as far as okra relies on it: a JSON
// object of xAPI's properties with an actor identified by mbox or account, a
// verb and an object with ids, an id that is a UUID when given, a
// timestamp, version and result of the right form. Fields are reported under
// field.
func readStatement(raw json.RawMessage, field string, f *errs.Fields) statementIn {
	st := statementIn{}
	n := len(*f)
	bad := func() bool { return len(*f) > n }
	if err := json.Unmarshal(raw, &st.members); err != nil || st.members == nil {
		f.Add(field, "must be a JSON object (an xAPI statement)")
		return st
	}
	for k := range st.members {
		if !slices.Contains(statementMembers, k) {
			f.Add(field+"."+k, "is not a property of an xAPI 1.0.3 statement (names are case-sensitive)")
		}
	}
	if raw, ok := st.members["id"]; ok {
		var id string
		if decodeMember(raw, &id, field+".id", f) {
			if st.id, ok = canonicalUUID(id); !ok {
				f.Add(field+".id", "%q is not a UUID like 3f1c2a52-7c1e-4a1b-9d3e-2b6f0e1a7c44", id)
			}
		}
	}
	// actor
	if raw, ok := st.members["actor"]; !ok {
		f.Add(field+".actor", "is required: the learner, with mbox (mailto:e-mail) or account")
	} else {
		var ag xapiAgent
		if decodeMember(raw, &ag, field+".actor", f) {
			st.actor = readAgent(ag, field+".actor", f)
		}
	}
	// verb
	if raw, ok := st.members["verb"]; !ok {
		f.Add(field+".verb", "is required, with an id such as http://adlnet.gov/expapi/verbs/completed")
	} else {
		var v xapiVerb
		if decodeMember(raw, &v, field+".verb", f) {
			if st.verb = v.ID; !isIRI(v.ID) {
				f.Add(field+".verb.id", "must be an IRI such as http://adlnet.gov/expapi/verbs/completed")
			}
		}
	}
	// object
	if raw, ok := st.members["object"]; !ok {
		f.Add(field+".object", "is required: the activity, with its id")
	} else {
		var o xapiObject
		if decodeMember(raw, &o, field+".object", f) {
			st.object = o.ID
			switch o.ObjectType {
			case "", "Activity", "Agent", "Group", "StatementRef":
				if strings.TrimSpace(o.ID) == "" {
					f.Add(field+".object.id", "is required: the activity's IRI, e.g. https://lms.example.com/courses/cr-301")
				}
			case "SubStatement":
				f.Add(field+".object.objectType", "okra's LRS does not store sub-statements; send the activity itself")
			default:
				f.Add(field+".object.objectType", "must be Activity, Agent, Group or StatementRef")
			}
		}
	}
	if raw, ok := st.members["timestamp"]; ok {
		var s string
		if decodeMember(raw, &s, field+".timestamp", f) {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				f.Add(field+".timestamp", "%q is not an ISO 8601 time with a zone, e.g. 2026-10-14T16:42:10Z", s)
			}
			st.at = t.UTC()
		}
	}
	if raw, ok := st.members["version"]; ok {
		var v string
		if decodeMember(raw, &v, field+".version", f) && v != "1.0" && !strings.HasPrefix(v, "1.0.") {
			f.Add(field+".version", "okra's LRS stores xAPI 1.0.x statements, not %q", v)
		}
	}
	if raw, ok := st.members["result"]; ok {
		var r xapiResult
		if decodeMember(raw, &r, field+".result", f) {
			st.result = readResult(r, field+".result", f)
		}
	}
	if bad() {
		return st
	}
	st.digest = statementDigest(st.members, st.at)
	return st
}

// readAgent returns the e-mail (of mbox) or the account name okra matches
// people by.
func readAgent(ag xapiAgent, field string, f *errs.Fields) string {
	if ag.ObjectType != "" && ag.ObjectType != "Agent" && ag.ObjectType != "Group" {
		f.Add(field+".objectType", "must be Agent or Group")
	}
	switch {
	case ag.Mbox != "" && ag.Account != nil:
		f.Add(field, "give one of mbox or account, not both")
	case ag.Mbox != "":
		email, ok := strings.CutPrefix(ag.Mbox, "mailto:")
		e, err := normalizeEmail(email)
		if !ok || err != nil {
			f.Add(field+".mbox", "must be mailto: and an e-mail address, e.g. mailto:ann@example.com")
		}
		return e
	case ag.Account != nil:
		if !isIRI(ag.Account.HomePage) {
			f.Add(field+".account.homePage", "must be the IRL of the system the account belongs to")
		}
		name := strings.TrimSpace(ag.Account.Name)
		if name == "" {
			f.Add(field+".account.name", "is required: okra matches it to a member's e-mail")
		}
		if strings.Contains(name, "@") {
			name = strings.ToLower(name)
		}
		return name
	case ag.MboxSHA1Sum != "" || ag.OpenID != "":
		f.Add(field, "okra matches learners by mbox or account; mbox_sha1sum and openid are not supported")
	default:
		f.Add(field, "needs mbox (mailto:e-mail) or account to name the learner")
	}
	return ""
}

// readResult reads the score (0–100), progress and hours of a result.
func readResult(r xapiResult, field string, f *errs.Fields) resultIn {
	var out resultIn
	if s := r.Score; s != nil {
		if s.Scaled != nil && (*s.Scaled < -1 || *s.Scaled > 1) {
			f.Add(field+".score.scaled", "must be between -1 and 1")
		}
		if s.Min != nil && s.Max != nil && *s.Min >= *s.Max {
			f.Add(field+".score.max", "must be greater than min")
		}
		if s.Raw != nil && (s.Min != nil && *s.Raw < *s.Min || s.Max != nil && *s.Raw > *s.Max) {
			f.Add(field+".score.raw", "must be between min and max")
		}
		out.score = scoreOf(*s)
		if s.Scaled != nil {
			v := math.Max(0, *s.Scaled)
			out.scaled = &v
		}
	}
	if r.Duration != nil {
		h, ok := durationHours(*r.Duration)
		if !ok {
			f.Add(field+".duration", "%q is not an ISO 8601 duration like PT1H30M", *r.Duration)
		} else if h <= 10000 {
			out.hours = &h
		}
	}
	for k, raw := range r.Extensions {
		if k != "progress" && !strings.HasSuffix(k, "/progress") {
			continue
		}
		var pct float64
		if err := json.Unmarshal(raw, &pct); err != nil || pct < 0 || pct > 100 {
			f.Add(field+".extensions."+k, "must be a percentage from 0 to 100")
			continue
		}
		p := pct / 100
		out.progress = &p
	}
	return out
}

// scoreOf turns an xAPI score into 0–100: scaled × 100, else raw scaled by
// min (0 when absent) and max, else raw when it is already 0–100; nil when
// it cannot be read so. Negative scores count as 0.
func scoreOf(s xapiScore) *float64 {
	var v float64
	switch {
	case s.Scaled != nil:
		v = *s.Scaled * 100
	case s.Raw != nil && s.Min != nil && s.Max != nil && *s.Max > *s.Min:
		v = (*s.Raw - *s.Min) / (*s.Max - *s.Min) * 100
	case s.Raw != nil && s.Max != nil && *s.Max > 0 && s.Min == nil:
		v = *s.Raw / *s.Max * 100
	case s.Raw != nil && *s.Raw >= 0 && *s.Raw <= 100:
		v = *s.Raw
	default:
		return nil
	}
	v = math.Max(0, math.Min(100, v))
	return &v
}

var isoDuration = regexp.MustCompile(`^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$`)

// durationHours reads an ISO 8601 duration (PT1H30M, P1DT2H, PT45M30.5S)
// in hours; a year counts 365 days and a month 30.
func durationHours(s string) (float64, bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, false
	}
	perUnit := []float64{365 * 24, 30 * 24, 7 * 24, 24, 1, 1.0 / 60, 1.0 / 3600}
	h := 0.0
	for i, part := range m[1:] {
		if part == "" {
			continue
		}
		v, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return 0, false
		}
		h += v * perUnit[i]
	}
	return h, true
}

// statementDigest identifies a statement's content: its members without id,
// stored, authority and version, the timestamp in one form, as canonical
// JSON (sorted keys, compact). The same id with another digest is another
// statement.
func statementDigest(members map[string]json.RawMessage, at time.Time) string {
	content := map[string]any{}
	for k, raw := range members {
		switch k {
		case "id", "stored", "authority", "version":
			continue
		case "timestamp":
			content[k] = at.Format(time.RFC3339Nano)
			continue
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			v = string(raw)
		}
		content[k] = v
	}
	b, _ := json.Marshal(content)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// verbName is the last segment of a verb's IRI, lower case.
func verbName(iri string) string {
	iri = strings.TrimRight(iri, "/")
	i := strings.LastIndexAny(iri, "/#:")
	return strings.ToLower(iri[i+1:])
}

// StoreStatements stores xAPI statements sent by a learning system and
// applies them: a statement whose verb is completed, passed, failed, scored
// or progressed, whose actor is an active member (by mbox or account name,
// the e-mail) and whose object id is a program's external id updates the
// person's latest enrollment in the program (or a new one) and, when it
// turns into a passed completion, asserts the skill levels the program
// teaches; learning key results follow. Statements are immutable: one whose
// id is stored already is accepted unchanged when its content is the same
// and is a Conflict otherwise. A statement that matches no person or
// program is stored all the same, as unmatched. idFromPUT is the statementId
// of a PUT (one statement, which takes that id). The whole batch is stored in
// one transaction, or nothing of it when one statement is invalid or
// conflicts. It returns the statements' ids in order.
func (a *App) StoreStatements(ctx context.Context, client LRSClient, raws []json.RawMessage, idFromPUT string) ([]string, error) {
	var f errs.Fields
	if idFromPUT != "" {
		id, ok := canonicalUUID(idFromPUT)
		if !ok {
			f.Add("statementId", "%q is not a UUID", idFromPUT)
			return nil, f.Err()
		}
		idFromPUT = id
		if len(raws) != 1 {
			f.Add("statement", "a PUT carries exactly one statement")
			return nil, f.Err()
		}
	}
	if len(raws) > maxStatements {
		f.Add("statements", "send at most %d statements in one request", maxStatements)
		return nil, f.Err()
	}
	ins := make([]statementIn, len(raws))
	seen := map[string]int{}
	for i, raw := range raws {
		field := fmt.Sprintf("statements[%d]", i)
		if len(raws) == 1 {
			field = "statement"
		}
		ins[i] = readStatement(raw, field, &f)
		if idFromPUT != "" {
			if ins[i].id != "" && ins[i].id != idFromPUT {
				f.Add(field+".id", "is %s but the statementId parameter is %s; they must be the same", ins[i].id, idFromPUT)
			}
			ins[i].id = idFromPUT
		}
		if id := ins[i].id; id != "" {
			if j, dup := seen[id]; dup {
				f.Add(field+".id", "is also the id of statements[%d]; every statement of a batch needs its own id", j)
			}
			seen[id] = i
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	actor := client.actor()
	ids := make([]string, len(ins))
	err := a.write(ctx, client.OrgID, func(tx Tx) error {
		moved := false
		for i := range ins {
			st := &ins[i]
			if st.id == "" {
				st.id = uuid.Must(uuid.NewV7()).String()
			} else {
				prev, err := tx.GetStatement(ctx, client.OrgID, st.id)
				if err == nil {
					if prev.Digest != st.digest {
						return errs.E(errs.Conflict, "statement %s is stored already with other content; statements never change, so send a new id", st.id)
					}
					ids[i] = st.id
					continue
				}
				if !errs.Is(err, errs.NotFound) {
					return err
				}
			}
			ids[i] = st.id
			changed, err := storeStatement(ctx, tx, client, actor, st)
			if err != nil {
				return err
			}
			moved = moved || changed
		}
		if moved {
			_, err := refreshLearning(ctx, tx, actor)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// maxStatements bounds a batch.
const maxStatements = 1000

// storeStatement stores a new statement with what applying it did, and says
// whether an enrollment changed.
func storeStatement(ctx context.Context, tx Tx, client LRSClient, actor org.Actor, st *statementIn) (bool, error) {
	now := tx.Now()
	if st.at.IsZero() {
		st.at = now
	}
	authority, _ := json.Marshal(map[string]any{"objectType": "Agent", "name": client.Name,
		"account": map[string]string{"homePage": "urn:okra:lrs-credential", "name": client.CredentialID}})
	stored := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	members := st.members
	members["id"] = stored(st.id)
	members["stored"] = stored(now.Format("2006-01-02T15:04:05.000Z07:00"))
	members["authority"] = authority
	members["version"] = stored(XAPIVersion)
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false) // keep the text as received: "&" stays "&"
	if err := enc.Encode(members); err != nil {
		return false, err
	}
	s := learning.Statement{ID: st.id, OrgID: client.OrgID, CredentialID: client.CredentialID,
		Raw: bytes.TrimSpace(raw.Bytes()), Digest: st.digest,
		Verb: st.verb, ActivityID: st.object, Actor: st.actor, Timestamp: st.at}
	changed, err := applyStatement(ctx, tx, actor, st, &s)
	if err != nil {
		return false, err
	}
	return changed, tx.InsertStatement(ctx, &s)
}

// applyStatement matches a statement to a person and a program and applies
// its verb to the person's enrollment, recording the outcome on s.
func applyStatement(ctx context.Context, tx Tx, actor org.Actor, st *statementIn, s *learning.Statement) (bool, error) {
	userID, err := activeMemberByEmail(ctx, tx, actor.OrgID, st.actor)
	if err != nil {
		return false, err
	}
	if userID == "" {
		s.Outcome = fmt.Sprintf("no active member with e-mail %s", st.actor)
		return false, nil
	}
	p, err := tx.ProgramByExternalID(ctx, actor.OrgID, st.object)
	if errs.Is(err, errs.NotFound) {
		s.Outcome = fmt.Sprintf("no program with external id %s", st.object)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.Matched, s.UserID, s.ProgramID = true, userID, p.ID

	verb := verbName(st.verb)
	at := st.at
	if at.After(tx.Now()) {
		at = tx.Now() // a clock ahead does not complete in the future
	}
	rec := learningRecord{score: st.result.score, hours: st.result.hours, at: at}
	yes, no := true, false
	switch verb {
	case verbCompleted:
		status := learning.Completed
		rec.status = &status
	case verbPassed:
		rec.passed = &yes
	case verbFailed:
		rec.passed = &no
	case verbScored:
	case verbProgressed:
		status := learning.InProgress
		rec.status, rec.score, rec.progress = &status, nil, st.result.progress
		if rec.progress == nil {
			rec.progress = st.result.scaled // how far the learner got
		}
	default:
		s.Outcome = fmt.Sprintf("verb %s is stored but changes nothing", verb)
		return false, nil
	}
	res, err := applyExternalRecord(ctx, tx, actor, userID, p, rec)
	if err != nil {
		return false, err
	}
	s.EnrollmentID = res.after.ID
	s.Outcome = res.sentence(p)
	return res.changed(), nil
}

// activeMemberByEmail returns the id of the organization's active member
// with an e-mail (ignoring case), or "" when there is none.
func activeMemberByEmail(ctx context.Context, tx Tx, orgID, email string) (string, error) {
	if email == "" {
		return "", nil
	}
	u, err := tx.GetUserByEmail(ctx, email)
	if errs.Is(err, errs.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	m, err := tx.GetMember(ctx, orgID, u.ID)
	if errs.Is(err, errs.NotFound) || (err == nil && !m.Active) {
		return "", nil
	}
	return m.ID, err
}

// externalResult is what a record from a learning system did to an enrollment.
type externalResult struct {
	before, after learning.Enrollment
	created       bool
	// ignored says why the record was not applied ("" when it was).
	ignored string
}

// changed reports whether the enrollment was created or changed.
func (r externalResult) changed() bool {
	return r.created || !reflect.DeepEqual(r.before, r.after)
}

// completed reports whether the record ended the enrollment or changed its verdict.
func (r externalResult) completed() bool {
	return r.after.Done() && (r.created || r.before.Status != r.after.Status ||
		!reflect.DeepEqual(r.before.Passed, r.after.Passed))
}

// sentence says what happened to the enrollment, e.g. "enrollment completed
// and passed, score 85; skill levels asserted", "new enrollment started,
// progress 40%", "no change to the enrollment".
func (r externalResult) sentence(p learning.Program) string {
	b, e := r.before, r.after
	var what []string
	asserted := false
	switch {
	case e.PassedCompletion() && !b.PassedCompletion():
		what = append(what, "completed and passed")
		asserted = len(p.Skills) > 0
	case e.Status == learning.Failed && (r.created || b.Status != learning.Failed):
		what = append(what, "failed")
	case e.Status == learning.Completed && (r.created || b.Status != learning.Completed):
		what = append(what, fmt.Sprintf("completed, not passed yet: %q has a pass mark and no score came", p.Title))
	case e.Status == learning.InProgress && (r.created || b.Status != learning.InProgress):
		what = append(what, "started")
	}
	if e.Progress != b.Progress && !e.Done() {
		what = append(what, fmt.Sprintf("progress %.0f%%", e.Progress*100))
	}
	if e.Score != nil && (b.Score == nil || *b.Score != *e.Score) {
		what = append(what, fmt.Sprintf("score %.4g", *e.Score))
	}
	if e.Hours != nil && *e.Hours != 0 && (b.Hours == nil || *b.Hours != *e.Hours) {
		what = append(what, fmt.Sprintf("%.4g hours", *e.Hours))
	}
	s := "enrollment " + strings.Join(what, ", ")
	switch {
	case r.created && len(what) == 0:
		s = "enrollment created"
	case r.created:
		s = "new enrollment " + strings.Join(what, ", ")
	case len(what) == 0 && r.changed() && r.ignored != "":
		return "enrollment details updated; status and progress kept: " + r.ignored
	case len(what) == 0 && r.changed():
		return "enrollment details updated"
	case len(what) == 0 && r.ignored != "":
		return "no change: " + r.ignored
	case len(what) == 0:
		return "no change to the enrollment"
	}
	if asserted {
		s += "; skill levels asserted"
	}
	return s
}

// applyExternalRecord applies a record from a learning system (an xAPI
// statement, a row of an LMS report) to the person's latest enrollment in
// the program, or to a new one (assigned by nobody) when there is none,
// through applyLearningRecord, and stores and audits the change. A record
// that gives no verdict does not reopen a finished enrollment, and nothing
// moves a started enrollment back to assigned. The caller refreshes the
// learning key results.
func applyExternalRecord(ctx context.Context, tx Tx, actor org.Actor, userID string, p learning.Program, rec learningRecord) (externalResult, error) {
	var res externalResult
	e, err := tx.LatestEnrollment(ctx, actor.OrgID, userID, p.ID)
	switch {
	case errs.Is(err, errs.NotFound):
		e = learning.Enrollment{ID: NewID(), OrgID: actor.OrgID, UserID: userID, ProgramID: p.ID, Status: learning.Assigned}
		if err := tx.CreateEnrollment(ctx, &e); err != nil {
			return res, err
		}
		if err := record(ctx, tx, actor, "enrollment.create", "enrollment", e.ID, nil, e); err != nil {
			return res, err
		}
		res.created = true
	case err != nil:
		return res, err
	}
	verdict := rec.passed != nil || rec.status != nil && (*rec.status == learning.Completed || *rec.status == learning.Failed)
	if e.Done() && !verdict {
		if rec.status != nil || rec.progress != nil {
			res.ignored = fmt.Sprintf("the enrollment is %s already", e.Status)
		}
		rec.status, rec.progress = nil, nil
	}
	if rec.status != nil && *rec.status == learning.Assigned && e.Status != learning.Assigned {
		rec.status = nil
	}
	if rec.progress != nil {
		share := math.Max(0, math.Min(1, *rec.progress))
		rec.progress = &share
	}
	res.before, res.after = e, e
	if _, err := applyLearningRecord(ctx, tx, actor, &res.after, p, rec); err != nil {
		return res, err
	}
	if reflect.DeepEqual(res.before, res.after) {
		return res, nil
	}
	if err := tx.UpdateEnrollment(ctx, &res.after, e.Version); err != nil {
		return res, err
	}
	return res, record(ctx, tx, actor, "enrollment.update", "enrollment", e.ID, res.before, res.after)
}

// GetStatement returns a statement the organization's LRS stored.
func (a *App) GetStatement(ctx context.Context, client LRSClient, id string) (learning.Statement, error) {
	var s learning.Statement
	canon, ok := canonicalUUID(id)
	if !ok {
		var f errs.Fields
		f.Add("statementId", "%q is not a UUID", id)
		return s, f.Err()
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		var err error
		s, err = tx.GetStatement(ctx, client.OrgID, canon)
		return err
	})
	return s, err
}

// StatementQuery filters the statements a learning system reads back: the
// xAPI GET /statements parameters okra supports.
type StatementQuery struct {
	// Agent is an xAPI agent as JSON: {"mbox": "mailto:…"} or {"account": {"homePage", "name"}}.
	Agent string
	// Verb is a verb IRI.
	Verb string
	// Activity is an activity id (the object's id).
	Activity string
	// Since and Until bound the stored time: after Since, at or before Until.
	Since, Until *time.Time
	// Ascending lists oldest first; newest first otherwise.
	Ascending bool
	// Limit is at most 200; 0 means 200.
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

// StatementPage is one page of statements and the cursor of the next, empty
// at the end.
type StatementPage struct {
	Statements []learning.Statement
	NextCursor string
}

// QueryStatements returns the organization's statements that match q, by
// stored time.
func (a *App) QueryStatements(ctx context.Context, client LRSClient, q StatementQuery) (StatementPage, error) {
	var page StatementPage
	var f errs.Fields
	actor, err := agentFilter(q.Agent)
	if err != nil {
		f.Add("agent", "%s", err.Error())
	}
	if q.Limit < 0 {
		f.Add("limit", "must be 0 (as many as okra gives) or more")
	}
	if q.Limit == 0 {
		q.Limit = maxLimit
	}
	after, limit, err := PageRequest{Limit: q.Limit, Cursor: q.Cursor}.resolve()
	if err != nil {
		return page, err
	}
	if err := f.Err(); err != nil {
		return page, err
	}
	err = a.db.Read(ctx, func(tx Tx) error {
		items, err := tx.ListStatements(ctx, client.OrgID, learning.StatementFilter{Verb: q.Verb, ActivityID: q.Activity,
			Actor: actor, Since: q.Since, Until: q.Until, Ascending: q.Ascending, After: after, Limit: limit + 1})
		if err != nil {
			return err
		}
		p := pageOf(items, limit, func(s learning.Statement) string { return s.ID })
		page = StatementPage{Statements: p.Items, NextCursor: p.NextCursor}
		return nil
	})
	return page, err
}

// agentFilter reads the xAPI agent parameter into the e-mail or account
// name statements are stored under.
func agentFilter(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	var ag xapiAgent
	if err := json.Unmarshal([]byte(s), &ag); err != nil {
		return "", errors.New(`must be an agent as JSON, e.g. {"mbox": "mailto:ann@example.com"}`)
	}
	var f errs.Fields
	actor := readAgent(ag, "agent", &f)
	if len(f) > 0 {
		return "", errors.New(f[0].Message)
	}
	return actor, nil
}

// StatementListQuery filters the statements an admin lists.
type StatementListQuery struct {
	// Matched selects the statements that matched a person and a program
	// (true) or did not (false); nil lists both.
	Matched *bool
	// Verb is a verb IRI, Activity an activity id.
	Verb     string
	Activity string
	// Agent is the learner's e-mail or account name.
	Agent string
	PageRequest
}

// ListStatements lists the organization's xAPI statements, newest first, with
// what okra made of each (admin): ?matched=false shows the ones that reached
// no person or program, to fix a missing member or external id.
func (a *App) ListStatements(ctx context.Context, actor org.Actor, q StatementListQuery) (Page[learning.Statement], error) {
	if err := requireAdmin(actor); err != nil {
		return Page[learning.Statement]{}, err
	}
	agent := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(q.Agent), "mailto:"))
	if strings.Contains(agent, "@") {
		agent = strings.ToLower(agent)
	}
	return readPage(ctx, a, actor, q.PageRequest, func(s learning.Statement) string { return s.ID },
		func(tx Tx, after string, limit int) ([]learning.Statement, error) {
			return tx.ListStatements(ctx, actor.OrgID, learning.StatementFilter{Verb: q.Verb, ActivityID: q.Activity,
				Actor: agent, Matched: q.Matched, After: after, Limit: limit})
		}, nil)
}
