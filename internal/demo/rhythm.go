package demo

import (
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/org"
)

// rhythm gives two teams a rhythm of their own — Labs Platform checks in
// every two weeks, in step with its sprints; Care Front Desk keeps the weekly
// cadence with two days of grace instead of three — and then runs what the
// job runner runs: this hour's reminders and this week's digests, so that
// the people's inboxes hold what a Monday morning brings.
func (s *seeder) rhythm() error {
	s.startAt(s.cal.now.Add(-2 * time.Hour))
	biweekly, two := string(org.Biweekly), 2
	for key, up := range map[string]app.TeamUpdate{
		"labs-platform":   {Cadence: &biweekly},
		"care-front-desk": {GraceDays: &two},
	} {
		t, err := s.a.GetTeam(s.ctx, s.owner, s.teams[key])
		if err != nil {
			return err
		}
		if _, err := s.a.UpdateTeam(s.ctx, s.owner, t.ID, &t.Version, up); err != nil {
			return err
		}
		s.tick()
	}
	s.clock.Set(s.cal.now.Add(-time.Hour))
	if _, err := s.a.SendReminders(s.ctx, s.res.OrgID); err != nil {
		return err
	}
	_, err := s.a.SendDigests(s.ctx, s.res.OrgID)
	return err
}
