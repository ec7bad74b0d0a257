package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// Review packets (seed 003): for a person and a period, what they owned and
// how it ended, how regularly they checked in, what they delivered and
// learned, and the recognition and feedback they received. A packet informs
// a performance conversation; it carries no single grade.

// ReviewPacket is one person's period, for a review conversation.
type ReviewPacket struct {
	Person PacketPerson `json:"person"`
	Period okr.Period   `json:"period"`
	// Objectives the person owns or champions, with their key results (scores once the period is closed).
	Objectives []PacketObjective `json:"objectives"`
	// KeyResults the person owns on other people's objectives.
	KeyResults  []PacketKeyResult   `json:"key_results"`
	Discipline  PacketDiscipline    `json:"check_in_discipline"`
	Initiatives []okr.Initiative    `json:"initiatives_delivered" doc:"Initiatives the person owns that are done, linked to the period's key results or finished during it."`
	Learning    []PacketLearning    `json:"learning_completed" doc:"Enrollments completed during the period."`
	Skills      []PacketSkill       `json:"skill_levels_gained" doc:"Skills whose effective level rose from the period's start to its end (or today)."`
	Kudos       []okr.Kudos         `json:"kudos" doc:"Kudos received during the period."`
	Feedback    []learning.Feedback `json:"feedback" doc:"Feedback received during the period that you may read."`
	Note        string              `json:"note"`
}

// PacketPerson names the person of a packet.
type PacketPerson struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// PacketObjective is an objective of the person with its key results.
type PacketObjective struct {
	Objective  okr.Objective   `json:"objective"`
	KeyResults []okr.KeyResult `json:"key_results"`
}

// PacketKeyResult is a key result the person owns on someone else's objective.
type PacketKeyResult struct {
	KeyResult okr.KeyResult `json:"key_result"`
	Objective string        `json:"objective_title"`
}

// PacketDiscipline is the person's check-in discipline over the period: on
// the key results they own whose values are checked in by hand (manual or
// api), the cadence cycles that came due and those checked in on time.
type PacketDiscipline struct {
	Due      int            `json:"due_cycles"`
	OnTime   int            `json:"on_time"`
	Rate     *float64       `json:"rate" doc:"on_time ÷ due_cycles; null when nothing came due."`
	CheckIns int            `json:"check_ins" doc:"Check-ins on those key results during the period."`
	Items    []PacketCycles `json:"key_results"`
}

// PacketCycles is the discipline on one key result.
type PacketCycles struct {
	KeyResultID string   `json:"key_result_id"`
	Title       string   `json:"title"`
	Due         int      `json:"due_cycles"`
	OnTime      int      `json:"on_time"`
	Rate        *float64 `json:"rate"`
	Cadence     int      `json:"cadence_days" doc:"The key result's check-in cadence."`
	Grace       int      `json:"grace_days"`
}

// PacketLearning is a completed enrollment with its program's title.
type PacketLearning struct {
	Enrollment learning.Enrollment `json:"enrollment"`
	Program    string              `json:"program_title"`
}

// PacketSkill is a skill whose effective level rose.
type PacketSkill struct {
	SkillID string `json:"skill_id"`
	Skill   string `json:"skill"`
	From    int    `json:"from_level"`
	To      int    `json:"to_level"`
}

// packetNote says what a packet is for.
const packetNote = "This packet informs a conversation about the period. It is not a grade: scores are planning data."

// mayReadPacket: the person, the leads of their teams and admins.
func mayReadPacket(ctx context.Context, tx Tx, actor org.Actor, userID string) error {
	if actor.UserID == userID || actor.IsAdminReader() {
		return nil
	}
	ok, err := leadsPerson(ctx, tx, actor, userID)
	if err != nil || ok {
		return err
	}
	return errs.E(errs.Forbidden, "a review packet is read by the person, the leads of their teams and admins")
}

// packetPeriod returns the named period, or else the active period that
// holds today (the latest active one, else the latest by start).
func packetPeriod(ctx context.Context, tx Tx, o org.Organization, periodID string) (okr.Period, error) {
	if periodID != "" {
		p, err := tx.GetPeriod(ctx, o.ID, periodID)
		if errs.Is(err, errs.NotFound) {
			var f errs.Fields
			f.Add("period_id", "no period %s in this organization", periodID)
			return p, f.Err()
		}
		return p, err
	}
	ps, err := tx.ListPeriods(ctx, o.ID, "", 1000)
	if err != nil {
		return okr.Period{}, err
	}
	if len(ps) == 0 {
		var f errs.Fields
		f.Add("period_id", "the organization has no periods yet")
		return okr.Period{}, f.Err()
	}
	day := today(tx, o)
	rank := func(p okr.Period) int {
		switch {
		case p.State == okr.PeriodActive && p.StartDate <= day && day <= p.EndDate:
			return 3
		case p.State == okr.PeriodActive:
			return 2
		case p.StartDate <= day:
			return 1
		}
		return 0
	}
	best := slices.MaxFunc(ps, func(a, b okr.Period) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if a.Kind != b.Kind && (a.Kind == okr.PeriodQuarterly || b.Kind == okr.PeriodQuarterly) {
			if a.Kind == okr.PeriodQuarterly {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.StartDate, b.StartDate)
	})
	return best, nil
}

// ReviewPacket gathers a person's period for a review conversation: the
// person, the leads of their teams and admins read it. Of the person's
// objectives and key results the reader sees those they may see; of the
// feedback, what the reader may read.
func (a *App) ReviewPacket(ctx context.Context, actor org.Actor, userID, periodID string) (ReviewPacket, error) {
	var rp ReviewPacket
	if err := requireRead(actor); err != nil {
		return rp, err
	}
	err := a.db.Read(ctx, func(tx Tx) error {
		m, err := tx.GetMember(ctx, actor.OrgID, userID)
		if err != nil {
			return err
		}
		if err := mayReadPacket(ctx, tx, actor, userID); err != nil {
			return err
		}
		o, err := tx.GetOrganization(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		p, err := packetPeriod(ctx, tx, o, periodID)
		if err != nil {
			return err
		}
		rp = ReviewPacket{Person: PacketPerson{ID: m.ID, Name: m.Name, Email: m.Email}, Period: p, Note: packetNote,
			Objectives: []PacketObjective{}, KeyResults: []PacketKeyResult{}, Initiatives: []okr.Initiative{},
			Learning: []PacketLearning{}, Skills: []PacketSkill{}, Kudos: []okr.Kudos{}, Feedback: []learning.Feedback{}}
		loc := o.Location()
		start, err := p.StartDate.Time(loc)
		if err != nil {
			return err
		}
		endDay, err := p.EndDate.Time(loc)
		if err != nil {
			return err
		}
		end := endDay.AddDate(0, 0, 1) // the period includes its last day
		until := end
		if now := tx.Now(); now.Before(until) {
			until = now
		}
		if until.Before(start) {
			until = start
		}
		v := newAccess(ctx, tx, actor)
		h, err := loadSignals(ctx, tx, actor.OrgID)
		if err != nil {
			return err
		}
		if err := a.packetOKRs(ctx, tx, v, h, &rp, start, until); err != nil {
			return err
		}
		if err := packetInitiatives(ctx, tx, v, &rp, start, end); err != nil {
			return err
		}
		if err := packetLearning(ctx, tx, o, &rp, start, end); err != nil {
			return err
		}
		return packetRecognition(ctx, tx, actor, &rp, start, end)
	})
	return rp, err
}

// packetOKRs fills the person's objectives and key results and the check-in
// discipline on the key results they own.
func (a *App) packetOKRs(ctx context.Context, tx Tx, v *access, h *signals, rp *ReviewPacket, start, until time.Time) error {
	orgID, userID, p := v.actor.OrgID, rp.Person.ID, rp.Period
	objs, err := tx.ListObjectives(ctx, orgID, okr.ObjectiveFilter{PeriodID: p.ID})
	if err != nil {
		return err
	}
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	var krs []okr.KeyResult
	if len(ids) > 0 {
		if krs, err = tx.ListKeyResults(ctx, orgID, okr.KeyResultFilter{ObjectiveIDs: ids}); err != nil {
			return err
		}
	}
	byObjective := map[string][]okr.KeyResult{}
	for _, k := range krs {
		byObjective[k.ObjectiveID] = append(byObjective[k.ObjectiveID], k)
	}
	mine := map[string]bool{}
	objOf := map[string]okr.Objective{}
	var owned []okr.KeyResult
	for _, o := range objs {
		ok, err := a.decorateObjective(ctx, tx, v, h, &o, byObjective[o.ID])
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		objOf[o.ID] = o
		ks := byObjective[o.ID]
		if o.ChampionID == userID || o.Owner.Type == okr.OwnerUser && o.Owner.ID == userID {
			mine[o.ID] = true
			rp.Objectives = append(rp.Objectives, PacketObjective{Objective: o, KeyResults: ks})
		}
		for _, k := range ks {
			if k.OwnerID == userID {
				owned = append(owned, k)
				if !mine[o.ID] {
					rp.KeyResults = append(rp.KeyResults, PacketKeyResult{KeyResult: k, Objective: o.Title})
				}
			}
		}
	}
	d := PacketDiscipline{Items: []PacketCycles{}}
	for _, k := range owned {
		if k.Source != okr.SourceManual && k.Source != okr.SourceAPI {
			continue
		}
		cs, err := tx.ListCheckIns(ctx, orgID, k.ID, "", 10000)
		if err != nil {
			return err
		}
		var times []time.Time
		for _, ci := range cs {
			if !ci.Created.Before(start) && ci.Created.Before(until) {
				times = append(times, ci.Created)
			}
		}
		from := start
		if k.Created.After(from) {
			from = k.Created
		}
		c := h.cadence(objOf[k.ObjectiveID])
		cy := okr.CheckInDiscipline(from, until, c, times)
		d.Due += cy.Due
		d.OnTime += cy.OnTime
		d.CheckIns += len(times)
		d.Items = append(d.Items, PacketCycles{KeyResultID: k.ID, Title: k.Title, Due: cy.Due, OnTime: cy.OnTime, Rate: cy.Rate(),
			Cadence: c.Days, Grace: c.GraceDays})
	}
	d.Rate = okr.Cycles{Due: d.Due, OnTime: d.OnTime}.Rate()
	rp.Discipline = d
	return nil
}

// packetInitiatives fills the initiatives the person delivered: done, and
// linked to a key result of the period or finished during it.
func packetInitiatives(ctx context.Context, tx Tx, v *access, rp *ReviewPacket, start, end time.Time) error {
	ins, err := tx.ListInitiatives(ctx, v.actor.OrgID, okr.InitiativeFilter{OwnerID: rp.Person.ID})
	if err != nil {
		return err
	}
	period := map[string]bool{}
	for _, o := range rp.Objectives {
		for _, k := range o.KeyResults {
			period[k.ID] = true
		}
	}
	for _, k := range rp.KeyResults {
		period[k.KeyResult.ID] = true
	}
	for _, in := range ins {
		if in.Status != okr.Done {
			continue
		}
		linked := slices.ContainsFunc(in.KeyResultIDs, func(id string) bool { return period[id] })
		if !linked && (in.Updated.Before(start) || !in.Updated.Before(end)) {
			continue
		}
		ok, err := v.readableInitiative(&in)
		if err != nil {
			return err
		}
		if ok {
			rp.Initiatives = append(rp.Initiatives, in)
		}
	}
	return nil
}

// packetLearning fills the enrollments completed during the period and the
// skills whose effective level rose over it.
func packetLearning(ctx context.Context, tx Tx, o org.Organization, rp *ReviewPacket, start, end time.Time) error {
	es, err := tx.ListEnrollments(ctx, o.ID, learning.EnrollmentFilter{UserIDs: []string{rp.Person.ID}})
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, e := range es {
		if e.Status != learning.Completed || e.Completed == nil || e.Completed.Before(start) || !e.Completed.Before(end) {
			continue
		}
		if _, ok := titles[e.ProgramID]; !ok {
			pr, err := tx.GetProgram(ctx, o.ID, e.ProgramID)
			if err != nil && !errs.Is(err, errs.NotFound) {
				return err
			}
			titles[e.ProgramID] = pr.Title
		}
		rp.Learning = append(rp.Learning, PacketLearning{Enrollment: e, Program: titles[e.ProgramID]})
	}
	as, err := tx.ListAssessments(ctx, o.ID, learning.AssessmentFilter{UserIDs: []string{rp.Person.ID}})
	if err != nil {
		return err
	}
	bySkill := map[string][]learning.Assessment{}
	var skills []string
	for _, x := range as {
		if _, ok := bySkill[x.SkillID]; !ok {
			skills = append(skills, x.SkillID)
		}
		bySkill[x.SkillID] = append(bySkill[x.SkillID], x)
	}
	first := rp.Period.StartDate
	last := min(rp.Period.EndDate, today(tx, o))
	upTo := func(list []learning.Assessment, day okr.Date) []learning.Assessment {
		return slices.DeleteFunc(slices.Clone(list), func(x learning.Assessment) bool { return x.Date > day })
	}
	for _, id := range skills {
		list := bySkill[id]
		from := learning.EffectiveLevel(upTo(list, first), first, o.Settings.SkillDecayDays).Level
		to := learning.EffectiveLevel(upTo(list, last), last, o.Settings.SkillDecayDays).Level
		if to <= from {
			continue
		}
		sk, err := tx.GetSkill(ctx, o.ID, id)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		rp.Skills = append(rp.Skills, PacketSkill{SkillID: id, Skill: sk.Name, From: from, To: to})
	}
	slices.SortFunc(rp.Skills, func(a, b PacketSkill) int { return cmp.Compare(a.Skill, b.Skill) })
	return nil
}

// packetRecognition fills the kudos and feedback received during the period.
func packetRecognition(ctx context.Context, tx Tx, actor org.Actor, rp *ReviewPacket, start, end time.Time) error {
	ks, err := tx.ListKudos(ctx, actor.OrgID, okr.KudosFilter{ToUserID: rp.Person.ID})
	if err != nil {
		return err
	}
	kr := kudosReader{ctx: ctx, tx: tx, r: newFeedReader(ctx, tx, actor)}
	for _, k := range ks {
		if k.Created.Before(start) || !k.Created.Before(end) {
			continue
		}
		ok, err := kr.sees(k)
		if err != nil {
			return err
		}
		if ok {
			rp.Kudos = append(rp.Kudos, k)
		}
	}
	fbs, err := tx.ListFeedback(ctx, actor.OrgID, learning.FeedbackFilter{ToID: rp.Person.ID})
	if err != nil {
		return err
	}
	fr := &feedbackReader{ctx: ctx, tx: tx, actor: actor, leads: map[string]bool{}}
	for _, fb := range fbs {
		if fb.Created.Before(start) || !fb.Created.Before(end) {
			continue
		}
		ok, err := fr.sees(fb)
		if err != nil {
			return err
		}
		if ok {
			rp.Feedback = append(rp.Feedback, fb)
		}
	}
	return nil
}
