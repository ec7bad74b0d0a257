package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// parseMeasure decodes a learning key result's measure.
func parseMeasure(raw json.RawMessage) (learning.Measure, error) {
	var m learning.Measure
	if len(raw) == 0 {
		return m, fmt.Errorf("no measure")
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	err := dec.Decode(&m)
	return m, err
}

// validateLearningMeasure checks a learning key result's measure: its shape
// and that its program, skill, team, role or people exist in the
// organization. It returns the measure as stored (re-encoded, canonical).
func validateLearningMeasure(ctx context.Context, tx Tx, orgID string, raw json.RawMessage, f *errs.Fields) (json.RawMessage, error) {
	if len(raw) == 0 || string(raw) == "null" {
		f.Add("measure", "a learning key result needs a measure: {\"type\": \"completion_rate|certified_count|mean_score|at_level_share|learning_hours\", \"population\": {...}, ...}")
		return nil, nil
	}
	m, err := parseMeasure(raw)
	if err != nil {
		f.Add("measure", "is not a measure okra understands: %v", err)
		return nil, nil
	}
	problems := learning.ValidateMeasure(m)
	for _, p := range problems {
		f.Add(p.Field, "%s", p.Message)
	}
	if len(problems) > 0 {
		return nil, nil
	}
	exists := func(field string, err error, what, id string) error {
		if errs.Is(err, errs.NotFound) {
			f.Add(field, "no %s %s in this organization", what, id)
			return nil
		}
		return err
	}
	if m.ProgramID != "" {
		_, err := tx.GetProgram(ctx, orgID, m.ProgramID)
		if err := exists("measure.program_id", err, "program", m.ProgramID); err != nil {
			return nil, err
		}
	}
	if m.SkillID != "" {
		_, err := tx.GetSkill(ctx, orgID, m.SkillID)
		if err := exists("measure.skill_id", err, "skill", m.SkillID); err != nil {
			return nil, err
		}
	}
	switch m.Population.Type {
	case learning.PopulationTeam:
		_, err := tx.GetTeam(ctx, orgID, m.Population.ID)
		if err := exists("measure.population.id", err, "team", m.Population.ID); err != nil {
			return nil, err
		}
	case learning.PopulationRole:
		_, err := tx.GetRole(ctx, orgID, m.Population.ID)
		if err := exists("measure.population.id", err, "role profile", m.Population.ID); err != nil {
			return nil, err
		}
	case learning.PopulationUsers:
		for i, id := range m.Population.UserIDs {
			_, err := tx.GetMember(ctx, orgID, id)
			if err := exists(fmt.Sprintf("measure.population.user_ids[%d]", i), err, "member", id); err != nil {
				return nil, err
			}
		}
	}
	b, err := json.Marshal(m)
	return b, err
}

// measured is a learning measure's value with the words that explain it.
type measured struct {
	value float64
	note  string
}

// measureValue computes a learning measure over its population now.
func measureValue(ctx context.Context, tx Tx, orgID string, ppl *people, m learning.Measure, o org.Organization) (measured, error) {
	pop, err := ppl.population(m.Population)
	if errs.Is(err, errs.NotFound) {
		pop, err = []string{}, nil // the team or role is gone: nobody left to count
	}
	if err != nil {
		return measured{}, err
	}
	in := learning.MeasureInput{Population: pop, Programs: map[string]learning.Program{},
		Today: today(tx, o), WindowDays: o.Settings.SkillDecayDays}
	if len(pop) > 0 {
		switch m.Type {
		case learning.CompletionRate, learning.MeanScore, learning.LearningHours:
			in.Enrollments, err = tx.ListEnrollments(ctx, orgID, learning.EnrollmentFilter{UserIDs: pop, ProgramID: m.ProgramID})
			if err != nil {
				return measured{}, err
			}
			if m.Type == learning.LearningHours {
				ps, err := tx.ListPrograms(ctx, orgID, learning.ProgramFilter{IncludeArchived: true})
				if err != nil {
					return measured{}, err
				}
				for _, p := range ps {
					in.Programs[p.ID] = p
				}
			}
		case learning.CertifiedCount, learning.AtLevelShare:
			in.Assessments, err = tx.ListAssessments(ctx, orgID, learning.AssessmentFilter{UserIDs: pop, SkillIDs: []string{m.SkillID}})
			if err != nil {
				return measured{}, err
			}
		}
	}
	v := learning.Compute(m, in)
	return measured{value: v, note: measureNote(m, v, len(pop))}, nil
}

// measureNote says in words what an automatic check-in measured.
func measureNote(m learning.Measure, v float64, population int) string {
	people := fmt.Sprintf("%d people", population)
	if population == 1 {
		people = "1 person"
	}
	switch m.Type {
	case learning.CompletionRate:
		return fmt.Sprintf("Recomputed from learning records: %.4g%% of %s passed the program (%.0f of them).", v, people, math.Round(v*float64(population)/100))
	case learning.CertifiedCount:
		return fmt.Sprintf("Recomputed from learning records: %.0f of %s certified or assessed at level %d or above.", v, people, m.Level)
	case learning.MeanScore:
		return fmt.Sprintf("Recomputed from learning records: mean score %.4g over the completions of %s.", v, people)
	case learning.AtLevelShare:
		return fmt.Sprintf("Recomputed from learning records: %.4g%% of %s at level %d or above.", v, people, m.Level)
	case learning.LearningHours:
		return fmt.Sprintf("Recomputed from learning records: %.4g learning hours completed by %s.", v, people)
	}
	return "Recomputed from learning records."
}

// today is the transaction's date in the organization's time zone.
func today(tx Tx, o org.Organization) okr.Date {
	return okr.Date(tx.Now().In(o.Location()).Format(okr.DateLayout))
}

// refreshLearning recomputes every learning key result of the organization
// whose objective and period are open, records an automatic check-in
// (source learning) for each whose value changed, and rolls the changes up
// through the tree: called in the transaction of every change to learning
// records, team membership or role holders. It returns how many key results
// moved.
func refreshLearning(ctx context.Context, tx Tx, actor org.Actor) (int, error) {
	krs, err := tx.ListKeyResults(ctx, actor.OrgID, okr.KeyResultFilter{Source: okr.SourceLearning})
	if err != nil || len(krs) == 0 {
		return 0, err
	}
	o, err := tx.GetOrganization(ctx, actor.OrgID)
	if err != nil {
		return 0, err
	}
	h, err := loadSignals(ctx, tx, actor.OrgID)
	if err != nil {
		return 0, err
	}
	ppl := newPeople(ctx, tx, actor.OrgID)
	var touched []okr.Node
	for _, k := range krs {
		obj, err := tx.GetObjective(ctx, actor.OrgID, k.ObjectiveID)
		if err != nil {
			return 0, err
		}
		p, err := h.period(ctx, tx, actor.OrgID, obj.PeriodID)
		if err != nil {
			return 0, err
		}
		if p.State == okr.PeriodClosed || obj.State == okr.Closed {
			continue // closed: read-only history
		}
		m, err := parseMeasure(k.Measure)
		if err != nil {
			continue // stored before validation existed; nothing to compute
		}
		got, err := measureValue(ctx, tx, actor.OrgID, ppl, m, o)
		if err != nil {
			return 0, err
		}
		if math.Abs(got.value-k.Current) < 1e-9 && k.LastCheckIn != nil {
			continue
		}
		if err := learningCheckIn(ctx, tx, actor, o, h, obj, p, k, got); err != nil {
			return 0, err
		}
		node := okr.Node{Type: okr.NodeObjective, ID: k.ObjectiveID}
		if !slices.Contains(touched, node) {
			touched = append(touched, node)
		}
	}
	if len(touched) == 0 {
		return 0, nil
	}
	return len(touched), okr.Propagate(ctx, tx.Rollup(actor.OrgID), touched...)
}

// learningCheckIn records a learning key result's new value as an automatic
// check-in with source learning.
func learningCheckIn(ctx context.Context, tx Tx, actor org.Actor, o org.Organization, h *signals,
	obj okr.Objective, p okr.Period, k okr.KeyResult, got measured) error {
	return automaticCheckIn(ctx, tx, actor, o, h, obj, p, k, got.value, okr.SourceLearning, got.note)
}
