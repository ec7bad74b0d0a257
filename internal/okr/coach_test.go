package okr_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/okrahq/okra/internal/okr"
)

func fp(x float64) *float64 { return &x }

// coachCase is one check on one input: the status it must give and words
// its reason must hold.
type coachCase struct {
	name   string
	got    okr.Finding
	status okr.CheckStatus
	reason string
}

func runCoachCases(t *testing.T, check string, cases []coachCase) {
	t.Helper()
	seen := map[okr.CheckStatus]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.got
			if f.Check != check {
				t.Errorf("check = %q, want %q", f.Check, check)
			}
			if f.Status != c.status {
				t.Errorf("status = %s, want %s (reason %q)", f.Status, c.status, f.Reason)
			}
			if !strings.Contains(f.Reason, c.reason) {
				t.Errorf("reason = %q, want it to hold %q", f.Reason, c.reason)
			}
			if (f.Prompt == "") != (f.Status == okr.CheckPass) {
				t.Errorf("prompt = %q on a %s: a prompt is for warns and fails only", f.Prompt, f.Status)
			}
			if f.Prompt != "" && !strings.HasSuffix(f.Prompt, "?") && !strings.Contains(f.Prompt, "?") {
				t.Errorf("prompt %q asks no question", f.Prompt)
			}
		})
		seen[c.status] = true
	}
	for _, s := range []okr.CheckStatus{okr.CheckPass, okr.CheckWarn, okr.CheckFail} {
		if !seen[s] {
			t.Errorf("%s: no case gives %s", check, s)
		}
	}
}

func objWithKRs(n int) okr.CoachObjective {
	o := okr.CoachObjective{Ref: "o", Title: "Customers love our support"}
	for range n {
		o.KeyResults = append(o.KeyResults, okr.CoachKeyResult{})
	}
	return o
}

func TestCoachKeyResultCount(t *testing.T) {
	th := okr.CoachThresholds{}
	two := okr.CoachThresholds{MinKeyResults: 2, MaxKeyResults: 2}
	runCoachCases(t, okr.RuleKeyResultCount, []coachCase{
		{"none", okr.CheckKeyResultCount(objWithKRs(0), th), okr.CheckFail, "no key result"},
		{"one", okr.CheckKeyResultCount(objWithKRs(1), th), okr.CheckWarn, "It has 1 key result; 3 to 5"},
		{"two", okr.CheckKeyResultCount(objWithKRs(2), th), okr.CheckWarn, "2 key results"},
		{"three", okr.CheckKeyResultCount(objWithKRs(3), th), okr.CheckPass, "It has 3 key results."},
		{"five", okr.CheckKeyResultCount(objWithKRs(5), th), okr.CheckPass, "It has 5 key results."},
		{"six", okr.CheckKeyResultCount(objWithKRs(6), th), okr.CheckWarn, "It has 6 key results; more than 5"},
		{"two within a setting of 2–2", okr.CheckKeyResultCount(objWithKRs(2), two), okr.CheckPass, "2 key results"},
		{"three above a setting of 2–2", okr.CheckKeyResultCount(objWithKRs(3), two), okr.CheckWarn, "more than 2"},
	})
}

func titled(title string) okr.CoachObjective { return okr.CoachObjective{Ref: "o", Title: title} }

func TestCoachQualitative(t *testing.T) {
	runCoachCases(t, okr.RuleQualitative, []coachCase{
		{"words only", okr.CheckQualitative(titled("Customers get answers they trust, fast")), okr.CheckPass, "holds no number"},
		{"a product name with a digit", okr.CheckQualitative(titled("Make B2B onboarding effortless")), okr.CheckPass, "no number"},
		{"a year", okr.CheckQualitative(titled("Become the support team customers recommend in 2027")), okr.CheckWarn, "names a time (2027)"},
		{"a quarter", okr.CheckQualitative(titled("Win back churned customers by Q3")), okr.CheckWarn, "(q3)"},
		{"a fiscal year and a half", okr.CheckQualitative(titled("Delight customers in FY27, H2")), okr.CheckWarn, "(fy27, h2)"},
		{"a percentage", okr.CheckQualitative(titled("Reach 95% customer satisfaction")), okr.CheckFail, "holds a number (95%)"},
		{"money and a year", okr.CheckQualitative(titled("Grow revenue to $5M in 2027")), okr.CheckFail, "($5m)"},
		{"a multiple", okr.CheckQualitative(titled("Make the app 2x faster")), okr.CheckFail, "(2x)"},
	})
}

func TestCoachTitleLength(t *testing.T) {
	th := okr.CoachThresholds{}
	long := strings.Repeat("word ", 19)
	far := strings.Repeat("word ", 26)
	runCoachCases(t, okr.RuleLength, []coachCase{
		{"four words", okr.CheckTitleLength(titled("Customers love our support"), th), okr.CheckPass, "4 words"},
		{"eighteen words", okr.CheckTitleLength(titled(strings.Repeat("word ", 18)), th), okr.CheckPass, "18 words"},
		{"three words", okr.CheckTitleLength(titled("Happy customers everywhere"), th), okr.CheckWarn, "3 words; 4 to 18"},
		{"two words", okr.CheckTitleLength(titled("Happy customers"), th), okr.CheckFail, "2 words: too short"},
		{"empty", okr.CheckTitleLength(titled("  "), th), okr.CheckFail, "0 words"},
		{"nineteen words", okr.CheckTitleLength(titled(long), th), okr.CheckWarn, "19 words, above 18"},
		{"twenty-five words", okr.CheckTitleLength(titled(strings.Repeat("word ", 25)), th), okr.CheckWarn, "25 words"},
		{"twenty-six words", okr.CheckTitleLength(titled(far), th), okr.CheckFail, "26 words, far above 18"},
		{"punctuation is no word", okr.CheckTitleLength(titled("Customers — love — us"), th), okr.CheckWarn, "3 words"},
	})
}

func TestCoachObjectiveOutcome(t *testing.T) {
	runCoachCases(t, okr.RuleObjectiveOutcome, []coachCase{
		{"an outcome", okr.CheckObjectiveOutcome(titled("Customers get answers they trust, fast")), okr.CheckPass, "reads as an outcome"},
		{"launch leads", okr.CheckObjectiveOutcome(titled("Launch the new mobile app")), okr.CheckFail, `starts with "launch"`},
		{"to build leads", okr.CheckObjectiveOutcome(titled("To build a data warehouse")), okr.CheckFail, `"build"`},
		{"roll out leads", okr.CheckObjectiveOutcome(titled("Roll out the new pricing page")), okr.CheckFail, `"roll out"`},
		{"set up leads", okr.CheckObjectiveOutcome(titled("Set up a customer advisory board")), okr.CheckFail, `"set up"`},
		{"migrating leads", okr.CheckObjectiveOutcome(titled("Migrating billing to the new platform")), okr.CheckFail, `"migrating"`},
		{"shipped elsewhere", okr.CheckObjectiveOutcome(titled("Customers rely on every feature we shipped")), okr.CheckWarn, `"shipped"`},
		{"deploy elsewhere", okr.CheckObjectiveOutcome(titled("Engineers deploy without fear")), okr.CheckWarn, `"deploy"`},
		{"set alone is no deliverable", okr.CheckObjectiveOutcome(titled("Set the standard for support in our market")), okr.CheckPass, "outcome"},
	})
	f := okr.CheckObjectiveOutcome(titled("Build a data warehouse"))
	if want := "Suppose it is built and nothing changes for anyone"; !strings.HasPrefix(f.Prompt, want) {
		t.Errorf("prompt = %q, want it to start %q", f.Prompt, want)
	}
}

func TestCoachAlignment(t *testing.T) {
	team := func(contributes, supports int, note string) okr.CoachObjective {
		return okr.CoachObjective{Ref: "o", Owner: okr.OwnerTeam, Contributes: contributes, Supports: supports, AlignmentNote: note}
	}
	person := func(n int) okr.CoachObjective {
		return okr.CoachObjective{Ref: "o", Owner: okr.OwnerUser, Supports: n}
	}
	run := func(o okr.CoachObjective) okr.Finding {
		f, ok := okr.CheckAlignment(o)
		if !ok {
			t.Fatalf("alignment of a %s objective not checked", o.Owner)
		}
		return f
	}
	runCoachCases(t, okr.RuleAlignment, []coachCase{
		{"team contributes", run(team(1, 1, "")), okr.CheckPass, "It contributes to 1 parent above it"},
		{"team only supports", run(team(0, 2, "")), okr.CheckWarn, "only supports"},
		{"team with a note", run(team(0, 0, "A regulator's deadline, not a strategy")), okr.CheckWarn, "the note says why: A regulator's deadline"},
		{"team alone", run(team(0, 0, " ")), okr.CheckFail, "aligns to nothing above it and does not say why"},
		{"person aligned", run(person(1)), okr.CheckPass, "It aligns to 1 parent above it"},
		{"person alone", run(person(0)), okr.CheckWarn, "aligns to nothing"},
	})
	if _, ok := okr.CheckAlignment(okr.CoachObjective{Owner: okr.OwnerOrg}); ok {
		t.Error("an organization objective is checked for alignment: it is the top")
	}
}

func krOf(kind okr.KRKind) okr.CoachKeyResult {
	return okr.CoachKeyResult{Ref: "o/k", Title: "Raise NPS", Kind: kind, Unit: okr.UnitNumber, UnitLabel: "points"}
}

func TestCoachTarget(t *testing.T) {
	kr := func(kind okr.KRKind, baseline, target *float64) okr.CoachKeyResult {
		k := krOf(kind)
		k.Baseline, k.Target = baseline, target
		return k
	}
	band := func(lo, hi float64) okr.CoachKeyResult {
		k := krOf(okr.Maintain)
		k.Band = &okr.Band{Low: lo, High: hi}
		return k
	}
	milestones := func(n int) okr.CoachKeyResult {
		k := krOf(okr.Milestone)
		k.Milestones = n
		return k
	}
	runCoachCases(t, okr.RuleTarget, []coachCase{
		{"increase", okr.CheckTarget(kr(okr.Increase, fp(30), fp(50))), okr.CheckPass, "It moves from 30 to 50."},
		{"decrease", okr.CheckTarget(kr(okr.Decrease, fp(12.5), fp(4))), okr.CheckPass, "from 12.5 to 4"},
		{"no baseline", okr.CheckTarget(kr(okr.Increase, nil, fp(50))), okr.CheckWarn, "no baseline"},
		{"no target", okr.CheckTarget(kr(okr.Increase, fp(30), nil)), okr.CheckFail, "no target"},
		{"target equals baseline", okr.CheckTarget(kr(okr.Decrease, fp(30), fp(30))), okr.CheckFail, "equals its baseline (30)"},
		{"increase going down", okr.CheckTarget(kr(okr.Increase, fp(30), fp(20))), okr.CheckFail, "target (20) is below its baseline (30)"},
		{"decrease going up", okr.CheckTarget(kr(okr.Decrease, fp(30), fp(40))), okr.CheckFail, "above its baseline"},
		{"maintain with a band", okr.CheckTarget(band(95, 99)), okr.CheckPass, "between 95 and 99"},
		{"maintain at one value", okr.CheckTarget(band(99, 99)), okr.CheckWarn, "single value (99)"},
		{"maintain without a band", okr.CheckTarget(krOf(okr.Maintain)), okr.CheckFail, "not within which band"},
		{"milestones", okr.CheckTarget(milestones(3)), okr.CheckPass, "3 milestones"},
		{"one milestone", okr.CheckTarget(milestones(1)), okr.CheckWarn, "single milestone"},
		{"no milestone", okr.CheckTarget(milestones(0)), okr.CheckFail, "without milestones"},
		{"boolean", okr.CheckTarget(krOf(okr.Boolean)), okr.CheckWarn, "milestone in disguise"},
	})
	if f := okr.CheckTarget(band(1, 2)); f.Field != "band" {
		t.Errorf("a maintain key result's target finding is beside %q, want band", f.Field)
	}
}

func TestCoachUnit(t *testing.T) {
	unit := func(u okr.Unit, label, currency string) okr.Finding {
		k := krOf(okr.Increase)
		k.Unit, k.UnitLabel, k.Currency = u, label, currency
		f, ok := okr.CheckUnit(k)
		if !ok {
			t.Fatal("unit not checked")
		}
		return f
	}
	runCoachCases(t, okr.RuleUnit, []coachCase{
		{"percent", unit(okr.UnitPercent, "", ""), okr.CheckPass, "percent"},
		{"labelled number", unit(okr.UnitNumber, "customers", ""), okr.CheckPass, "It counts customers."},
		{"currency", unit(okr.UnitCurrency, "", "eur"), okr.CheckPass, "EUR"},
		{"custom", unit(okr.UnitCustom, "ms", ""), okr.CheckPass, "measured in ms"},
		{"plain number", unit(okr.UnitNumber, "", ""), okr.CheckWarn, "plain number without a label"},
		{"no unit is a plain number", unit("", " ", ""), okr.CheckWarn, "plain number"},
		{"custom without label", unit(okr.UnitCustom, "", ""), okr.CheckFail, "custom unit without a label"},
		{"a unit from the KPI", func() okr.Finding {
			k := krOf(okr.Increase)
			k.Unit, k.UnitFrom = "", "its KPI"
			f, _ := okr.CheckUnit(k)
			return f
		}(), okr.CheckPass, "Its unit follows its KPI."},
		{"currency without code", unit(okr.UnitCurrency, "", ""), okr.CheckFail, "which currency"},
	})
	for _, kind := range []okr.KRKind{okr.Milestone, okr.Boolean} {
		if _, ok := okr.CheckUnit(krOf(kind)); ok {
			t.Errorf("a %s key result's unit is checked", kind)
		}
	}
}

func TestCoachDueDate(t *testing.T) {
	q1 := okr.CoachPeriod{Start: "2027-01-01", End: "2027-03-31"}
	due := func(d okr.Date) okr.CoachKeyResult {
		k := krOf(okr.Increase)
		k.DueDate = d
		return k
	}
	runCoachCases(t, okr.RuleDueDate, []coachCase{
		{"inside", okr.CheckDueDate(due("2027-02-15"), okr.Active, q1), okr.CheckPass, "due on 2027-02-15, inside"},
		{"at the end", okr.CheckDueDate(due("2027-03-31"), okr.Active, q1), okr.CheckPass, "2027-03-31"},
		{"unknown period", okr.CheckDueDate(due("2031-01-01"), okr.Active, okr.CoachPeriod{}), okr.CheckPass, "2031-01-01"},
		{"missing in a draft", okr.CheckDueDate(due(""), okr.Draft, q1), okr.CheckWarn, "The draft has no due date yet"},
		{"missing", okr.CheckDueDate(due(""), okr.Active, q1), okr.CheckWarn, "no due date"},
		{"after the period", okr.CheckDueDate(due("2027-04-01"), okr.Active, q1), okr.CheckFail, "2027-04-01 is outside the period (2027-01-01 to 2027-03-31)"},
		{"before the period", okr.CheckDueDate(due("2026-12-31"), okr.Active, q1), okr.CheckFail, "outside the period"},
		{"not a date", okr.CheckDueDate(due("31/03/2027"), okr.Active, q1), okr.CheckFail, "not a date"},
	})
}

func TestCoachOwner(t *testing.T) {
	owner := func(who, problem string) okr.CoachKeyResult {
		k := krOf(okr.Increase)
		k.Owner, k.OwnerProblem = who, problem
		return k
	}
	runCoachCases(t, okr.RuleOwner, []coachCase{
		{"known", okr.CheckOwner(owner("ada@example.com", "")), okr.CheckPass, "owned by ada@example.com"},
		{"none", okr.CheckOwner(owner("", "")), okr.CheckWarn, "no owner"},
		{"unknown", okr.CheckOwner(owner("zed@example.com", "No member has the e-mail zed@example.com.")), okr.CheckFail, "No member has the e-mail zed@example.com."},
	})
}

func TestCoachKeyResultOutcome(t *testing.T) {
	title := func(s string) okr.CoachKeyResult {
		k := krOf(okr.Increase)
		k.Title = s
		return k
	}
	runCoachCases(t, okr.RuleKeyResultOutcome, []coachCase{
		{"an outcome", okr.CheckKeyResultOutcome(title("Raise NPS from 30 to 50")), okr.CheckPass, "measures a result"},
		{"a verb with no count", okr.CheckKeyResultOutcome(title("Reduce first response time to 2 hours")), okr.CheckPass, "result"},
		{"interviews", okr.CheckKeyResultOutcome(title("Hold 10 customer interviews")), okr.CheckFail, `"hold" and a number`},
		{"blog posts", okr.CheckKeyResultOutcome(title("Publish 12 blog posts")), okr.CheckFail, `"publish"`},
		{"number of meetings", okr.CheckKeyResultOutcome(title("Increase the number of sales meetings")), okr.CheckFail, "counts activities (meetings)"},
		{"# of calls", okr.CheckKeyResultOutcome(title("# of discovery calls per week")), okr.CheckFail, "(calls)"},
		{"an activity noun", okr.CheckKeyResultOutcome(title("Cut time spent in meetings by a third")), okr.CheckWarn, "mentions an activity (meetings)"},
		{"a two-word activity noun", okr.CheckKeyResultOutcome(title("Merged pull requests reviewed within a day")), okr.CheckWarn, "(pull requests)"},
	})
}

func TestCoachAmbition(t *testing.T) {
	// Weekly values 10, 12, 14 from Jan 1: 2/7 a day; from Jan 15 to the end
	// of Mar 25 is 70 days, so the trend gains 20 and projects 34.
	history := series(t, jan1, []float64{0, 7, 14}, []float64{10, 12, 14})
	q1 := okr.CoachPeriod{Start: "2027-01-01", End: "2027-03-31", Points: 6}
	kr := func(kind okr.KRKind, target float64, h []okr.Point) okr.CoachKeyResult {
		k := krOf(kind)
		k.Baseline, k.Target, k.DueDate, k.History = fp(10), fp(target), "2027-03-25", h
		return k
	}
	th := okr.CoachThresholds{}
	run := func(k okr.CoachKeyResult) okr.Finding {
		f, ok := okr.CheckAmbition(k, q1, th)
		if !ok {
			t.Fatal("ambition not checked")
		}
		return f
	}
	falling := series(t, jan1, []float64{0, 7, 14}, []float64{14, 12, 10})
	runCoachCases(t, okr.RuleAmbition, []coachCase{
		{"on the trend", run(kr(okr.Increase, 34, history)), okr.CheckPass,
			"The target (34) needs 1 times the pace of its trend (the trend of its last 3 values projects 34 by 2027-03-25)."},
		{"twice the trend", run(kr(okr.Increase, 54, history)), okr.CheckPass, "needs 2 times"},
		{"lofty", run(kr(okr.Increase, 100, history)), okr.CheckWarn, "Lofty: the target (100) needs 4.3 times the pace"},
		{"too lofty", run(kr(okr.Increase, 150, history)), okr.CheckFail, "Too lofty: the target (150) needs 6.8 times"},
		{"too safe", run(kr(okr.Increase, 18, history)), okr.CheckWarn, "Too safe: the trend reaches the target (18) long before the due date"},
		{"already reached", run(kr(okr.Increase, 14, history)), okr.CheckFail, "Too safe: the latest value (14) already meets the target (14)."},
		{"trend away from the target", run(kr(okr.Increase, 20, falling)), okr.CheckWarn, "flat or moving away"},
		{"a decrease on a falling trend", run(kr(okr.Decrease, -10, falling)), okr.CheckPass, "needs 1 times"},
		{"a decrease already below", run(kr(okr.Decrease, 11, falling)), okr.CheckFail, "already meets"},
	})
	if f, ok := okr.CheckAmbition(kr(okr.Increase, 150, history), q1, okr.CoachThresholds{Lofty: 4}); !ok || f.Status != okr.CheckWarn {
		t.Errorf("with lofty 4, 6.8 times the pace gives %s, want warn", f.Status)
	}
	for name, k := range map[string]okr.CoachKeyResult{
		"two values":       kr(okr.Increase, 100, history[:2]),
		"no target":        func() okr.CoachKeyResult { k := kr(okr.Increase, 0, history); k.Target = nil; return k }(),
		"a maintain":       kr(okr.Maintain, 100, history),
		"due before value": func() okr.CoachKeyResult { k := kr(okr.Increase, 100, history); k.DueDate = "2027-01-10"; return k }(),
	} {
		if f, ok := okr.CheckAmbition(k, q1, th); ok {
			t.Errorf("%s: ambition checked (%s: %s), want not run", name, f.Status, f.Reason)
		}
	}
}

func TestCoachInitiativeAligned(t *testing.T) {
	runCoachCases(t, okr.RuleInitiativeAligned, []coachCase{
		{"linked", okr.CheckInitiativeAligned(okr.CoachInitiative{Ref: "i", Live: 2, Stale: 1}), okr.CheckPass, "It moves 2 key results."},
		{"only stale links", okr.CheckInitiativeAligned(okr.CoachInitiative{Ref: "i", Stale: 1}), okr.CheckWarn, "draft or closed objectives, or of another period"},
		{"no link", okr.CheckInitiativeAligned(okr.CoachInitiative{Ref: "i"}), okr.CheckFail, "ties back to nothing"},
	})
}

func TestCoachPersonLoad(t *testing.T) {
	th := okr.CoachThresholds{}
	load := func(o, k, i int) okr.Finding {
		return okr.CheckPersonLoad(okr.CoachPerson{Ref: "u1", Name: "Ada", Objectives: o, KeyResults: k, Initiatives: i}, th)
	}
	runCoachCases(t, okr.RulePersonLoad, []coachCase{
		{"within", load(3, 8, 6), okr.CheckPass, "Ada owns 3 objectives, 8 key results and 6 initiatives."},
		{"nothing", load(0, 1, 0), okr.CheckPass, "Ada owns 0 objectives, 1 key result and 0 initiatives."},
		{"one objective above", load(4, 2, 0), okr.CheckWarn, "Ada owns 4 objectives (limit 3): above the organization's limits."},
		{"at 1.5 times", load(1, 12, 9), okr.CheckWarn, "12 key results (limit 8) and 9 initiatives (limit 6)"},
		{"above 1.5 times", load(5, 9, 0), okr.CheckFail, "Ada owns 5 objectives (limit 3) and 9 key results (limit 8): far above"},
	})
	if f := okr.CheckPersonLoad(okr.CoachPerson{Ref: "u1", Objectives: 2}, okr.CoachThresholds{MaxObjectives: 1}); f.Status != okr.CheckFail {
		t.Errorf("2 objectives against a limit of 1: %s, want fail", f.Status)
	}
}

func TestCoachLearningNamesGap(t *testing.T) {
	runCoachCases(t, okr.RuleLearningNamesGap, []coachCase{
		{"both", okr.CheckLearningNamesGap(okr.CoachLearning{Ref: "l", Requirement: true, KeyResult: true}), okr.CheckPass, "names the skill gap it closes and the key result"},
		{"gap only", okr.CheckLearningNamesGap(okr.CoachLearning{Ref: "l", Requirement: true}), okr.CheckWarn, "not the key result"},
		{"key result only", okr.CheckLearningNamesGap(okr.CoachLearning{Ref: "l", KeyResult: true}), okr.CheckWarn, "not the skill requirement"},
		{"neither", okr.CheckLearningNamesGap(okr.CoachLearning{Ref: "l"}), okr.CheckFail, "names neither"},
	})
}

func TestCoachObjectiveFindingsAndStrength(t *testing.T) {
	q1 := okr.CoachPeriod{Start: "2027-01-01", End: "2027-03-31"}
	good := func(ref, title string) okr.CoachKeyResult {
		return okr.CoachKeyResult{Ref: ref, Title: title, Kind: okr.Increase, Unit: okr.UnitPercent, Baseline: fp(10), Target: fp(20),
			DueDate: "2027-03-31", Owner: "ada@example.com"}
	}
	o := okr.CoachObjective{Ref: "support", Title: "Customers get answers they trust, fast", Owner: okr.OwnerTeam, Contributes: 1,
		KeyResults: []okr.CoachKeyResult{good("support/csat", "Raise CSAT"), good("support/fcr", "Raise first-contact resolution"),
			good("support/calls", "Hold 10 customer calls")}}
	fs := okr.CoachObjectiveFindings(o, q1, okr.CoachThresholds{})
	var got []string
	for _, f := range fs {
		got = append(got, f.Ref+" "+f.Check+" "+string(f.Status))
	}
	want := []string{
		"support objective.key_result_count pass", "support objective.qualitative pass", "support objective.length pass",
		"support objective.outcome pass", "support objective.alignment pass",
	}
	for _, k := range []string{"support/csat", "support/fcr", "support/calls"} {
		outcome := "pass"
		if k == "support/calls" {
			outcome = "fail"
		}
		want = append(want, k+" key_result.target pass", k+" key_result.unit pass", k+" key_result.due_date pass",
			k+" key_result.owner pass", k+" key_result.outcome "+outcome)
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	// 19 passes and 1 fail out of 20; a warn counts half.
	if s := okr.Strength(fs); s != 19.0/20 {
		t.Errorf("strength = %v, want 0.95", s)
	}
	fs[0].Status = okr.CheckWarn
	if s := okr.Strength(fs); s != 18.5/20 {
		t.Errorf("strength with a warn = %v, want 0.925", s)
	}
	if p, w, f := okr.Tally(fs); p != 18 || w != 1 || f != 1 {
		t.Errorf("tally = %d/%d/%d, want 18/1/1", p, w, f)
	}
	if s := okr.Strength(nil); s != 1 {
		t.Errorf("strength of nothing = %v, want 1", s)
	}
}

func TestValidateCoachThresholds(t *testing.T) {
	if ps := okr.ValidateCoachThresholds(okr.DefaultCoachThresholds()); len(ps) != 0 {
		t.Errorf("defaults invalid: %v", ps)
	}
	bad := okr.DefaultCoachThresholds()
	bad.MinKeyResults, bad.MaxKeyResults, bad.MaxInitiatives, bad.Lofty = 6, 5, 0, 1
	var got []string
	for _, p := range okr.ValidateCoachThresholds(bad) {
		got = append(got, p.Field)
	}
	if want := []string{"max_initiatives_per_person", "min_key_results", "lofty"}; !slices.Equal(got, want) {
		t.Errorf("problems on %v, want %v", got, want)
	}
}
