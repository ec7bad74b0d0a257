package demo

import (
	"fmt"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// Recognition: lessons written by hand (the retrospectives of the previous
// quarter add their own), helpful votes, and kudos between people and to
// teams over the quarter. The achievements of the feed (key results
// reached, certifications passed, skill levels gained) were recorded by
// themselves as the check-ins and the learning history ran.

// lessonSpec is a lesson someone wrote along the way.
type lessonSpec struct {
	author, title, body string
	tags                []string
	objective, team     string // keys; "" for none
	skills              []string
	week                int // the check-in week it was written in (0 = the first)
	helpful             []string
}

var lessons = []lessonSpec{
	{author: "sofia", title: "Give every escalation one named owner",
		body: "In the first weeks three agents often answered the same escalated ticket and nobody followed up.\n\n" +
			"- Name **one** owner in the ticket within the hour.\n- The owner closes the loop with the customer, even when someone else fixed it.\n\n" +
			"CSAT on escalated tickets rose within three weeks of doing this.",
		tags: []string{"support", "escalation", "ownership"}, objective: "shop-support", team: "shop-support",
		skills: []string{"resolve conflicts"}, week: 2, helpful: []string{"liam", "priya", "marcus", "daniel"}},
	{author: "marcus", title: "Train the front desk on the live system, not a sandbox",
		body: "The sandbox differed from production in small ways (holidays, double bookings) that confused people on day one.\n\n" +
			"Training sessions on the live system, outside opening hours, cut the questions in the first week by half.",
		tags: []string{"training", "scheduling", "rollout"}, objective: "care-front-desk", team: "care-front-desk",
		week: 3, helpful: []string{"aisha", "tomas", "helena"}},
	{author: "helena", title: "Publish wait times on the waiting-room screen",
		body: "Patients complained less once they could see the expected wait, even before the wait itself went down.",
		tags: []string{"patients", "transparency"}, objective: "care", team: "care", week: 5, helpful: []string{"marcus"}},
	{author: "liam", title: "Role-play the hardest calls every Friday",
		body: "Fifteen minutes of role play on the week's hardest call did more for my confidence than the reading.\n\n" +
			"Pair with someone from another team: they ask the questions customers really ask.",
		tags: []string{"support", "escalation", "learning"}, team: "shop-support", skills: []string{"resolve conflicts"},
		week: 6, helpful: []string{"priya", "sofia"}},
	{author: "elena", title: "Write the on-call runbook before the incident",
		body: "Our first night incident took two hours because nobody knew where the dashboards were. A one-page runbook fixed it.",
		tags: []string{"operations", "ownership"}, team: "labs-platform", week: 4, helpful: []string{"noah"}},
}

// kudosSpec is a kudos someone gave.
type kudosSpec struct {
	from, to, team, message string
	kr, objective           string // keys; "" for nothing in particular
	week                    int
	hour                    int
}

var kudos = []kudosSpec{
	{from: "sofia", to: "liam", message: "You took the angriest customer of the week and turned them into a fan. Thank you!",
		kr: "shop.escalated", week: 1, hour: 14},
	{from: "daniel", team: "shop-support", message: "CSAT is moving every week. The whole support team made that happen.",
		objective: "shop", week: 3, hour: 16},
	{from: "helena", to: "marcus", message: "The scheduling rollout plan was clear enough that nobody had to ask twice.",
		kr: "care.rollout", week: 2, hour: 11},
	{from: "aisha", to: "tomas", message: "Thanks for covering the morning desk while I was in training.", week: 4, hour: 10},
	{from: "priya", to: "sofia", message: "Your escalation checklist saved me on a tough call today.", week: 5, hour: 15},
	{from: "ceo", team: "care-front-desk", message: "Every clinic on the new system, on time. Impressive work, front desk!",
		week: 6, hour: 17},
	{from: "kenji", to: "elena", message: "The runbook you wrote got us through last night's incident in twenty minutes.", week: 4, hour: 9},
	{from: "marcus", to: "aisha", message: "Scheduling errors are down again this week; your audits are the reason.",
		kr: "care.errors", week: 7, hour: 12},
}

// recognition writes the lessons, votes and kudos at their moments in the quarter.
func (s *seeder) recognition() error {
	skills, err := s.a.ListSkills(s.ctx, s.owner, app.SkillQuery{PageRequest: app.PageRequest{Limit: 200}})
	if err != nil {
		return err
	}
	skillID := func(name string) (string, error) {
		for _, sk := range skills.Items {
			if sk.Name == name {
				return sk.ID, nil
			}
		}
		return "", fmt.Errorf("no skill %q", name)
	}
	at := func(week, hour int) time.Time {
		w := min(week, len(s.cal.slots)-1)
		return s.cal.slots[w].Add(time.Duration(hour-9) * time.Hour)
	}
	for i, l := range lessons {
		s.clock.Set(at(l.week, 13+i%3))
		in := app.LessonInput{Title: l.title, Body: l.body, Tags: l.tags, TeamID: s.teams[l.team]}
		if l.objective != "" {
			in.ObjectiveID = s.objectives[l.objective].ID
		}
		for _, name := range l.skills {
			id, err := skillID(name)
			if err != nil {
				return err
			}
			in.SkillIDs = append(in.SkillIDs, id)
		}
		les, err := s.a.CreateLesson(s.ctx, s.actors[l.author], in, "")
		if err != nil {
			return fmt.Errorf("lesson %q: %w", l.title, err)
		}
		for j, who := range l.helpful {
			s.clock.Set(at(l.week+1+j%2, 10+j))
			if _, err := s.a.VoteLesson(s.ctx, s.actors[who], les.ID, true); err != nil {
				return fmt.Errorf("%s finds %q helpful: %w", who, l.title, err)
			}
		}
	}
	for _, k := range kudos {
		s.clock.Set(at(k.week, k.hour))
		in := app.KudosInput{ToUserID: s.users[k.to], ToTeamID: s.teams[k.team], Message: k.message}
		switch {
		case k.kr != "":
			in.SubjectType, in.SubjectID = okr.KudosAboutKeyResult, s.krs[k.kr].kr.ID
		case k.objective != "":
			in.SubjectType, in.SubjectID = okr.KudosAboutObjective, s.objectives[k.objective].ID
		}
		if _, err := s.a.GiveKudos(s.ctx, s.actors[k.from], in, ""); err != nil {
			return fmt.Errorf("kudos from %s: %w", k.from, err)
		}
	}
	return nil
}
