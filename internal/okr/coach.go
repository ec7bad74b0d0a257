package okr

// The OKR coach: quality checks on objectives, key results, initiatives and
// people's load, each with a status, a reason and a prompt for the writer
// (DESIGN §4 "The OKR coach"). The checks are pure functions of what the
// caller gathered (CoachObjective, CoachInitiative, CoachPerson,
// CoachLearning); docs/coach.md lists them with examples.

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// CheckStatus is a check's verdict.
type CheckStatus string

// Check statuses.
const (
	CheckPass CheckStatus = "pass"
	CheckWarn CheckStatus = "warn"
	CheckFail CheckStatus = "fail"
)

// Finding is one check's verdict on one subject.
type Finding struct {
	// Check names the check, e.g. "objective.key_result_count".
	Check string `json:"check"`
	// Subject is what was checked: "objective", "key_result", "initiative",
	// "person" or "learning_objective"; Ref is its id, slug or e-mail, and
	// Field the input field the finding belongs beside (title, target…).
	Subject string `json:"subject" enum:"objective,key_result,initiative,person,learning_objective"`
	Ref     string `json:"ref"`
	// Title names the subject for people: its title, or a person's name.
	Title  string      `json:"title,omitempty"`
	Field  string      `json:"field,omitempty"`
	Status CheckStatus `json:"status" enum:"pass,warn,fail"`
	// Reason says what the check saw; Prompt asks the writer a question that
	// helps them improve it (empty on a pass).
	Reason string `json:"reason"`
	Prompt string `json:"prompt,omitempty"`
}

// Strength is (passes + half the warns) / checks, 1 when nothing was checked.
func Strength(fs []Finding) float64 {
	if len(fs) == 0 {
		return 1
	}
	var pts float64
	for _, f := range fs {
		switch f.Status {
		case CheckPass:
			pts++
		case CheckWarn:
			pts += 0.5
		}
	}
	return pts / float64(len(fs))
}

// Tally counts the findings of each status.
func Tally(fs []Finding) (pass, warn, fail int) {
	for _, f := range fs {
		switch f.Status {
		case CheckPass:
			pass++
		case CheckWarn:
			warn++
		case CheckFail:
			fail++
		}
	}
	return pass, warn, fail
}

// The checks' names (Finding.Check).
const (
	RuleKeyResultCount    = "objective.key_result_count"
	RuleQualitative       = "objective.qualitative"
	RuleLength            = "objective.length"
	RuleObjectiveOutcome  = "objective.outcome"
	RuleAlignment         = "objective.alignment"
	RuleTarget            = "key_result.target"
	RuleUnit              = "key_result.unit"
	RuleDueDate           = "key_result.due_date"
	RuleOwner             = "key_result.owner"
	RuleKeyResultOutcome  = "key_result.outcome"
	RuleAmbition          = "key_result.ambition"
	RuleInitiativeAligned = "initiative.aligned"
	RulePersonLoad        = "person.load"
	RuleLearningNamesGap  = "learning_objective.names_gap"
)

// The subjects of findings (Finding.Subject).
const (
	subjectObjective         = "objective"
	subjectKeyResult         = "key_result"
	subjectInitiative        = "initiative"
	subjectPerson            = "person"
	subjectLearningObjective = "learning_objective"
)

// CoachThresholds are the coach's limits, an organization setting
// (org.Settings.Coach). A zero field takes its default.
type CoachThresholds struct {
	// MinKeyResults and MaxKeyResults bound an objective's key results (3–5).
	MinKeyResults int `json:"min_key_results" doc:"Fewest key results an objective should have (default 3)."`
	MaxKeyResults int `json:"max_key_results" doc:"Most key results an objective should have (default 5)."`
	// MinTitleWords and MaxTitleWords bound an objective's title (4–18 words).
	MinTitleWords int `json:"min_title_words" doc:"Fewest words in an objective's title (default 4)."`
	MaxTitleWords int `json:"max_title_words" doc:"Most words in an objective's title (default 18)."`
	// MaxObjectives, MaxKeyResultsOwned and MaxInitiatives are what one person
	// should own in a period; above is a warning, above 1.5× a failure.
	MaxObjectives      int `json:"max_objectives_per_person" doc:"Objectives one person should own or champion in a period (default 3)."`
	MaxKeyResultsOwned int `json:"max_key_results_per_person" doc:"Key results one person should own in a period (default 8)."`
	MaxInitiatives     int `json:"max_initiatives_per_person" doc:"Initiatives one person should own in a period (default 6)."`
	// Lofty is how many times its own trend's pace a target may need before
	// it is flagged too lofty (twice that fails); a trend that gets there in
	// less than 1/Lofty of the time left flags it too safe.
	Lofty float64 `json:"lofty" doc:"A target needing more than this many times its trend's pace is too lofty (twice: fails); one the trend reaches in less than 1/lofty of the time left is too safe (default 3)."`
}

// DefaultCoachThresholds are a new organization's coach thresholds.
func DefaultCoachThresholds() CoachThresholds {
	return CoachThresholds{MinKeyResults: 3, MaxKeyResults: 5, MinTitleWords: 4, MaxTitleWords: 18,
		MaxObjectives: 3, MaxKeyResultsOwned: 8, MaxInitiatives: 6, Lofty: 3}
}

// WithDefaults fills the zero fields with their defaults.
func (t CoachThresholds) WithDefaults() CoachThresholds {
	d := DefaultCoachThresholds()
	for _, p := range []struct{ v, d *int }{
		{&t.MinKeyResults, &d.MinKeyResults}, {&t.MaxKeyResults, &d.MaxKeyResults},
		{&t.MinTitleWords, &d.MinTitleWords}, {&t.MaxTitleWords, &d.MaxTitleWords},
		{&t.MaxObjectives, &d.MaxObjectives}, {&t.MaxKeyResultsOwned, &d.MaxKeyResultsOwned},
		{&t.MaxInitiatives, &d.MaxInitiatives},
	} {
		if *p.v <= 0 {
			*p.v = *p.d
		}
	}
	if t.Lofty <= 0 {
		t.Lofty = d.Lofty
	}
	return t
}

// CoachProblem is one thing wrong with coach thresholds.
type CoachProblem struct{ Field, Message string }

// ValidateCoachThresholds checks thresholds as an administrator sets them:
// positive limits, minimums not above maximums, a lofty factor above 1.
func ValidateCoachThresholds(t CoachThresholds) []CoachProblem {
	var out []CoachProblem
	add := func(field, format string, args ...any) {
		out = append(out, CoachProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for _, p := range []struct {
		field string
		v     int
	}{
		{"min_key_results", t.MinKeyResults}, {"max_key_results", t.MaxKeyResults},
		{"min_title_words", t.MinTitleWords}, {"max_title_words", t.MaxTitleWords},
		{"max_objectives_per_person", t.MaxObjectives}, {"max_key_results_per_person", t.MaxKeyResultsOwned},
		{"max_initiatives_per_person", t.MaxInitiatives},
	} {
		if p.v < 1 || p.v > 100 {
			add(p.field, "must be a whole number from 1 to 100 (you sent %d)", p.v)
		}
	}
	if t.MinKeyResults > t.MaxKeyResults {
		add("min_key_results", "must not be above max_key_results (%d > %d)", t.MinKeyResults, t.MaxKeyResults)
	}
	if t.MinTitleWords > t.MaxTitleWords {
		add("min_title_words", "must not be above max_title_words (%d > %d)", t.MinTitleWords, t.MaxTitleWords)
	}
	if math.IsNaN(t.Lofty) || t.Lofty <= 1 || t.Lofty > 100 {
		add("lofty", "must be above 1 and at most 100 (a factor of the trend's pace, e.g. 3)")
	}
	return out
}

// CoachPeriod is what the checks know of the period: its bounds (empty when
// unknown), its time zone, and how many recent values a trend fits.
type CoachPeriod struct {
	Start, End Date
	Location   *time.Location
	// Points is how many of the latest values a trend fits (the organization's forecast points).
	Points int
}

func (p CoachPeriod) loc() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// CoachObjective is what the coach reads of an objective.
type CoachObjective struct {
	// Ref is the objective's id, or its slug when it is not stored.
	Ref   string
	Title string
	Owner OwnerType
	State ObjectiveState
	// Contributes and Supports count its alignments above it by link.
	Contributes, Supports int
	AlignmentNote         string
	KeyResults            []CoachKeyResult
}

// CoachKeyResult is what the coach reads of a key result.
type CoachKeyResult struct {
	// Ref is the key result's id, or "<objective slug>/<slug>" when it is not stored.
	Ref       string
	Title     string
	Kind      KRKind
	Unit      Unit
	UnitLabel string
	Currency  string
	// UnitFrom names where the unit comes from when the key result sets
	// none of its own ("its KPI"); then the unit is not judged.
	UnitFrom string
	// Baseline and Target are nil when not given.
	Baseline, Target *float64
	Band             *Band
	Milestones       int
	DueDate          Date
	// Owner names the owner (e-mail or name), empty when there is none;
	// OwnerProblem says why the owner is not a usable person, empty when it is.
	Owner        string
	OwnerProblem string
	// History is the key result's value history, oldest first: its check-ins,
	// its KPI's records or those of the key result it was carried from.
	History []Point
}

// CoachInitiative is what the coach reads of an initiative.
type CoachInitiative struct {
	Ref, Title string
	// Live counts its links to key results of active objectives of the
	// period; Stale its other links (draft or closed objectives, another
	// period, a key result that cannot be found).
	Live, Stale int
}

// CoachPerson is one person's load in a period.
type CoachPerson struct {
	// Ref is the person's id or e-mail; Name how reasons call them.
	Ref, Name string
	// Objectives they own or champion; key results and initiatives they own.
	Objectives, KeyResults, Initiatives int
}

// CoachLearning is what the coach reads of a learning objective.
type CoachLearning struct {
	Ref, Title string
	// Requirement and KeyResult report whether it names the skill
	// requirement whose gap it closes and the key result it serves.
	Requirement, KeyResult bool
}

func finding(check, subject, ref, title, field string, s CheckStatus, reason, prompt string) Finding {
	if s == CheckPass {
		prompt = ""
	}
	return Finding{Check: check, Subject: subject, Ref: ref, Title: title, Field: field, Status: s, Reason: reason, Prompt: prompt}
}

// CoachObjectiveFindings runs every check of an objective and of its key
// results, in a stable order: the objective's checks, then each key result's.
func CoachObjectiveFindings(o CoachObjective, p CoachPeriod, th CoachThresholds) []Finding {
	th = th.WithDefaults()
	fs := []Finding{
		CheckKeyResultCount(o, th),
		CheckQualitative(o),
		CheckTitleLength(o, th),
		CheckObjectiveOutcome(o),
	}
	if f, ok := CheckAlignment(o); ok {
		fs = append(fs, f)
	}
	for _, k := range o.KeyResults {
		fs = append(fs, KeyResultFindings(k, o.State, p, th)...)
	}
	return fs
}

// KeyResultFindings runs every check of a key result of an objective in state.
func KeyResultFindings(k CoachKeyResult, state ObjectiveState, p CoachPeriod, th CoachThresholds) []Finding {
	th = th.WithDefaults()
	fs := []Finding{CheckTarget(k)}
	if f, ok := CheckUnit(k); ok {
		fs = append(fs, f)
	}
	fs = append(fs, CheckDueDate(k, state, p), CheckOwner(k), CheckKeyResultOutcome(k))
	if f, ok := CheckAmbition(k, p, th); ok {
		fs = append(fs, f)
	}
	return fs
}

// CheckKeyResultCount: 3–5 key results pass; 1–2 or 6+ warn; none fails.
func CheckKeyResultCount(o CoachObjective, th CoachThresholds) Finding {
	th = th.WithDefaults()
	n := len(o.KeyResults)
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleKeyResultCount, subjectObjective, o.Ref, o.Title, "key_results", s, reason, prompt)
	}
	bounds := fmt.Sprintf("%d to %d", th.MinKeyResults, th.MaxKeyResults)
	switch {
	case n == 0:
		return f(CheckFail, "It has no key result: nothing says when it is achieved.",
			"How will you know, at the end of the period, that this objective was achieved? Write 3 measurable results that would show it.")
	case n < th.MinKeyResults:
		return f(CheckWarn, fmt.Sprintf("It has %s; %s measure an objective from more than one side.", Plural(n, "key result"), bounds),
			"Could the objective be met while this key result is met in a way nobody wanted? What second measure would catch that (quality next to quantity)?")
	case n > th.MaxKeyResults:
		return f(CheckWarn, fmt.Sprintf("It has %s; more than %d spreads the focus.", Plural(n, "key result"), th.MaxKeyResults),
			"Which of these key results matter most? Could the others become initiatives, or an objective of their own?")
	}
	return f(CheckPass, fmt.Sprintf("It has %s.", Plural(n, "key result")), "")
}

var timeToken = regexp.MustCompile(`^((19|20)\d\d|q[1-4]|h[12]|fy\d\d(\d\d)?|(19|20)\d\d-?(q[1-4]|h[12])|(q[1-4]|h[12])-?(19|20)\d\d)$`)

// words splits a title into words, without the punctuation around them.
func words(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '%' && r != '#' && r != '$' })
		w = strings.TrimRight(w, ".,;:!?")
		if w == "#" || strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// isNumber reports whether a word states a quantity: it starts with a digit,
// or with a sign or currency symbol before a digit (10%, $5M, +20, 3x).
func isNumber(w string) bool {
	w = strings.TrimLeft(w, "+-~<>≈#$€£¥")
	return w != "" && w[0] >= '0' && w[0] <= '9'
}

// CheckQualitative: an objective without numbers passes; one whose only numbers
// name a time (2027, Q3, H1, FY27) warns; any other number fails.
func CheckQualitative(o CoachObjective) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleQualitative, subjectObjective, o.Ref, o.Title, "title", s, reason, prompt)
	}
	var times, numbers []string
	for _, w := range words(o.Title) {
		switch {
		case timeToken.MatchString(w):
			times = append(times, w)
		case isNumber(w):
			numbers = append(numbers, w)
		}
	}
	switch {
	case len(numbers) > 0:
		return f(CheckFail, fmt.Sprintf("The title holds a number (%s): metrics belong in key results.", strings.Join(numbers, ", ")),
			"What change in the world would this number show? Say that in words, and move the number into a key result.")
	case len(times) > 0:
		return f(CheckWarn, fmt.Sprintf("The title names a time (%s): the period already says when.", strings.Join(times, ", ")),
			"Does the title read as well without the date? The period and the key results' due dates carry the time.")
	}
	return f(CheckPass, "The title is qualitative: it holds no number.", "")
}

// CheckTitleLength: 4–18 words pass; a few words outside warn; 2 words or fewer,
// or more than 7 above the maximum, fail.
func CheckTitleLength(o CoachObjective, th CoachThresholds) Finding {
	th = th.WithDefaults()
	n := len(words(o.Title))
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleLength, subjectObjective, o.Ref, o.Title, "title", s, reason, prompt)
	}
	short := "What should be different for whom when this is achieved? Say it in a sentence that would make someone want to help."
	long := "What is the one change this objective is about? Keep that in the title and move the how and the why into the description."
	switch {
	case n == 0 || n < th.MinTitleWords-1:
		return f(CheckFail, fmt.Sprintf("The title has %s: too short to say what should change (aim for %d to %d).", Plural(n, "word"), th.MinTitleWords, th.MaxTitleWords), short)
	case n < th.MinTitleWords:
		return f(CheckWarn, fmt.Sprintf("The title has %s; %d to %d say what should change and why it matters.", Plural(n, "word"), th.MinTitleWords, th.MaxTitleWords), short)
	case n > th.MaxTitleWords+7:
		return f(CheckFail, fmt.Sprintf("The title has %d words, far above %d: nobody will remember it.", n, th.MaxTitleWords), long)
	case n > th.MaxTitleWords:
		return f(CheckWarn, fmt.Sprintf("The title has %d words, above %d.", n, th.MaxTitleWords), long)
	}
	return f(CheckPass, fmt.Sprintf("The title has %d words.", n), "")
}

// verbForms returns the inflections of verbs: base, -s, -ed, -ing (with a
// doubled final consonant where English doubles it) and the irregular ones.
func verbForms(bases []string, irregular ...string) map[string]bool {
	m := map[string]bool{}
	for _, b := range bases {
		stem := strings.TrimSuffix(b, "e")
		m[b], m[b+"s"], m[b+"es"], m[stem+"ed"], m[stem+"ing"] = true, true, true, true, true
		if n := len(b); n >= 3 && strings.ContainsRune("bdgmnprt", rune(b[n-1])) && strings.ContainsRune("aeiou", rune(b[n-2])) &&
			!strings.ContainsRune("aeiou", rune(b[n-3])) {
			m[b+b[n-1:]+"ed"], m[b+b[n-1:]+"ing"] = true, true
		}
	}
	for _, w := range irregular {
		m[w] = true
	}
	return m
}

var (
	deliverableVerbs = verbForms([]string{"launch", "build", "ship", "deliver", "implement", "create", "develop", "release",
		"complete", "finish", "migrate", "deploy", "install", "introduce", "rebuild", "redesign", "rewrite", "upgrade",
		"integrate", "publish", "rollout"}, "built", "rebuilt", "rewritten", "rewrote")
	// deliverablePhrases are two-word deliverable verbs: the first word's forms before the second.
	deliverablePhrases = map[string]map[string]bool{
		"out":  verbForms([]string{"roll"}),
		"up":   verbForms([]string{"set"}, "setting"),
		"live": verbForms([]string{"go"}, "goes", "went", "gone", "going"),
	}
	// activityVerbs lead titles that count work done ("Hold 10 interviews");
	// verbs that also lead results ("make", "deliver", "meet", "record") are left out.
	activityVerbs = verbForms([]string{"hold", "conduct", "run", "publish", "write", "send", "post", "host", "organize",
		"organise", "attend", "call", "schedule", "perform", "interview", "visit", "produce", "complete", "present",
		"tweet", "blog", "contact", "email", "train", "onboard"},
		"held", "ran", "wrote", "written", "sent", "running")
	activityNouns = func() map[string]bool {
		m := map[string]bool{}
		// Nouns that also name results people look at (sessions, visits,
		// pages) are left out.
		for _, n := range []string{"meeting", "interview", "call", "post", "article", "email", "e-mail", "newsletter",
			"workshop", "webinar", "demo", "presentation", "training", "campaign", "tweet", "task", "commit",
			"pull request", "story point", "blog", "slide", "one-on-one", "1:1", "outreach", "touchpoint", "conference",
			"course"} {
			m[n], m[n+"s"] = true, true
		}
		return m
	}()
	countWords = map[string]bool{"number": true, "#": true, "count": true, "amount": true, "quantity": true, "total": true}
)

// deliverableAt reports the deliverable verb at words[i] (one or two words), or "".
func deliverableAt(ws []string, i int) string {
	if deliverableVerbs[ws[i]] {
		return ws[i]
	}
	if i+1 < len(ws) && deliverablePhrases[ws[i+1]][ws[i]] {
		return ws[i] + " " + ws[i+1]
	}
	return ""
}

// CheckObjectiveOutcome: an objective reads as an outcome, not a deliverable: a
// deliverable verb (launch, build, ship…) leading the title fails; one
// elsewhere in it warns.
func CheckObjectiveOutcome(o CoachObjective) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleObjectiveOutcome, subjectObjective, o.Ref, o.Title, "title", s, reason, prompt)
	}
	ws := words(o.Title)
	start := 0
	if len(ws) > 1 && ws[0] == "to" {
		start = 1
	}
	for i := start; i < len(ws); i++ {
		v := deliverableAt(ws, i)
		if v == "" {
			continue
		}
		if i == start {
			return f(CheckFail, fmt.Sprintf("The title starts with %q: it names a deliverable, not the outcome it should bring.", v),
				fmt.Sprintf("Suppose it is %s and nothing changes for anyone: would that count? Name the change it should bring (for customers, users, the team) and make the delivery an initiative.", pastTense(v)))
		}
		return f(CheckWarn, fmt.Sprintf("The title mentions %q: it may describe a deliverable rather than an outcome.", v),
			"Is the title about what changes, or about what you will make? If it is the making, what outcome is it for?")
	}
	return f(CheckPass, "The title reads as an outcome: it leads with no deliverable.", "")
}

// pastTense puts a deliverable verb phrase in the passive ("launched", "rolled out").
func pastTense(v string) string {
	first, rest, _ := strings.Cut(v, " ")
	irregular := map[string]string{"build": "built", "rebuild": "rebuilt", "rewrite": "rewritten", "set": "set", "go": "gone",
		"ship": "shipped"}
	if p, ok := irregular[first]; ok {
		first = p
	} else if !strings.HasSuffix(first, "ed") {
		first = strings.TrimSuffix(first, "e") + "ed"
	}
	return strings.TrimSpace(first + " " + rest)
}

// CheckAlignment: a team objective that contributes to an objective or key result
// above it passes; one that only supports, or aligns to nothing but says why,
// warns; one aligned to nothing without a note fails. A person's objective
// passes when aligned and warns when not. The organization's objectives are
// the top: not checked (ok is false).
func CheckAlignment(o CoachObjective) (Finding, bool) {
	f := func(s CheckStatus, reason, prompt string) (Finding, bool) {
		return finding(RuleAlignment, subjectObjective, o.Ref, o.Title, "alignments", s, reason, prompt), true
	}
	note := strings.TrimSpace(o.AlignmentNote)
	switch o.Owner {
	case OwnerTeam:
		switch {
		case o.Contributes > 0:
			return f(CheckPass, "It contributes to "+Plural(o.Contributes, "parent")+" above it (an objective or a key result).", "")
		case o.Supports > 0:
			return f(CheckWarn, "It only supports what is above it: its progress counts nowhere.",
				"Does achieving it move the parent's result? If so, make the link contributes; if not, why is the team doing it now?")
		case note != "":
			return f(CheckWarn, "It aligns to nothing above it; the note says why: "+note,
				"Is there really no organization objective this serves? If there is, align it; if not, should the organization have one?")
		}
		return f(CheckFail, "It aligns to nothing above it and does not say why.",
			"Which organization objective or key result does this move? Align it, or write an alignment note that says why it stands alone.")
	case OwnerUser:
		if o.Contributes+o.Supports > 0 {
			return f(CheckPass, "It aligns to "+Plural(o.Contributes+o.Supports, "parent")+" above it (an objective or a key result).", "")
		}
		return f(CheckWarn, "It aligns to nothing above it.",
			"Which team or organization objective does this help? Aligning it shows how your work adds up.")
	}
	return Finding{}, false
}

func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// CheckTarget: a key result has a baseline and a target it moves towards
// (increase or decrease; none or one equal to the baseline fails, a missing
// baseline warns), a band (maintain), milestones (milestone). A boolean key
// result warns: it is a milestone in disguise.
func CheckTarget(k CoachKeyResult) Finding {
	field := "target"
	switch k.Kind {
	case Maintain:
		field = "band"
	case Milestone:
		field = "milestones"
	}
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleTarget, subjectKeyResult, k.Ref, k.Title, field, s, reason, prompt)
	}
	switch k.Kind {
	case Maintain:
		switch {
		case k.Band == nil:
			return f(CheckFail, "It keeps a value but says not within which band.",
				"Between which low and high values is it fine? Outside them, what would you do?")
		case k.Band.Low >= k.Band.High:
			return f(CheckWarn, fmt.Sprintf("Its band is a single value (%s): any wobble misses it.", num(k.Band.Low)),
				"How far may the value move before it is a problem? Give the band a width.")
		}
		return f(CheckPass, fmt.Sprintf("It keeps the value between %s and %s.", num(k.Band.Low), num(k.Band.High)), "")
	case Milestone:
		switch k.Milestones {
		case 0:
			return f(CheckFail, "It is a milestone key result without milestones.",
				"Which steps, in order, show progress towards it? List them with their weights.")
		case 1:
			return f(CheckWarn, "It has a single milestone: progress is all or nothing.",
				"Which intermediate steps would show it is on its way? Or which number would show the result itself?")
		}
		return f(CheckPass, "It has "+Plural(k.Milestones, "milestone")+".", "")
	case Boolean:
		return f(CheckWarn, "A yes/no key result is a milestone in disguise: it shows no progress until the end.",
			"What number would move if this were done well? Measure that, or split it into milestones.")
	}
	down := k.Kind == Decrease
	switch {
	case k.Target == nil:
		return f(CheckFail, "It has no target.", "What value, by the due date, would mean the objective is achieved?")
	case k.Baseline != nil && *k.Baseline == *k.Target:
		return f(CheckFail, fmt.Sprintf("Its target equals its baseline (%s): there is nothing to move.", num(*k.Target)),
			"Where is the value today, and where should it be at the due date? If it should only stay there, make it a maintain key result with a band.")
	case k.Baseline != nil && !down && *k.Target < *k.Baseline:
		return f(CheckFail, fmt.Sprintf("It should increase, but its target (%s) is below its baseline (%s).", num(*k.Target), num(*k.Baseline)),
			"Should the value go down? Then make it a decrease key result; else check the baseline and the target.")
	case k.Baseline != nil && down && *k.Target > *k.Baseline:
		return f(CheckFail, fmt.Sprintf("It should decrease, but its target (%s) is above its baseline (%s).", num(*k.Target), num(*k.Baseline)),
			"Should the value go up? Then make it an increase key result; else check the baseline and the target.")
	case k.Baseline == nil:
		return f(CheckWarn, fmt.Sprintf("It has a target (%s) but no baseline to measure progress from.", num(*k.Target)),
			"Where does the value stand today? Measure it before you start, so that progress means something.")
	}
	return f(CheckPass, fmt.Sprintf("It moves from %s to %s.", num(*k.Baseline), num(*k.Target)), "")
}

// CheckUnit: a percentage, a currency with its code, or a labelled
// number or custom unit pass; a plain number without a label warns; a custom
// unit without a label, or a currency without a code, fails. Milestone and
// boolean key results have no unit: not checked (ok is false).
func CheckUnit(k CoachKeyResult) (Finding, bool) {
	if k.Kind == Milestone || k.Kind == Boolean {
		return Finding{}, false
	}
	f := func(s CheckStatus, reason, prompt string) (Finding, bool) {
		return finding(RuleUnit, subjectKeyResult, k.Ref, k.Title, "unit", s, reason, prompt), true
	}
	label := strings.TrimSpace(k.UnitLabel)
	if k.Unit == "" && k.UnitFrom != "" {
		return f(CheckPass, "Its unit follows "+k.UnitFrom+".", "")
	}
	switch k.Unit {
	case UnitPercent:
		return f(CheckPass, "It is measured in percent.", "")
	case UnitCurrency:
		if strings.TrimSpace(k.Currency) == "" {
			return f(CheckFail, "It is money, but in which currency is not said.", "Which currency is the amount in (EUR, USD…)?")
		}
		return f(CheckPass, "It is measured in "+strings.ToUpper(k.Currency)+".", "")
	case UnitCustom:
		if label == "" {
			return f(CheckFail, "It has a custom unit without a label.", "What is counted: customers, tickets, milliseconds? Name the unit.")
		}
		return f(CheckPass, "It is measured in "+label+".", "")
	}
	if label == "" {
		return f(CheckWarn, "It is a plain number without a label.",
			"A number of what? Label the unit (customers, tickets, days…) so that everyone reads it the same way.")
	}
	return f(CheckPass, "It counts "+label+".", "")
}

// CheckDueDate: a due date inside the period passes; one outside it (or not a
// date) fails; none warns (it will be the period's end).
func CheckDueDate(k CoachKeyResult, state ObjectiveState, p CoachPeriod) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleDueDate, subjectKeyResult, k.Ref, k.Title, "due_date", s, reason, prompt)
	}
	switch {
	case k.DueDate == "":
		reason := "It has no due date: it will be due at the period's end."
		if state == Draft {
			reason = "The draft has no due date yet: it will be due at the period's end."
		}
		return f(CheckWarn, reason, "When should the result be there? An earlier date for an early result makes the period's rhythm visible.")
	case !k.DueDate.Valid():
		return f(CheckFail, fmt.Sprintf("Its due date %q is not a date (YYYY-MM-DD).", k.DueDate), "Which day is it due? Write it as YYYY-MM-DD.")
	case p.Start != "" && k.DueDate < p.Start, p.End != "" && k.DueDate > p.End:
		return f(CheckFail, fmt.Sprintf("Its due date %s is outside the period (%s to %s).", k.DueDate, p.Start, p.End),
			"Does this key result belong to this period? Move its due date inside it, or the key result to the period it belongs to.")
	}
	return f(CheckPass, "It is due on "+string(k.DueDate)+", inside the period.", "")
}

// CheckOwner: one known owner passes; none warns; an owner who is not a member
// of the organization fails.
func CheckOwner(k CoachKeyResult) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleOwner, subjectKeyResult, k.Ref, k.Title, "owner", s, reason, prompt)
	}
	switch {
	case strings.TrimSpace(k.Owner) == "":
		return f(CheckWarn, "It has no owner.", "Who will check it in every week and speak for it? Name one person.")
	case k.OwnerProblem != "":
		return f(CheckFail, k.OwnerProblem, "Who in the organization owns it? Use a member's e-mail.")
	}
	return f(CheckPass, "It is owned by "+k.Owner+".", "")
}

// CheckKeyResultOutcome: a key result measures an outcome, not an activity count:
// an activity verb leading a title with a number ("Hold 10 customer
// interviews"), or a count of activities ("number of meetings"), fails; an
// activity noun elsewhere warns.
func CheckKeyResultOutcome(k CoachKeyResult) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleKeyResultOutcome, subjectKeyResult, k.Ref, k.Title, "title", s, reason, prompt)
	}
	ws := words(k.Title)
	nounAt := func(i int) string {
		if i+1 < len(ws) && activityNouns[ws[i]+" "+ws[i+1]] {
			return ws[i] + " " + ws[i+1]
		}
		if activityNouns[ws[i]] {
			return ws[i]
		}
		return ""
	}
	hasNumber := false
	for _, w := range ws {
		hasNumber = hasNumber || isNumber(w)
	}
	failPrompt := "What should these activities change? Measure that result (conversions, retention, time saved) and make the activities an initiative."
	if len(ws) > 0 && activityVerbs[ws[0]] && hasNumber {
		return f(CheckFail, fmt.Sprintf("It counts an activity (%q and a number): doing more of it does not show the objective is met.", ws[0]), failPrompt)
	}
	for i, w := range ws {
		if !countWords[w] && !(w == "how" && i+1 < len(ws) && ws[i+1] == "many") {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4; j++ {
			if n := nounAt(j); n != "" {
				return f(CheckFail, fmt.Sprintf("It counts activities (%s): doing more of them does not show the objective is met.", n), failPrompt)
			}
		}
	}
	for i := range ws {
		if n := nounAt(i); n != "" {
			return f(CheckWarn, fmt.Sprintf("It mentions an activity (%s): it may measure effort rather than the result.", n),
				"If this number moved and nothing else did, would the objective be closer? If not, what would?")
		}
	}
	return f(CheckPass, "It measures a result, not an activity count.", "")
}

// CheckAmbition compares an increase or decrease target with the key result's
// own trend (least squares over its last values, as the forecast fits):
// from the latest value to the due date, a target that needs more than
// Lofty times the trend's pace warns (too lofty), more than twice that
// fails; one the trend reaches in less than 1/Lofty of the time left warns
// (too safe); one the latest value already meets fails. A flat trend or one
// moving away from the target warns. With fewer than 3 values, or no target
// or due date after the latest value, the check does not run (ok is false).
func CheckAmbition(k CoachKeyResult, p CoachPeriod, th CoachThresholds) (Finding, bool) {
	th = th.WithDefaults()
	if (k.Kind != Increase && k.Kind != Decrease) || k.Target == nil || len(k.History) < MinForecastPoints {
		return Finding{}, false
	}
	due, err := k.DueDate.Time(p.loc())
	if err != nil {
		return Finding{}, false
	}
	_, slope, _, ok := Fit(k.History, p.Points)
	if !ok {
		return Finding{}, false
	}
	last := k.History[len(k.History)-1]
	days := due.AddDate(0, 0, 1).Sub(last.At).Hours() / 24
	if days <= 0 {
		return Finding{}, false
	}
	f := func(s CheckStatus, reason, prompt string) (Finding, bool) {
		return finding(RuleAmbition, subjectKeyResult, k.Ref, k.Title, "target", s, reason, prompt), true
	}
	dir := 1.0
	if k.Kind == Decrease {
		dir = -1
	}
	target := *k.Target
	needed := dir * (target - last.Value)
	gain := dir * slope * days
	projected := last.Value + slope*days
	trend := fmt.Sprintf("the trend of its last %s projects %s by %s", Plural(min(len(k.History), max(p.Points, MinForecastPoints)), "value"), num(projected), k.DueDate)
	if needed <= 0 {
		return f(CheckFail, fmt.Sprintf("Too safe: the latest value (%s) already meets the target (%s).", num(last.Value), num(target)),
			"What would be a stretch from where you are today? Raise the target, or measure something that still has to change.")
	}
	if gain <= 0 {
		return f(CheckWarn, fmt.Sprintf("The trend is flat or moving away from the target: %s, against a target of %s.", trend, num(target)),
			"What will change to turn the trend? Name the initiatives that will, or set a target the team believes in.")
	}
	ratio := needed / gain
	switch {
	case ratio > 2*th.Lofty:
		return f(CheckFail, fmt.Sprintf("Too lofty: the target (%s) needs %s times the pace of its trend (%s).", num(target), num(ratio), trend),
			"What would have to be true to go that fast? If nothing will change in how the work is done, a target this far out burns people out: bring it closer.")
	case ratio > th.Lofty:
		return f(CheckWarn, fmt.Sprintf("Lofty: the target (%s) needs %s times the pace of its trend (%s).", num(target), num(ratio), trend),
			"What will you do differently to go that much faster? If the answer is unclear, is this an aspirational objective?")
	case ratio < 1/th.Lofty:
		return f(CheckWarn, fmt.Sprintf("Too safe: the trend reaches the target (%s) long before the due date (%s).", num(target), trend),
			"Would the result come anyway, without this key result? What target would take real effort?")
	}
	return f(CheckPass, fmt.Sprintf("The target (%s) needs %s times the pace of its trend (%s).", num(target), num(ratio), trend), "")
}

// CheckInitiativeAligned: an initiative linked to a key result of an active
// objective of the period passes; one linked only to key results of draft or
// closed objectives or of another period warns; one linked to none fails.
func CheckInitiativeAligned(in CoachInitiative) Finding {
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleInitiativeAligned, subjectInitiative, in.Ref, in.Title, "key_results", s, reason, prompt)
	}
	switch {
	case in.Live > 0:
		return f(CheckPass, "It moves "+Plural(in.Live, "key result")+".", "")
	case in.Stale > 0:
		return f(CheckWarn, "It moves only key results of draft or closed objectives, or of another period.",
			"Is this work still needed now? Link it to a key result it moves this period, or stop it.")
	}
	return f(CheckFail, "It is linked to no key result: it ties back to nothing.",
		"Which key result will this work move? Link it, or ask whether it should be done at all.")
}

// CheckPersonLoad: a person who owns (or champions) no more objectives, key
// results and initiatives than the limits passes; above a limit warns; above
// 1.5 times a limit fails (lofty loads lead to burnout).
func CheckPersonLoad(p CoachPerson, th CoachThresholds) Finding {
	th = th.WithDefaults()
	status := CheckPass
	var over []string
	parts := []string{}
	for _, c := range []struct {
		n, limit int
		word     string
	}{
		{p.Objectives, th.MaxObjectives, "objective"},
		{p.KeyResults, th.MaxKeyResultsOwned, "key result"},
		{p.Initiatives, th.MaxInitiatives, "initiative"},
	} {
		parts = append(parts, Plural(c.n, c.word))
		switch {
		case float64(c.n) > 1.5*float64(c.limit):
			status = CheckFail
			over = append(over, fmt.Sprintf("%s (limit %d)", Plural(c.n, c.word), c.limit))
		case c.n > c.limit:
			if status == CheckPass {
				status = CheckWarn
			}
			over = append(over, fmt.Sprintf("%s (limit %d)", Plural(c.n, c.word), c.limit))
		}
	}
	name := p.Name
	if name == "" {
		name = p.Ref
	}
	reason := fmt.Sprintf("%s owns %s.", name, joinAnd(parts))
	if len(over) > 0 {
		reason = fmt.Sprintf("%s owns %s: above the organization's limits.", name, joinAnd(over))
		if status == CheckFail {
			reason = fmt.Sprintf("%s owns %s: far above the organization's limits.", name, joinAnd(over))
		}
	}
	return finding(RulePersonLoad, subjectPerson, p.Ref, name, "", status, reason,
		fmt.Sprintf("Can %s give each of these the attention it needs? Which could move to someone else, become a contribution rather than ownership, or wait for the next period?", name))
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// CheckLearningNamesGap: a learning objective that names both the skill
// requirement whose gap it closes and the key result it serves passes; one
// of the two warns; neither fails.
func CheckLearningNamesGap(l CoachLearning) Finding {
	field := ""
	switch {
	case !l.Requirement:
		field = "requirement_id"
	case !l.KeyResult:
		field = "key_result_id"
	}
	f := func(s CheckStatus, reason, prompt string) Finding {
		return finding(RuleLearningNamesGap, subjectLearningObjective, l.Ref, l.Title, field, s, reason, prompt)
	}
	switch {
	case l.Requirement && l.KeyResult:
		return f(CheckPass, "It names the skill gap it closes and the key result it serves.", "")
	case l.KeyResult:
		return f(CheckWarn, "It names the key result it serves but not the skill requirement whose gap it closes.",
			"Which requirement (skill and level) does the key result need that people do not have yet? Link it, so the gap analysis can show it closing.")
	case l.Requirement:
		return f(CheckWarn, "It names the skill gap but not the key result it serves.",
			"Which key result will move once this skill is learned? Link it, so the learning shows up where it pays off.")
	}
	return f(CheckFail, "It names neither the skill gap it closes nor the key result it serves.",
		"Why does this person or team need the skill now? Name the requirement whose gap it closes and the key result it serves.")
}
