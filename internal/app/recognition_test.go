package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
	"github.com/okrahq/okra/internal/store"
)

// recWorld is the learning world on a clock the test moves: Care (lead
// ann; bob, carl, dana), Support (lead ann), a skill and a certification
// teaching it at level 3; the 2027-Q1 period active.
type recWorld struct {
	*learningWorld
	now *time.Time
}

func newRecWorld(t *testing.T) *recWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	w := &recWorld{learningWorld: &learningWorld{world: newWorldWith(t, store.Config{Now: func() time.Time { return now }})}, now: &now}
	member := func(email string) org.Actor {
		m, err := w.a.CreateUser(ctx, w.owner, app.UserInput{Email: email, Name: email, Role: org.RoleMember}, "")
		if err != nil {
			t.Fatal(err)
		}
		tk, err := w.a.CreateToken(ctx, w.owner, app.TokenInput{UserID: m.ID, Name: "test", Scopes: []org.Scope{org.ScopeRead, org.ScopeWrite}}, "")
		if err != nil {
			t.Fatal(err)
		}
		return actorOf(t, w.a, tk.Secret)
	}
	w.carl, w.dana = member("carl@acme.test"), member("dana@acme.test")
	var err error
	if w.care, err = w.a.CreateTeam(ctx, w.owner, app.TeamInput{Name: "Care", LeadIDs: []string{w.ann.UserID},
		MemberIDs: []string{w.bob.UserID, w.carl.UserID, w.dana.UserID}}, ""); err != nil {
		t.Fatal(err)
	}
	if w.skill, err = w.a.CreateSkill(ctx, w.owner, app.SkillInput{Name: "Conflict resolution", Category: "Customer care"}, ""); err != nil {
		t.Fatal(err)
	}
	if w.cert, err = w.a.CreateProgram(ctx, w.owner, app.ProgramInput{Title: "Conflict resolution certificate", Kind: learning.KindCertification,
		PassMark: ptr(80.0), Skills: []learning.TaughtSkill{{SkillID: w.skill.ID, Level: 3}}}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.a.ActivatePeriod(ctx, w.owner, w.period.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *recWorld) at(day string, hour int) {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		panic(err)
	}
	*w.now = d.Add(time.Duration(hour) * time.Hour)
}

func feed(t *testing.T, a *app.App, actor org.Actor, q app.CelebrationQuery) []okr.Celebration {
	t.Helper()
	q.Limit = 200
	page, err := a.ListCelebrations(context.Background(), actor, q)
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func kinds(cs []okr.Celebration) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c.Kind) + ":" + c.Title
	}
	return out
}

func checkIn(t *testing.T, a *app.App, actor org.Actor, krID string, v float64) {
	t.Helper()
	if _, err := a.CheckIn(context.Background(), actor, krID, app.CheckInInput{Value: &v, Confidence: 0.8, Status: okr.OnTrack}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestCelebrationFeedRecordsItself: nobody posts achievements; a check-in
// that reaches a target, a passed certification with the level it brings,
// an objective closed as achieved and a kudos fill the feed, each once.
func TestCelebrationFeedRecordsItself(t *testing.T) {
	ctx := context.Background()
	w := newRecWorld(t)
	a := w.a
	obj, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.care.ID}, ChampionID: w.ann.UserID}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Escalations answered within a day",
		OwnerID: w.bob.UserID, Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	band, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Backlog stays small",
		OwnerID: w.bob.UserID, Kind: okr.Maintain, Band: &okr.Band{Low: 0, High: 20}}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkIn(t, a, w.bob, kr.ID, 5)
	checkIn(t, a, w.bob, band.ID, 10) // in its band: kept, not reached
	if got := feed(t, a, w.carl, app.CelebrationQuery{}); len(got) != 0 {
		t.Fatalf("half-way and a band kept celebrate nothing; got %v", kinds(got))
	}
	w.at("2027-01-10", 9)
	checkIn(t, a, w.bob, kr.ID, 10)
	checkIn(t, a, w.bob, kr.ID, 8)
	checkIn(t, a, w.bob, kr.ID, 12) // reached again: still celebrated once
	got := feed(t, a, w.carl, app.CelebrationQuery{})
	if len(got) != 1 || got[0].Kind != okr.KeyResultReached || got[0].UserID != w.bob.UserID || got[0].TeamID != w.care.ID ||
		got[0].SubjectID != kr.ID || got[0].Detail != obj.Title || got[0].ActorID != w.bob.UserID {
		t.Fatalf("reaching the target is celebrated once, for bob and Care; got %+v", got)
	}

	// Carl passes the certification (90 ≥ 80): certification passed and
	// level 3 gained. Dana fails (50): nothing.
	w.at("2027-01-20", 9)
	carlsPass := w.complete(t, w.carl, 90)
	w.complete(t, w.dana, 50)
	got = feed(t, a, w.bob, app.CelebrationQuery{UserID: w.carl.UserID})
	if want := []string{"skill_level_gained:Conflict resolution", "certification_passed:Conflict resolution certificate"}; !slices.Equal(kinds(got), want) {
		t.Fatalf("carl's feed %v, want %v", kinds(got), want)
	}
	if got[0].Level != 3 || got[0].Detail != "from level 0 to 3, through Conflict resolution certificate" || got[1].Detail != "score 90" {
		t.Errorf("details: %+v", got)
	}
	if got := feed(t, a, w.owner, app.CelebrationQuery{UserID: w.dana.UserID}); len(got) != 0 {
		t.Errorf("a failed certification celebrates nothing; got %v", kinds(got))
	}
	// A self-assessment is no achievement; his lead asserting level 3 is
	// (0 → 3); passing afterwards gains no level he already held.
	if _, err := a.CreateAssessment(ctx, w.bob, app.AssessmentInput{UserID: w.bob.UserID, SkillID: w.skill.ID, Level: 2, Source: learning.SourceSelf}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateAssessment(ctx, w.ann, app.AssessmentInput{UserID: w.bob.UserID, SkillID: w.skill.ID, Level: 3, Source: learning.SourceManager}, ""); err != nil {
		t.Fatal(err)
	}
	w.complete(t, w.bob, 85)
	bobs := feed(t, a, w.owner, app.CelebrationQuery{UserID: w.bob.UserID})
	if got := kinds(bobs); !slices.Equal(got, []string{"certification_passed:Conflict resolution certificate",
		"skill_level_gained:Conflict resolution", "key_result_reached:Escalations answered within a day"}) {
		t.Errorf("bob's feed %v: his certification, the level his lead asserted (not the one he claimed, not again at the pass), his key result", got)
	}
	if len(bobs) == 3 && bobs[1].Detail != "from level 2 to 3, by manager" {
		t.Errorf("the asserted level's detail: %q", bobs[1].Detail)
	}

	// Ann closes the objective as achieved; a kudos from ann to Care.
	closed, achieved := okr.Closed, okr.Achieved
	if _, err := a.UpdateObjective(ctx, w.owner, obj.ID, &obj.Version, app.ObjectiveUpdate{State: &closed, Outcome: &achieved}); err != nil {
		t.Fatal(err)
	}
	k, err := a.GiveKudos(ctx, w.ann, app.KudosInput{ToTeamID: w.care.ID, Message: "Every escalation answered in a day!",
		SubjectType: okr.KudosAboutObjective, SubjectID: obj.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	got = feed(t, a, w.dana, app.CelebrationQuery{TeamID: w.care.ID})
	if want := []string{"kudos:Calm every escalation", "objective_achieved:Calm every escalation", "key_result_reached:Escalations answered within a day"}; !slices.Equal(kinds(got), want) {
		t.Fatalf("Care's feed %v, want %v", kinds(got), want)
	}
	if got[0].Detail != k.Message || got[0].ActorID != w.ann.UserID || got[1].UserID != w.ann.UserID {
		t.Errorf("kudos entry %+v; objective entry celebrates its champion: %+v", got[0], got[1])
	}
	if got := feed(t, a, w.dana, app.CelebrationQuery{Kind: okr.CertificationPassed}); len(got) != 2 {
		t.Errorf("two certifications passed, got %v", kinds(got))
	}
	// Paging: one at a time, newest first, to the end.
	var ids []string
	q := app.CelebrationQuery{PageRequest: app.PageRequest{Limit: 1}}
	for {
		page, err := a.ListCelebrations(ctx, w.dana, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			ids = append(ids, c.ID)
		}
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	if len(ids) != 7 || !slices.IsSortedFunc(ids, func(a, b string) int { return -compare(a, b) }) {
		t.Errorf("paged %d entries (want 7), newest first: %v", len(ids), ids)
	}
	// Deleting the kudos takes it from the feed; only its author or an admin may.
	wantKind(t, a.DeleteKudos(ctx, w.bob, k.ID), errs.Forbidden)
	if err := a.DeleteKudos(ctx, w.ann, k.ID); err != nil {
		t.Fatal(err)
	}
	if got := feed(t, a, w.dana, app.CelebrationQuery{Kind: okr.KudosGiven}); len(got) != 0 {
		t.Errorf("the removed kudos is still celebrated: %v", kinds(got))
	}
	// Kudos about learning go to the learner: not to his team, not to another person.
	for _, in := range []app.KudosInput{{ToTeamID: w.care.ID}, {ToUserID: w.dana.UserID}} {
		in.Message, in.SubjectType, in.SubjectID = "Well done", okr.KudosAboutEnrollment, carlsPass.ID
		_, err := a.GiveKudos(ctx, w.ann, in, "")
		if fe := fieldsOf(err); fe["subject_id"] == "" {
			t.Errorf("kudos %+v about carl's enrollment: %v, want a subject_id error", in, err)
		}
	}
	ck, err := a.GiveKudos(ctx, w.ann, app.KudosInput{ToUserID: w.carl.UserID, Message: "Well done",
		SubjectType: okr.KudosAboutEnrollment, SubjectID: carlsPass.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := feed(t, a, w.dana, app.CelebrationQuery{Kind: okr.KudosGiven}); len(got) != 1 || got[0].SubjectID != ck.ID ||
		got[0].Title != "Conflict resolution certificate" || got[0].ObjectiveID != "" {
		t.Errorf("the kudos about carl's pass in the feed: %+v", got)
	}
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestCelebrationsRespectVisibility: an achievement on a private objective
// is not shown to who may not see the objective; nor a kudos about it.
func TestCelebrationsRespectVisibility(t *testing.T) {
	ctx := context.Background()
	w := newRecWorld(t)
	a := w.a
	secret, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Prepare the reorganization quietly",
		Owner: app.OwnerInput{Type: okr.OwnerUser, ID: w.ann.UserID}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr, err := a.CreateKeyResult(ctx, w.ann, app.KeyResultInput{ObjectiveID: secret.ID, Title: "Draft the new team map", Kind: okr.Boolean}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkIn(t, a, w.ann, kr.ID, 1)
	if _, err := a.GiveKudos(ctx, w.owner, app.KudosInput{ToUserID: w.ann.UserID, Message: "Great map",
		SubjectType: okr.KudosAboutKeyResult, SubjectID: kr.ID}, ""); err != nil {
		t.Fatal(err)
	}
	public, err := a.GiveKudos(ctx, w.owner, app.KudosInput{ToUserID: w.ann.UserID, Message: "Thanks for the onboarding"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who         org.Actor
		name        string
		want, kudos int
	}{{w.ann, "ann (owner of the objective)", 3, 2}, {w.owner, "an admin", 3, 2}, {w.bob, "bob", 1, 1}, {w.viola, "a viewer", 1, 1}} {
		got := feed(t, a, c.who, app.CelebrationQuery{})
		if len(got) != c.want {
			t.Errorf("%s sees %d entries %v, want %d", c.name, len(got), kinds(got), c.want)
		}
		for _, x := range got {
			if c.want == 1 && (x.ObjectiveID != "" || x.SubjectID == kr.ID) {
				t.Errorf("%s sees the private achievement: %+v", c.name, x)
			}
		}
		ks, err := a.ListKudos(ctx, c.who, app.KudosQuery{ToUserID: w.ann.UserID, PageRequest: app.PageRequest{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(ks.Items); n != c.kudos {
			t.Errorf("%s lists %d kudos to ann, want %d", c.name, n, c.kudos)
		}
	}
	if _, err := a.GetKudos(ctx, w.bob, public.ID); err != nil {
		t.Errorf("bob reads the public kudos: %v", err)
	}
	// Kudos validation: to someone, not yourself, with a message, about something that exists.
	for _, c := range []struct {
		in    app.KudosInput
		field string
	}{
		{app.KudosInput{Message: "hi"}, "to_user_id"},
		{app.KudosInput{ToUserID: w.bob.UserID}, "message"},
		{app.KudosInput{ToUserID: w.bob.UserID, ToTeamID: w.care.ID, Message: "hi"}, "to_team_id"},
		{app.KudosInput{ToUserID: w.bob.UserID, Message: "hi", SubjectType: okr.KudosAboutKeyResult, SubjectID: kr.ID}, "subject_id"},
		{app.KudosInput{ToUserID: w.bob.UserID, Message: "hi", SubjectType: "lunch", SubjectID: "x"}, "subject_type"},
	} {
		_, err := a.GiveKudos(ctx, w.bob, c.in, "")
		var e *errs.Error
		if !asErr(err, &e) || e.Kind != errs.Invalid || !slices.ContainsFunc(e.Fields, func(f errs.FieldError) bool { return f.Field == c.field }) {
			t.Errorf("kudos %+v: %v, want a message on %s", c.in, err, c.field)
		}
	}
	_, err = a.GiveKudos(ctx, w.bob, app.KudosInput{ToUserID: w.bob.UserID, Message: "me"}, "")
	wantKind(t, err, errs.Invalid)
	_, err = a.GiveKudos(ctx, w.viola, app.KudosInput{ToUserID: w.bob.UserID, Message: "hi"}, "")
	wantKind(t, err, errs.Forbidden)
}

// TestLessonsAreFoundAcrossTeams: a lesson Support's lead writes is found
// by a member of another team, by words, tag and skill, ranked.
func TestLessonsAreFoundAcrossTeams(t *testing.T) {
	ctx := context.Background()
	w := newRecWorld(t)
	a := w.a
	first, err := a.CreateLesson(ctx, w.ann, app.LessonInput{Title: "Escalations need one named owner",
		Body: "When three people answered the same escalation, nobody followed up. Name **one** owner.",
		Tags: []string{"Support", " escalation ", "support"}, SkillIDs: []string{w.skill.ID}, TeamID: w.team.ID}, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first.Tags, []string{"support", "escalation"}) || first.Source != okr.LessonManual || first.AuthorID != w.ann.UserID {
		t.Fatalf("lesson %+v", first)
	}
	again, err := a.CreateLesson(ctx, w.ann, app.LessonInput{Title: "Escalations need one named owner",
		Body: "When three people answered the same escalation, nobody followed up. Name **one** owner.",
		Tags: []string{"Support", " escalation ", "support"}, SkillIDs: []string{w.skill.ID}, TeamID: w.team.ID}, "key-1")
	if err != nil || again.ID != first.ID {
		t.Fatalf("a retry with the same key returns the first lesson: %v %v", again.ID, err)
	}
	w.at("2027-01-05", 9)
	second, err := a.CreateLesson(ctx, w.bob, app.LessonInput{Title: "Weekly demos keep sales close",
		Body: "Escalations from sales dropped once we demoed every Friday.", Tags: []string{"sales"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.at("2027-01-06", 9)
	if _, err := a.CreateLesson(ctx, w.bob, app.LessonInput{Title: "Price pages need tests", Tags: []string{"marketing"}}, ""); err != nil {
		t.Fatal(err)
	}
	search := func(who org.Actor, q app.LessonQuery) []string {
		t.Helper()
		page, err := a.ListLessons(ctx, who, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range page.Items {
			out = append(out, l.ID)
		}
		return out
	}
	// Carl is in Care, not Support: he finds Support's lesson first (title
	// and tag beat a body match), then the sales one.
	if got := search(w.carl, app.LessonQuery{Q: "ESCALATION"}); !slices.Equal(got, []string{first.ID, second.ID}) {
		t.Errorf("carl searching escalation: %v, want [%s %s]", got, first.ID, second.ID)
	}
	if got := search(w.viola, app.LessonQuery{Tag: "Support"}); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("tag support: %v", got)
	}
	if got := search(w.carl, app.LessonQuery{SkillID: w.skill.ID}); !slices.Equal(got, []string{first.ID}) {
		t.Errorf("skill: %v", got)
	}
	if got := search(w.carl, app.LessonQuery{Q: "escalation owner friday"}); len(got) != 0 {
		t.Errorf("every word must match: %v", got)
	}
	if got := search(w.carl, app.LessonQuery{}); len(got) != 3 || got[0] == first.ID {
		t.Errorf("no words: newest first, %v", got)
	}

	// Helpful votes: once per person, not the author's own; they rank.
	l, err := a.VoteLesson(ctx, w.carl, second.ID, true)
	if err != nil || l.Helpful != 1 || !l.Voted {
		t.Fatalf("carl's vote: %+v %v", l, err)
	}
	if l, err = a.VoteLesson(ctx, w.carl, second.ID, true); err != nil || l.Helpful != 1 {
		t.Fatalf("a second vote counts once: %+v %v", l, err)
	}
	_, err = a.VoteLesson(ctx, w.bob, second.ID, true)
	wantKind(t, err, errs.Conflict)
	_, err = a.VoteLesson(ctx, w.viola, second.ID, true)
	wantKind(t, err, errs.Forbidden)
	if got := search(w.dana, app.LessonQuery{Q: "escalation"}); len(got) != 2 {
		t.Errorf("%v", got)
	}
	if l, err = a.GetLesson(ctx, w.dana, second.ID); err != nil || l.Helpful != 1 || l.Voted {
		t.Errorf("dana reads one vote, not hers: %+v %v", l, err)
	}

	// The author and admins edit; others may not; a viewer writes nothing.
	title := "Escalations need exactly one named owner"
	_, err = a.UpdateLesson(ctx, w.bob, first.ID, &first.Version, app.LessonUpdate{Title: &title})
	wantKind(t, err, errs.Forbidden)
	up, err := a.UpdateLesson(ctx, w.ann, first.ID, &first.Version, app.LessonUpdate{Title: &title, Tags: &[]string{"Escalation"}})
	if err != nil || up.Title != title || !slices.Equal(up.Tags, []string{"escalation"}) || up.Version != 2 {
		t.Fatalf("ann edits her lesson: %+v %v", up, err)
	}
	_, err = a.UpdateLesson(ctx, w.owner, first.ID, &first.Version, app.LessonUpdate{Title: &title})
	wantKind(t, err, errs.PreconditionFailed)
	_, err = a.CreateLesson(ctx, w.viola, app.LessonInput{Title: "Viewers read"}, "")
	wantKind(t, err, errs.Forbidden)
	_, err = a.CreateLesson(ctx, w.bob, app.LessonInput{Title: " ", SkillIDs: []string{"nope"}}, "")
	var e *errs.Error
	if !asErr(err, &e) || len(e.Fields) != 2 {
		t.Errorf("an empty title and an unknown skill: %v", err)
	}
	wantKind(t, a.DeleteLesson(ctx, w.carl, second.ID), errs.Forbidden)
	if err := a.DeleteLesson(ctx, w.owner, second.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.GetLesson(ctx, w.bob, second.ID)
	wantKind(t, err, errs.NotFound)
}

// TestObjectiveLessons: an objective's page surfaces the lessons learned on
// it, sharing its required skills or tags, or of its owning team, ranked by
// helpful votes then recency; a lesson's private objective stays hidden.
func TestObjectiveLessons(t *testing.T) {
	ctx := context.Background()
	w := newRecWorld(t)
	a := w.a
	obj, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.care.ID}, Tags: []string{"Escalation"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Answered within a day", Kind: okr.Boolean}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CreateRequirement(ctx, w.owner, app.RequirementInput{Subject: learning.Subject{Type: learning.SubjectKeyResult, ID: kr.ID},
		SkillID: w.skill.ID, Level: 3}, ""); err != nil {
		t.Fatal(err)
	}
	private, err := a.CreateObjective(ctx, w.ann, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Quiet plans",
		Owner: app.OwnerInput{Type: okr.OwnerUser, ID: w.ann.UserID}, Visibility: okr.Private}, "")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(who org.Actor, in app.LessonInput) okr.Lesson {
		t.Helper()
		*w.now = w.now.Add(time.Hour)
		l, err := a.CreateLesson(ctx, who, in, "")
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	bySkill := mk(w.bob, app.LessonInput{Title: "Role-play hard calls", SkillIDs: []string{w.skill.ID}})
	_, err = a.CreateLesson(ctx, w.carl, app.LessonInput{Title: "Peek", ObjectiveID: private.ID}, "")
	wantKind(t, err, errs.Invalid) // carl may not name an objective he may not see
	byTag := mk(w.ann, app.LessonInput{Title: "Escalate early", Tags: []string{"escalation"}, ObjectiveID: private.ID})
	byTeam := mk(w.dana, app.LessonInput{Title: "Rotate the on-call", TeamID: w.care.ID})
	onIt := mk(w.ann, app.LessonInput{Title: "Count escalations daily", ObjectiveID: obj.ID})
	mk(w.bob, app.LessonInput{Title: "Unrelated", Tags: []string{"pricing"}})
	if _, err := a.VoteLesson(ctx, w.dana, bySkill.ID, true); err != nil {
		t.Fatal(err)
	}
	if byTag.ObjectiveID != private.ID {
		t.Errorf("ann's lesson names her objective: %+v", byTag)
	}
	if l, err := a.GetLesson(ctx, w.bob, byTag.ID); err != nil || l.ObjectiveID != "" {
		t.Errorf("bob reads the lesson without ann's private objective: %+v %v", l, err)
	}
	if page, err := a.ListLessons(ctx, w.bob, app.LessonQuery{Q: "escalate early"}); err != nil || len(page.Items) != 1 ||
		page.Items[0].ID != byTag.ID || page.Items[0].ObjectiveID != "" {
		t.Errorf("bob finds the lesson, without ann's private objective: %+v %v", page.Items, err)
	}
	got, err := a.ObjectiveLessons(ctx, w.bob, obj.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	// onIt is learned on the objective itself; byTeam came with Care's ownership (TeamID from onIt too).
	if want := []string{bySkill.ID, onIt.ID, byTeam.ID, byTag.ID}; !slices.Equal(ids, want) {
		t.Fatalf("related %v, want %v", ids, want)
	}
	if got[0].Reasons[0] != "concerns Conflict resolution, a skill this objective needs" || got[3].Reasons[0] != "shares the tags escalation" ||
		got[3].ObjectiveID != "" {
		t.Errorf("reasons: %q / %q", got[0].Reasons, got[3].Reasons)
	}
	_, err = a.ObjectiveLessons(ctx, w.bob, private.ID, 10)
	wantKind(t, err, errs.NotFound)
}

// TestReviewPacket: a person's period for a review conversation, read by
// the person, their leads and admins, with exact check-in discipline.
func TestReviewPacket(t *testing.T) {
	ctx := context.Background()
	w := newRecWorld(t) // 2027-01-01 09:00; weekly cadence, 3 grace days
	a := w.a
	obj, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Calm every escalation",
		Owner: app.OwnerInput{Type: okr.OwnerUser, ID: w.bob.UserID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	kr, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: obj.ID, Title: "Escalations answered within a day",
		OwnerID: w.bob.UserID, Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(10.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.CreateObjective(ctx, w.owner, app.ObjectiveInput{PeriodID: w.period.ID, Title: "Grow the community",
		Owner: app.OwnerInput{Type: okr.OwnerTeam, ID: w.team.ID}}, "")
	if err != nil {
		t.Fatal(err)
	}
	shared, err := a.CreateKeyResult(ctx, w.owner, app.KeyResultInput{ObjectiveID: other.ID, Title: "Forum answers",
		OwnerID: w.bob.UserID, Kind: okr.Increase, Baseline: ptr(0.0), Target: ptr(50.0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Cycles of 7 days from 2027-01-01 09:00, due 10 days after their start.
	// Bob checks in the escalations on days 3, 16 (late for the 2nd cycle,
	// so not on time for the 3rd) and 30; the forum answers on day 2 only.
	for _, c := range []struct {
		day string
		kr  string
		v   float64
	}{{"2027-01-03", kr.ID, 2}, {"2027-01-16", kr.ID, 4}, {"2027-01-30", kr.ID, 10}, {"2027-01-02", shared.ID, 5}} {
		w.at(c.day, 10)
		checkIn(t, a, w.bob, c.kr, c.v)
	}
	w.at("2027-01-20", 10)
	w.complete(t, w.bob, 95)
	if _, err := a.GiveKudos(ctx, w.carl, app.KudosInput{ToUserID: w.bob.UserID, Message: "Thanks for covering my shift"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GiveFeedback(ctx, w.ann, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationManager,
		Body: "Your escalation notes are a model.", Visibility: learning.VisibleManagers}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GiveFeedback(ctx, w.carl, app.FeedbackInput{ToID: w.bob.UserID, Relation: app.RelationPeer,
		Body: "Leads only", Visibility: learning.VisiblePrivate}, ""); err != nil {
		t.Fatal(err)
	}
	w.at("2027-02-12", 9) // 42 days after the start: 5 cycles due on each key result

	p, err := a.ReviewPacket(ctx, w.ann, w.bob.UserID, "") // ann leads Care, bob's team
	if err != nil {
		t.Fatal(err)
	}
	if p.Period.ID != w.period.ID || p.Person.ID != w.bob.UserID || len(p.Objectives) != 1 || len(p.Objectives[0].KeyResults) != 1 ||
		len(p.KeyResults) != 1 || p.KeyResults[0].KeyResult.ID != shared.ID || p.KeyResults[0].Objective != other.Title {
		t.Fatalf("packet OKRs: %+v", p)
	}
	if k := p.Objectives[0].KeyResults[0]; k.Progress != 1 {
		t.Errorf("the escalations key result is at %v", k.Progress)
	}
	d := p.Discipline
	if d.Due != 10 || d.OnTime != 4 || d.CheckIns != 4 || d.Rate == nil || *d.Rate != 0.4 || len(d.Items) != 2 ||
		d.Items[0].Due != 5 || d.Items[0].OnTime != 3 || d.Items[1].OnTime != 1 || d.Items[0].Cadence != 7 || d.Items[0].Grace != 3 {
		t.Errorf("discipline %+v (items %+v), want 4 on time of 10 (3 of 5 and 1 of 5)", d, d.Items)
	}
	if len(p.Learning) != 1 || p.Learning[0].Program != w.cert.Title || len(p.Skills) != 1 || p.Skills[0].From != 0 || p.Skills[0].To != 3 {
		t.Errorf("learning %+v skills %+v", p.Learning, p.Skills)
	}
	if len(p.Kudos) != 1 || len(p.Feedback) != 2 {
		t.Errorf("ann (his lead) reads 1 kudos and 2 pieces of feedback; got %d, %d", len(p.Kudos), len(p.Feedback))
	}
	mine, err := a.ReviewPacket(ctx, w.bob, w.bob.UserID, w.period.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Feedback) != 1 || mine.Feedback[0].Body != "Your escalation notes are a model." {
		t.Errorf("bob reads the feedback meant for him only: %+v", mine.Feedback)
	}
	if _, err := a.ReviewPacket(ctx, w.owner, w.bob.UserID, w.period.ID); err != nil {
		t.Errorf("an admin reads it: %v", err)
	}
	_, err = a.ReviewPacket(ctx, w.carl, w.bob.UserID, w.period.ID)
	wantKind(t, err, errs.Forbidden)
	_, err = a.ReviewPacket(ctx, w.bob, w.bob.UserID, "nope")
	wantKind(t, err, errs.Invalid)
	_, err = a.ReviewPacket(ctx, w.owner, "nobody", "")
	wantKind(t, err, errs.NotFound)
}
