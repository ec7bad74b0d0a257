package apiclient

import (
	"context"
	"net/http"
	"net/url"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Me returns who the token acts for.
func (c *Client) Me(ctx context.Context) (app.Me, error) {
	var me app.Me
	return me, c.get(ctx, path("me"), nil, &me)
}

// CreateUser adds a member (admin).
func (c *Client) CreateUser(ctx context.Context, in app.UserInput) (org.Member, error) {
	var m org.Member
	return m, c.post(ctx, path("users"), in, &m)
}

// ListUsers lists the members.
func (c *Client) ListUsers(ctx context.Context, p Page) (app.Page[org.Member], error) {
	var page app.Page[org.Member]
	return page, c.get(ctx, path("users"), p.values(), &page)
}

// GetUser returns a member.
func (c *Client) GetUser(ctx context.Context, id string) (org.Member, error) {
	var m org.Member
	return m, c.get(ctx, path("users", id), nil, &m)
}

// CreateToken mints an API token; its secret is in Secret, shown once.
func (c *Client) CreateToken(ctx context.Context, in app.TokenInput) (app.NewToken, error) {
	var t app.NewToken
	return t, c.post(ctx, path("tokens"), in, &t)
}

// RevokeToken revokes a token.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return c.delete(ctx, path("tokens", id))
}

// CreateTeam creates a team (admin).
func (c *Client) CreateTeam(ctx context.Context, in app.TeamInput) (org.Team, error) {
	var t org.Team
	return t, c.post(ctx, path("teams"), in, &t)
}

// GetTeam returns a team.
func (c *Client) GetTeam(ctx context.Context, id string) (org.Team, error) {
	var t org.Team
	return t, c.get(ctx, path("teams", id), nil, &t)
}

// CreatePeriod creates a period in planning (admin).
func (c *Client) CreatePeriod(ctx context.Context, in app.PeriodInput) (okr.Period, error) {
	var p okr.Period
	return p, c.post(ctx, path("periods"), in, &p)
}

// GetPeriod returns a period.
func (c *Client) GetPeriod(ctx context.Context, id string) (okr.Period, error) {
	var p okr.Period
	return p, c.get(ctx, path("periods", id), nil, &p)
}

// ActivatePeriod moves a period from planning to active (admin).
func (c *Client) ActivatePeriod(ctx context.Context, id string) (okr.Period, error) {
	var p okr.Period
	return p, c.post(ctx, path("periods", id, "activate"), nil, &p)
}

// ClosePeriod closes an active period (admin).
func (c *Client) ClosePeriod(ctx context.Context, id string) (okr.Period, error) {
	var p okr.Period
	return p, c.post(ctx, path("periods", id, "close"), nil, &p)
}

// CreateObjective creates an objective.
func (c *Client) CreateObjective(ctx context.Context, in app.ObjectiveInput) (okr.Objective, error) {
	var o okr.Objective
	return o, c.post(ctx, path("objectives"), in, &o)
}

// GetObjective returns an objective.
func (c *Client) GetObjective(ctx context.Context, id string) (okr.Objective, error) {
	var o okr.Objective
	return o, c.get(ctx, path("objectives", id), nil, &o)
}

// ObjectiveFilter selects objectives; zero fields match everything.
type ObjectiveFilter struct {
	PeriodID  string
	OwnerType okr.OwnerType
	OwnerID   string
	Page
}

// ListObjectives lists the objectives the token may see.
func (c *Client) ListObjectives(ctx context.Context, f ObjectiveFilter) (app.Page[okr.Objective], error) {
	q := f.values()
	setIf(q, "period_id", f.PeriodID)
	setIf(q, "owner_type", string(f.OwnerType))
	setIf(q, "owner_id", f.OwnerID)
	var page app.Page[okr.Objective]
	return page, c.get(ctx, path("objectives"), q, &page)
}

// UpdateObjective changes an objective whose version the caller read.
func (c *Client) UpdateObjective(ctx context.Context, id string, version int, in app.ObjectiveUpdate) (okr.Objective, error) {
	var o okr.Objective
	return o, c.patch(ctx, path("objectives", id), version, in, &o)
}

// DeleteObjective deletes an objective with its key results.
func (c *Client) DeleteObjective(ctx context.Context, id string) error {
	return c.delete(ctx, path("objectives", id))
}

// CheckInObjective checks in several key results of an objective at once;
// a non-empty idempotencyKey makes a retry safe.
func (c *Client) CheckInObjective(ctx context.Context, objectiveID string, in app.ObjectiveCheckInInput, idempotencyKey string) ([]app.CheckInResult, error) {
	var out struct {
		Items []app.CheckInResult `json:"items"`
	}
	_, err := c.Do(ctx, Request{Method: http.MethodPost, Path: path("objectives", objectiveID, "check-ins"), Body: in,
		Header: idempotencyHeader(idempotencyKey)}, &out)
	return out.Items, err
}

// CreateKeyResult adds a key result to an objective.
func (c *Client) CreateKeyResult(ctx context.Context, in app.KeyResultInput) (okr.KeyResult, error) {
	var k okr.KeyResult
	return k, c.post(ctx, path("key-results"), in, &k)
}

// GetKeyResult returns a key result.
func (c *Client) GetKeyResult(ctx context.Context, id string) (okr.KeyResult, error) {
	var k okr.KeyResult
	return k, c.get(ctx, path("key-results", id), nil, &k)
}

// KeyResultFilter selects key results; zero fields match everything.
type KeyResultFilter struct {
	ObjectiveID string
	PeriodID    string
	OwnerID     string
	Page
}

// ListKeyResults lists the key results the token may see.
func (c *Client) ListKeyResults(ctx context.Context, f KeyResultFilter) (app.Page[okr.KeyResult], error) {
	q := f.values()
	setIf(q, "objective_id", f.ObjectiveID)
	setIf(q, "period_id", f.PeriodID)
	setIf(q, "owner_id", f.OwnerID)
	var page app.Page[okr.KeyResult]
	return page, c.get(ctx, path("key-results"), q, &page)
}

// UpdateKeyResult changes a key result whose version the caller read.
func (c *Client) UpdateKeyResult(ctx context.Context, id string, version int, in app.KeyResultUpdate) (okr.KeyResult, error) {
	var k okr.KeyResult
	return k, c.patch(ctx, path("key-results", id), version, in, &k)
}

// DeleteKeyResult deletes a key result with its check-ins.
func (c *Client) DeleteKeyResult(ctx context.Context, id string) error {
	return c.delete(ctx, path("key-results", id))
}

// CheckIn records a check-in on a key result; a non-empty idempotencyKey
// makes a retry safe.
func (c *Client) CheckIn(ctx context.Context, keyResultID string, in app.CheckInInput, idempotencyKey string) (app.CheckInResult, error) {
	var out app.CheckInResult
	_, err := c.Do(ctx, Request{Method: http.MethodPost, Path: path("key-results", keyResultID, "check-ins"), Body: in,
		Header: idempotencyHeader(idempotencyKey)}, &out)
	return out, err
}

// ListCheckIns returns a key result's check-ins, newest first.
func (c *Client) ListCheckIns(ctx context.Context, keyResultID string, p Page) (app.Page[okr.CheckIn], error) {
	var page app.Page[okr.CheckIn]
	return page, c.get(ctx, path("key-results", keyResultID, "check-ins"), p.values(), &page)
}

// GetCheckIn returns a check-in.
func (c *Client) GetCheckIn(ctx context.Context, id string) (okr.CheckIn, error) {
	var ci okr.CheckIn
	return ci, c.get(ctx, path("check-ins", id), nil, &ci)
}

// Alignment returns a period's alignment tree.
func (c *Client) Alignment(ctx context.Context, periodID string) (app.Tree, error) {
	var t app.Tree
	return t, c.get(ctx, path("alignment"), url.Values{"period_id": {periodID}}, &t)
}

// CreateInitiative creates an initiative.
func (c *Client) CreateInitiative(ctx context.Context, in app.InitiativeInput) (okr.Initiative, error) {
	var i okr.Initiative
	return i, c.post(ctx, path("initiatives"), in, &i)
}

// GetInitiative returns an initiative.
func (c *Client) GetInitiative(ctx context.Context, id string) (okr.Initiative, error) {
	var i okr.Initiative
	return i, c.get(ctx, path("initiatives", id), nil, &i)
}

// UpdateInitiative changes an initiative whose version the caller read.
func (c *Client) UpdateInitiative(ctx context.Context, id string, version int, in app.InitiativeUpdate) (okr.Initiative, error) {
	var i okr.Initiative
	return i, c.patch(ctx, path("initiatives", id), version, in, &i)
}

// CreateComment comments on an objective, key result, initiative or check-in.
func (c *Client) CreateComment(ctx context.Context, in app.CommentInput) (okr.Comment, error) {
	var cm okr.Comment
	return cm, c.post(ctx, path("comments"), in, &cm)
}

// ListComments lists the comments on one subject, oldest first.
func (c *Client) ListComments(ctx context.Context, subjectType okr.SubjectType, subjectID string, p Page) (app.Page[okr.Comment], error) {
	q := p.values()
	q.Set("subject_type", string(subjectType))
	q.Set("subject_id", subjectID)
	var page app.Page[okr.Comment]
	return page, c.get(ctx, path("comments"), q, &page)
}

func idempotencyHeader(key string) http.Header {
	if key == "" {
		return nil
	}
	return http.Header{"Idempotency-Key": {key}}
}
