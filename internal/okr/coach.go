package okr

// The OKR coach: quality checks on objectives, key results, initiatives and
// people's load, each with a status, a reason and a prompt for the writer
// (DESIGN §4 "The OKR coach"). The checks are pure functions of a CoachSet.

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
	Subject string      `json:"subject" enum:"objective,key_result,initiative,person,learning_objective"`
	Ref     string      `json:"ref"`
	Field   string      `json:"field,omitempty"`
	Status  CheckStatus `json:"status" enum:"pass,warn,fail"`
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
