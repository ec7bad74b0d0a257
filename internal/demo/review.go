package demo

import (
	"fmt"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// The previous quarter: the quarter before the active one, with its
// objectives, check-ins, the close that scored it (one score adjusted with a
// reason), retrospectives with lessons and the decisions for the next
// quarter: one keep and one modify carried into the quarter in planning as
// drafts, one drop, and one objective still waiting for its review.

// prevKR is a key result of the previous quarter and where it ended.
type prevKR struct {
	title, owner     string
	kind             okr.KRKind
	unit             okr.Unit
	baseline, target float64
	band             *okr.Band
	milestones       []string
	final            float64 // the last value (milestones: how many done)
}

// prevObjective is an objective of the previous quarter and its review.
type prevObjective struct {
	key, title, author, champion string
	owner                        ownerRef
	kind                         okr.ObjectiveKind
	tags                         []string
	krs                          []prevKR
	retro                        *app.RetrospectiveInput
	decision                     okr.Decision // "" for none yet
	modifyTitle                  string
	newTargets                   map[int]float64 // key result index → new target (modify)
	adjust                       *prevAdjust
}

// prevAdjust is a score adjustment made after the close.
type prevAdjust struct {
	kr     int
	by     string
	score  float64
	reason string
}

var previousObjectives = []prevObjective{
	{key: "prev-shop", title: "Lay the foundations of a calmer support desk", author: "daniel", champion: "daniel",
		owner: teamOwned("shop"), kind: okr.Committed, tags: []string{"shop", "support"},
		krs: []prevKR{
			{title: "Answer 90% of tickets within 24 hours, up from 62%", owner: "sofia", kind: okr.Increase, unit: okr.UnitPercent, baseline: 62, target: 90, final: 84},
			{title: "Publish 40 help-center articles", owner: "priya", kind: okr.Increase, baseline: 0, target: 40, final: 40},
		},
		retro: &app.RetrospectiveInput{
			WentWell:  "The help center paid off from week four: the most common questions stopped reaching the queue.",
			WentBadly: "Weekend tickets waited until Monday, which kept the 24-hour share below target all quarter.",
			Lessons: []app.RetrospectiveLesson{{Title: "Cover the weekend queue before chasing response-time targets",
				Body: "Most of our late answers were Friday-evening tickets. A rota of two people for two hours on Saturday and Sunday closes most of the gap.",
				Tags: []string{"support", "staffing", "response-time"}}},
		},
		decision: okr.Keep},
	{key: "prev-care", title: "Choose a scheduling system the clinics trust", author: "helena", champion: "helena",
		owner: teamOwned("care"), kind: okr.Aspirational, tags: []string{"care", "scheduling"},
		krs: []prevKR{
			{title: "Evaluate four scheduling vendors with the clinic managers", owner: "marcus", kind: okr.Milestone,
				milestones: []string{"Shortlist", "Demos", "Reference calls", "Scoring"}, final: 4},
			{title: "Get sign-off from all 5 clinic managers", owner: "helena", kind: okr.Increase, baseline: 0, target: 5, final: 3},
		},
		retro: &app.RetrospectiveInput{
			WentWell:  "Scoring the vendors together with the managers made the choice theirs, not head office's.",
			WentBadly: "Two managers signed off only after the quarter ended: their clinics were short-staffed during the demos.",
			Lessons: []app.RetrospectiveLesson{{Title: "Schedule vendor demos around the clinics' quiet weeks",
				Body: "Ask each clinic for its quietest week first; demos in busy weeks get no attention and delay sign-off.",
				Tags: []string{"scheduling", "rollout", "stakeholders"}}},
		},
		decision: okr.Drop},
	{key: "prev-labs", title: "Make our releases boring", author: "kenji", champion: "kenji",
		owner: teamOwned("labs"), kind: okr.Committed, tags: []string{"labs", "delivery"},
		krs: []prevKR{
			{title: "Cut failed deployments from 9 to 2 per month", owner: "elena", kind: okr.Decrease, baseline: 9, target: 2, final: 5},
			{title: "Automate the release checklist", owner: "fatima", kind: okr.Boolean, final: 1},
			{title: "Keep staging uptime between 99% and 100%", owner: "noah", kind: okr.Maintain, unit: okr.UnitPercent,
				band: &okr.Band{Low: 99, High: 100}, final: 97.5},
		},
		adjust: &prevAdjust{kr: 2, by: "kenji", score: 0.7,
			reason: "Staging was down for the planned database migration in week 9; outside that window uptime was 99.6%."},
		retro: &app.RetrospectiveInput{
			WentWell:  "The automated checklist removed the Friday release scramble.",
			WentBadly: "Failed deployments fell but stalled at five a month: most failures came from configuration drift, which we did not measure.",
			Lessons: []app.RetrospectiveLesson{{Title: "Measure configuration drift before blaming the pipeline",
				Body: "Three of every five failed deployments came from environments that had drifted apart. A nightly drift report found them early.",
				Tags: []string{"operations", "delivery", "reliability"}}},
		},
		decision: okr.Modify, modifyTitle: "Make every release boring, configuration included", newTargets: map[int]float64{0: 1}},
	{key: "prev-liam", title: "Learn the ropes of escalated tickets", author: "liam", owner: personOwned("liam"),
		kind: okr.Aspirational, tags: []string{"support", "learning"},
		krs: []prevKR{
			{title: "Shadow 10 escalation calls", owner: "liam", kind: okr.Increase, baseline: 0, target: 10, final: 10},
			{title: "Handle 20 escalations on my own", owner: "liam", kind: okr.Increase, baseline: 0, target: 20, final: 9},
		}},
}

// previousQuarter writes the quarter before the active one and its review.
func (s *seeder) previousQuarter() error {
	prev := s.cal.activeQuarter().prev()
	first, last := prev.bounds(s.cal.loc)
	s.startAt(at(first.AddDate(0, 0, -7), 10, 0))
	in := app.PeriodInput{Name: prev.name(), Kind: okr.PeriodQuarterly, StartDate: date(first), EndDate: date(last)}
	if prev.year == s.cal.year {
		in.ParentID = s.res.YearPeriodID
	}
	p, err := s.a.CreatePeriod(s.ctx, s.owner, in, "")
	if err != nil {
		return err
	}
	s.tick()
	if _, err := s.a.ActivatePeriod(s.ctx, s.owner, p.ID); err != nil {
		return err
	}
	created := map[string]okr.Objective{}
	krs := map[string][]okr.KeyResult{}
	for _, po := range previousObjectives {
		s.tick()
		oin := app.ObjectiveInput{PeriodID: p.ID, Title: po.title, ChampionID: s.users[po.champion], Kind: po.kind, Tags: po.tags,
			Owner: app.OwnerInput{Type: po.owner.typ}}
		switch po.owner.typ {
		case okr.OwnerTeam:
			oin.Owner.ID = s.teams[po.owner.key]
		case okr.OwnerUser:
			oin.Owner.ID = s.users[po.owner.key]
		}
		o, err := s.a.CreateObjective(s.ctx, s.actors[po.author], oin, "")
		if err != nil {
			return fmt.Errorf("%q: %w", po.title, err)
		}
		created[po.key] = o
		for _, k := range po.krs {
			s.tick()
			kin := app.KeyResultInput{ObjectiveID: o.ID, Title: k.title, OwnerID: s.users[k.owner], Kind: k.kind, Unit: k.unit, Band: k.band}
			if k.kind == okr.Increase || k.kind == okr.Decrease {
				kin.Baseline, kin.Target = &k.baseline, &k.target
			}
			for _, m := range k.milestones {
				kin.Milestones = append(kin.Milestones, app.MilestoneInput{Title: m})
			}
			kr, err := s.a.CreateKeyResult(s.ctx, s.actors[po.author], kin, "")
			if err != nil {
				return fmt.Errorf("%q: %w", k.title, err)
			}
			krs[po.key] = append(krs[po.key], kr)
		}
	}

	// Four check-ins over the quarter (weeks 3, 6, 9 and 12), each by the key
	// result's owner, moving steadily to where it ended.
	for i, week := range []int{3, 6, 9, 12} {
		share := float64(i+1) / 4
		day := first.AddDate(0, 0, 7*week)
		for _, po := range previousObjectives {
			for j, k := range po.krs {
				s.clock.Set(at(day, 9, 0).Add(time.Duration(j*7) * time.Minute))
				kr := krs[po.key][j]
				cin := app.CheckInInput{Confidence: 0.5 + 0.3*share, Status: okr.OnTrack}
				switch k.kind {
				case okr.Milestone:
					for m := 0; m < int(float64(len(kr.Milestones))*share+0.5) && m < int(k.final); m++ {
						cin.MilestonesDone = append(cin.MilestonesDone, kr.Milestones[m].ID)
					}
				case okr.Boolean:
					v := 0.0
					if share == 1 {
						v = k.final
					}
					cin.Value = &v
				case okr.Maintain:
					v := k.band.High - (k.band.High-k.final)*share
					cin.Value = &v
				default:
					v := k.baseline + (k.final-k.baseline)*share
					cin.Value = &v
				}
				if share >= 0.75 && k.kind != okr.Maintain && k.final != k.target && k.kind != okr.Milestone && k.kind != okr.Boolean {
					cin.Status, cin.Confidence = okr.AtRisk, 0.4
				}
				if _, err := s.a.CheckIn(s.ctx, s.actors[k.owner], kr.ID, cin, ""); err != nil {
					return fmt.Errorf("check in %q: %w", k.title, err)
				}
			}
		}
	}

	// The close, the day after the quarter ends, then the review over the next week.
	s.startAt(at(last.AddDate(0, 0, 1), 10, 0))
	if _, err := s.a.ClosePeriod(s.ctx, s.owner, p.ID); err != nil {
		return fmt.Errorf("close %s: %w", p.Name, err)
	}
	for _, po := range previousObjectives {
		if po.adjust == nil {
			continue
		}
		s.startAt(at(last.AddDate(0, 0, 2), 15, 0))
		kr, err := s.a.GetKeyResult(s.ctx, s.owner, krs[po.key][po.adjust.kr].ID)
		if err != nil {
			return err
		}
		if _, err := s.a.AdjustScore(s.ctx, s.actors[po.adjust.by], kr.ID, &kr.Version,
			app.ScoreInput{Adjusted: &po.adjust.score, Reason: po.adjust.reason}); err != nil {
			return fmt.Errorf("adjust %q: %w", kr.Title, err)
		}
	}
	for i, po := range previousObjectives {
		o := created[po.key]
		if po.retro != nil {
			s.startAt(at(last.AddDate(0, 0, 3+i), 11, 0))
			if _, err := s.a.PutRetrospective(s.ctx, s.actors[po.author], o.ID, nil, *po.retro); err != nil {
				return fmt.Errorf("retrospective of %q: %w", po.title, err)
			}
		}
		if po.decision == "" {
			continue
		}
		s.startAt(at(last.AddDate(0, 0, 4+i), 16, 0))
		din := app.DecisionInput{Decision: po.decision, Title: po.modifyTitle}
		if po.decision != okr.Drop {
			din.NextPeriodID = s.res.NextPeriodID
		}
		if len(po.newTargets) > 0 {
			din.Targets = map[string]float64{}
			for j, t := range po.newTargets {
				din.Targets[krs[po.key][j].ID] = t
			}
		}
		if _, err := s.a.Decide(s.ctx, s.actors[po.author], o.ID, din, ""); err != nil {
			return fmt.Errorf("decision on %q: %w", po.title, err)
		}
	}
	return nil
}
