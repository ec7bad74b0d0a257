package demo

import (
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// The learning side of the demo: seed 003's skills-level OKRs as skills,
// requirements, assessments, a catalog, enrollments and learning key results
// whose values move by themselves as people pass. Everything here is data;
// learning.go turns it into use-case calls. Skills are named by name, role
// profiles by name, programs, learning key results and learning objectives
// by key, people, teams, objectives and key results by their keys in
// content.go.

// Names the docs and the browser tests refer to.
const (
	// ConflictProgram is the certification the support team takes; its
	// external id is the activity id an LMS posts xAPI statements about.
	ConflictProgram           = "Advanced Conflict Resolution Certification"
	ConflictProgramExternalID = "https://lms.northwind.test/courses/conflict-resolution"
	// SupportKeyResult is Shop Support's learning key result over the
	// conflict-resolution certification.
	SupportKeyResult    = "Certify 80% of the support team in conflict resolution"
	SchedulingKeyResult = "Raise the share of project managers competent in the scheduling software from 0% to 100%"
	AgileKeyResult      = "Grow the Agile-certified engineers of Northwind Labs from 1 to 5"
)

// customSkills are the organization's own skills; the others come from ESCO
// (data/esco_skills.csv, imported as is).
var customSkills = []skillSpec{
	{"Scrum facilitation", "Runs sprint planning, reviews and retrospectives so that the team inspects and adapts.",
		"Agile delivery", ""},
	{"Software development", "Designs, writes, tests and reviews software to the team's standards (SFIA: PROG).",
		"Engineering", learning.SFIAScaleID},
	{"Help-desk ticket triage", "Sorts incoming tickets by urgency and routes each to the right queue and person.",
		"Customer support", ""},
}

type skillSpec struct {
	name, description, category, scaleID string
}

// need is a skill required at a level by so many people.
type need struct {
	skill            string
	level, headcount int
	optional         bool
}

type roleSpec struct {
	name, description string
	holders           []string
	needs             []need
}

// roles are the role profiles, created with their requirements by the owner.
var roles = []roleSpec{
	{"Support agent", "Answers shoppers by e-mail, chat and phone, resolves complaints and calms escalations.",
		[]string{"liam", "priya"}, []need{
			{"resolve conflicts", 3, 2, false},
			{"handle customer complaints", 3, 2, false},
			{"communicate with customers", 3, 2, false},
		}},
	{"Project manager", "Plans and runs a rollout or change project: schedules, coordinates the clinics, keeps the plan honest.",
		[]string{"helena", "marcus", "tomas"}, []need{
			{"use scheduling software", 3, 3, false},
			{"manage time", 3, 2, false},
		}},
	{"Scrum master", "Coaches a team in Scrum: facilitates its events and removes what slows it down.",
		[]string{"elena", "oliver"}, []need{
			{"Agile project management", 4, 2, false},
			{"Scrum facilitation", 3, 2, false},
		}},
	{"Software engineer", "Builds and runs Northwind Labs' product in small, reviewed increments.",
		[]string{"elena", "noah", "fatima"}, []need{
			{"Software development", 4, 3, false},
			{"Agile project management", 3, 3, false},
		}},
}

// subjectRef names a requirement's subject: a team, objective or key result
// by its key in content.go, a role profile by name.
type subjectRef struct {
	typ learning.SubjectType
	key string
}

type requirementSpec struct {
	key     string // for the learning objectives that close its gap
	actor   string
	subject subjectRef
	need
}

// requirements are those of teams, objectives and key results, each set by
// someone who may: the team's lead, the objective's author.
var requirements = []requirementSpec{
	// Shop Support: seed 003's "train all support staff in advanced conflict resolution".
	{"support.conflict", "sofia", subjectRef{learning.SubjectTeam, "shop-support"}, need{"resolve conflicts", 3, 3, false}},
	{"", "sofia", subjectRef{learning.SubjectTeam, "shop-support"}, need{"handle customer complaints", 3, 3, false}},
	{"", "sofia", subjectRef{learning.SubjectTeam, "shop-support"}, need{"communicate with customers", 3, 2, true}},
	{"", "sofia", subjectRef{learning.SubjectObjective, "shop-support"}, need{"apply de-escalation techniques", 3, 3, false}},
	{"", "sofia", subjectRef{learning.SubjectKeyResult, "shop.escalated"}, need{"show empathy", 3, 2, false}},
	{"", "daniel", subjectRef{learning.SubjectKeyResult, "shop.prioritization"}, need{"Help-desk ticket triage", 3, 2, false}},
	// Care Front Desk: "administrative staff complete proficiency assessments in scheduling software".
	{"desk.scheduling", "marcus", subjectRef{learning.SubjectTeam, "care-front-desk"}, need{"use scheduling software", 3, 3, false}},
	{"", "marcus", subjectRef{learning.SubjectTeam, "care-front-desk"}, need{"manage appointments", 3, 2, false}},
	{"", "marcus", subjectRef{learning.SubjectKeyResult, "care.errors"}, need{"manage appointments", 4, 1, false}},
	// Labs Platform: "certify all developers in Agile methodologies".
	{"", "elena", subjectRef{learning.SubjectTeam, "labs-platform"}, need{"Agile project management", 3, 3, false}},
	{"", "elena", subjectRef{learning.SubjectTeam, "labs-platform"}, need{"Software development", 4, 2, true}},
	{"", "elena", subjectRef{learning.SubjectObjective, "labs-agile"}, need{"Scrum facilitation", 3, 2, false}},
	// The draft for the quarter in planning: the demand forecast.
	{"", "kenji", subjectRef{learning.SubjectObjective, "next-labs"}, need{"Software development", 5, 2, false}},
	{"", "kenji", subjectRef{learning.SubjectKeyResult, "next.incidents"}, need{"Agile project management", 4, 2, false}},
}

type assessmentSpec struct {
	who, skill string
	level      int
	source     learning.Source
	by         string // the assessor; the person themselves for self
	daysBefore int    // the date: so many days before the active quarter
	note       string
}

// assessments are what okra knew before the quarter, of every source and
// age: those older than the decay window (365 days) count one level lower.
var assessments = []assessmentSpec{
	// Shop.
	{"sofia", "resolve conflicts", 3, learning.SourceManager, "daniel", 430, "Mediation course with the previous employer."},
	{"sofia", "manage conflict", 4, learning.SourceManager, "daniel", 430, "Ran the complaints desk through the 2024 carrier switch."},
	{"sofia", "handle customer complaints", 4, learning.SourceManager, "daniel", 60, ""},
	{"sofia", "communicate with customers", 4, learning.SourceSelf, "sofia", 200, ""},
	{"sofia", "Help-desk ticket triage", 4, learning.SourceManager, "daniel", 60, "Wrote the priority rules."},
	{"liam", "resolve conflicts", 2, learning.SourceSelf, "liam", 10, ""},
	{"liam", "handle customer complaints", 3, learning.SourceManager, "sofia", 30, ""},
	{"liam", "communicate with customers", 4, learning.SourcePeer, "priya", 45, "Liam's macros are the ones we all copy."},
	{"liam", "apply de-escalation techniques", 2, learning.SourcePeer, "priya", 45, ""},
	{"liam", "Help-desk ticket triage", 3, learning.SourceManager, "sofia", 30, ""},
	{"priya", "resolve conflicts", 2, learning.SourceManager, "sofia", 30, ""},
	{"priya", "handle customer complaints", 3, learning.SourceSelf, "priya", 15, ""},
	{"priya", "apply de-escalation techniques", 1, learning.SourceSelf, "priya", 15, ""},
	{"priya", "show empathy", 4, learning.SourcePeer, "liam", 40, "Customers ask for Priya by name."},
	{"priya", "communicate with customers", 3, learning.SourceManager, "sofia", 30, ""},
	{"daniel", "customer service", 4, learning.SourceCertification, ownerKey, 500, "Customer service management certificate."},
	// The CEO, who signs in to the demo.
	{ownerKey, "customer service", 4, learning.SourceSelf, ownerKey, 20, ""},
	{ownerKey, "manage time", 3, learning.SourceSelf, ownerKey, 420, "Ran the 2024 planning offsite."},
	{ownerKey, "Agile project management", 2, learning.SourcePeer, "kenji", 60, "Sponsors the Labs pilots; learning the vocabulary."},
	// Care.
	{"helena", "use scheduling software", 2, learning.SourceSelf, "helena", 14, ""},
	{"marcus", "use scheduling software", 2, learning.SourceSelf, "marcus", 14, ""},
	{"marcus", "manage appointments", 4, learning.SourceManager, "helena", 500, ""},
	{"marcus", "manage time", 3, learning.SourceManager, "helena", 90, ""},
	{"aisha", "use scheduling software", 2, learning.SourceSelf, "aisha", 14, ""},
	{"aisha", "manage appointments", 3, learning.SourceManager, "marcus", 100, ""},
	{"tomas", "use scheduling software", 1, learning.SourceSelf, "tomas", 14, "Never used the old system either."},
	{"tomas", "manage time", 2, learning.SourceSelf, "tomas", 200, ""},
	// Labs.
	{"elena", "Agile project management", 4, learning.SourceCertification, "kenji", 400, "Professional Scrum certificate, not renewed."},
	{"elena", "Software development", 5, learning.SourceManager, "kenji", 120, ""},
	{"noah", "Agile project management", 2, learning.SourceSelf, "noah", 10, ""},
	{"noah", "Software development", 3, learning.SourceManager, "elena", 60, ""},
	{"noah", "Scrum facilitation", 2, learning.SourcePeer, "fatima", 30, ""},
	{"fatima", "Agile project management", 2, learning.SourcePeer, "noah", 25, ""},
	{"fatima", "Software development", 4, learning.SourceManager, "elena", 60, ""},
	{"oliver", "Agile project management", 3, learning.SourceSelf, "oliver", 30, ""},
	{"oliver", "Scrum facilitation", 3, learning.SourceManager, "kenji", 400, ""},
	{"kenji", "Agile project management", 4, learning.SourceSelf, "kenji", 100, ""},
}

type programSpec struct {
	key, title, description string
	author                  string // an admin
	kind                    learning.ProgramKind
	provider, externalID    string
	url                     string
	hours                   float64
	cost                    string // EUR; "" for none
	passMark                float64
	skills                  []taughtSpec
}

type taughtSpec struct {
	skill string
	level int
}

// programs is the learning catalog. The titles are those of the sample LMS
// completion report (internal/learning/testdata/lms_completions.csv).
var programs = []programSpec{
	{key: "conflict", title: ConflictProgram, author: "daniel", kind: learning.KindCertification,
		description: "Seed 003's certification for customer service representatives: active listening, de-escalation, " +
			"negotiation and a role-play assessment. Two cohorts, half a day a week.",
		provider: "Mediation Academy Europe", externalID: ConflictProgramExternalID, url: ConflictProgramExternalID,
		hours: 12, cost: "1540.00", passMark: 80,
		skills: []taughtSpec{{"resolve conflicts", 3}, {"apply de-escalation techniques", 3}, {"manage conflict", 3}}},
	{key: "scheduling", title: "Scheduling Software Essentials", author: "helena", kind: learning.KindELearning,
		description: "The vendor's e-learning for the new clinic scheduler, with a sandbox clinic and a proficiency test at the end.",
		provider:    "ClinicFlow Academy", externalID: "https://lms.northwind.test/courses/scheduling-essentials",
		url: "https://lms.northwind.test/courses/scheduling-essentials", hours: 3, cost: "90.00", passMark: 70,
		skills: []taughtSpec{{"use scheduling software", 3}}},
	{key: "agile", title: "Agile Project Management, Foundation", author: "kenji", kind: learning.KindCertification,
		description: "A Certified ScrumMaster-style course: two days of Scrum and Kanban with an accredited trainer, a practice " +
			"sprint with a coach, then the exam.",
		provider: "Agile Guild", externalID: "https://lms.northwind.test/courses/agile-foundation",
		url: "https://lms.northwind.test/courses/agile-foundation", hours: 16, cost: "1300.00", passMark: 75,
		skills: []taughtSpec{{"Agile project management", 3}, {"Scrum facilitation", 2}}},
	{key: "deescalation", title: "De-escalation on the Phone", author: "daniel", kind: learning.KindWorkshop,
		description: "A half-day workshop of role-plays with real (anonymized) calls: scripts for angry and anxious callers.",
		provider:    "internal", hours: 4, cost: "350.00",
		skills: []taughtSpec{{"apply de-escalation techniques", 2}, {"listen actively", 3}, {"show empathy", 3}}},
	{key: "superuser", title: "Scheduling Super-User Mentorship", author: "helena", kind: learning.KindMentorship,
		description: "Weekly sessions with a colleague who masters the scheduler, on the live calendar of a clinic.",
		provider:    "internal", hours: 8,
		skills: []taughtSpec{{"use scheduling software", 3}}},
	{key: "time", title: "Time Management for Project Leads", author: "helena", kind: learning.KindCourse,
		description: "A short video course: planning a week around a project, protecting focus time, saying no.",
		provider:    "LinkedIn Learning", hours: 2.5, cost: "29.99",
		skills: []taughtSpec{{"manage time", 3}}},
	{key: "pairing", title: "Platform Pairing Rotation", author: "kenji", kind: learning.KindOnTheJob,
		description: "Four weeks pairing with a senior engineer of another squad on production work.",
		provider:    "internal", hours: 20,
		skills: []taughtSpec{{"Software development", 4}}},
}

type learningKRSpec struct {
	key, objective, owner, title string
	measure                      learning.MeasureType
	program, skill               string // program key; skill name
	level                        int
	population                   subjectRef // a team (key) or a role profile (name)
	unit                         okr.Unit
	baseline, target             float64
	// The owner's own check-in at the latest weekly check-in: confidence and
	// status only, as the value comes from learning records.
	status     okr.Status
	confidence float64
	note       string
}

// learningKRs are the learning key results (source learning), one per case study.
var learningKRs = []learningKRSpec{
	{key: "learn.conflict", objective: "shop-support", owner: "sofia", title: SupportKeyResult,
		measure: learning.CompletionRate, program: "conflict", population: subjectRef{learning.SubjectTeam, "shop-support"},
		unit: okr.UnitPercent, baseline: 0, target: 80, status: okr.OnTrack, confidence: 0.7,
		note: "Two of three certified. Priya retakes the exam with Sofia as her mentor before the quarter ends."},
	{key: "learn.scheduling", objective: "care-front-desk", owner: "marcus", title: SchedulingKeyResult,
		measure: learning.AtLevelShare, skill: "use scheduling software", level: 3, population: subjectRef{learning.SubjectRole, "Project manager"},
		unit: okr.UnitPercent, baseline: 0, target: 100, status: okr.AtRisk, confidence: 0.55,
		note: "Tomás did not pass the e-learning; Aisha mentors him on the live calendar before the retake."},
	{key: "learn.agile", objective: "labs-agile", owner: "elena", title: AgileKeyResult,
		measure: learning.CertifiedCount, skill: "Agile project management", level: 3, population: subjectRef{learning.SubjectTeam, "labs"},
		unit: okr.UnitNumber, baseline: 1, target: 5, status: okr.OnTrack, confidence: 0.65,
		note: "Oliver and Noah passed; Fatima sits the exam next, and Kenji took the last seat of the cohort."},
}

type learningObjectiveSpec struct {
	key, actor     string
	user, team     string // person or team key
	skill          string
	level, dueDays int // due so many days after the quarter's first day
	requirement    string
	keyResult      string // a learning key result's key
	programs       []string
	note           string
}

var learningObjectives = []learningObjectiveSpec{
	{key: "support", actor: "sofia", team: "shop-support", skill: "resolve conflicts", level: 3, dueDays: 80,
		requirement: "support.conflict", keyResult: "learn.conflict", programs: []string{"conflict"},
		note: "Every agent certified: calm escalations are what the escalated-ticket CSAT measures."},
	{key: "tomas", actor: "marcus", user: "tomas", skill: "use scheduling software", level: 3, dueDays: 85,
		requirement: "desk.scheduling", keyResult: "learn.scheduling", programs: []string{"scheduling", "superuser"},
		note: "Retake the e-learning after four weeks of mentoring on the live calendar."},
}

// verb is what a step of the learning history does.
type verb int

const (
	assignTeam verb = iota // actor assigns program to team (for learning objective lo)
	enroll                 // actor enrolls who in program (for lo)
	progress               // who reports progress (value, 0–1) and hours in program
	finish                 // who completes program, which has no pass mark
	result                 // actor records who's score (value) in program: passed or failed against its pass mark
	rate                   // who rates program (level 1–5) with text
	assess                 // actor assesses who in skill at level
	plan                   // actor sets learning objective lo
	pair                   // actor records mentor mentoring who in skill
	tell                   // actor gives who feedback (text) as relation, about who's enrollment in program or about skill
)

// stepSpec is one step of the learning history, at a share (0–1) of the
// weeks of history.
type stepSpec struct {
	at                   float64
	verb                 verb
	actor, who, mentor   string
	team, program, skill string
	lo, relation, text   string
	level, dueDays       int
	value, hours         float64
	source               learning.Source
	visibility           learning.FeedbackVisibility
}

// history is the quarter's learning, in time order: assignments, progress,
// passes and failures (which move the learning key results by themselves),
// ratings, a mentorship after each failure, feedback.
var history = []stepSpec{
	{at: 0.00, verb: plan, actor: "sofia", lo: "support"},
	{at: 0.00, verb: assignTeam, actor: "sofia", team: "shop-support", program: "conflict", dueDays: 75, lo: "support"},
	{at: 0.01, verb: assignTeam, actor: "marcus", team: "care-front-desk", program: "scheduling", dueDays: 42},
	{at: 0.02, verb: enroll, actor: "helena", who: "helena", program: "scheduling", dueDays: 42},
	{at: 0.03, verb: enroll, actor: "kenji", who: "oliver", program: "agile", dueDays: 60},
	{at: 0.03, verb: enroll, actor: "kenji", who: "noah", program: "agile", dueDays: 60},
	{at: 0.03, verb: enroll, actor: "kenji", who: "fatima", program: "agile", dueDays: 80},
	{at: 0.04, verb: enroll, actor: "liam", who: "liam", program: "deescalation"},
	{at: 0.04, verb: enroll, actor: "priya", who: "priya", program: "deescalation"},
	{at: 0.05, verb: enroll, actor: "elena", who: "noah", program: "pairing", dueDays: 80},
	{at: 0.06, verb: enroll, actor: "helena", who: "tomas", program: "time", dueDays: 70},
	{at: 0.06, verb: enroll, actor: ownerKey, who: ownerKey, program: "agile", dueDays: 90},
	{at: 0.06, verb: enroll, actor: ownerKey, who: ownerKey, program: "time", dueDays: 12},
	{at: 0.07, verb: enroll, actor: ownerKey, who: ownerKey, program: "deescalation", dueDays: 60},
	{at: 0.08, verb: progress, who: "sofia", program: "conflict", value: 0.3, hours: 3},
	{at: 0.08, verb: progress, who: "liam", program: "conflict", value: 0.2, hours: 2},
	{at: 0.09, verb: progress, who: "priya", program: "conflict", value: 0.1, hours: 1},
	{at: 0.10, verb: progress, who: "aisha", program: "scheduling", value: 0.5, hours: 1},
	{at: 0.10, verb: progress, who: "marcus", program: "scheduling", value: 0.3, hours: 1},
	{at: 0.11, verb: progress, who: "tomas", program: "scheduling", value: 0.2, hours: 0.5},
	{at: 0.12, verb: progress, who: "oliver", program: "agile", value: 0.25, hours: 4},
	{at: 0.12, verb: progress, who: "noah", program: "agile", value: 0.2, hours: 3},
	{at: 0.12, verb: progress, who: ownerKey, program: "agile", value: 0.35, hours: 5},
	{at: 0.18, verb: result, actor: "helena", who: "aisha", program: "scheduling", value: 95, hours: 3},
	{at: 0.19, verb: rate, who: "aisha", program: "scheduling", level: 5, text: "Short and practical: the sandbox clinic made it stick."},
	{at: 0.24, verb: result, actor: "daniel", who: "sofia", program: "conflict", value: 92, hours: 11},
	{at: 0.25, verb: rate, who: "sofia", program: "conflict", level: 4, text: "Demanding role-plays with real tickets. The theory of mediation models could be shorter."},
	{at: 0.30, verb: result, actor: "helena", who: "marcus", program: "scheduling", value: 84, hours: 3.5},
	{at: 0.31, verb: rate, who: "marcus", program: "scheduling", level: 4, text: "A good overview; I wanted more on rotas across several clinics."},
	{at: 0.34, verb: finish, who: "liam", program: "deescalation", hours: 4},
	{at: 0.34, verb: rate, who: "liam", program: "deescalation", level: 5, text: "The phone role-plays were the best hour of training I have had."},
	{at: 0.35, verb: finish, who: "priya", program: "deescalation", hours: 4},
	{at: 0.35, verb: rate, who: "priya", program: "deescalation", level: 4, text: "Useful scripts for angry callers."},
	{at: 0.40, verb: result, actor: "kenji", who: "oliver", program: "agile", value: 81, hours: 16},
	{at: 0.41, verb: rate, who: "oliver", program: "agile", level: 3, text: "A good trainer, but day one was too much theory."},
	{at: 0.44, verb: result, actor: "helena", who: "tomas", program: "scheduling", value: 54, hours: 2.5},
	{at: 0.45, verb: rate, who: "tomas", program: "scheduling", level: 2, text: "Too fast for someone who never used the old system either."},
	{at: 0.47, verb: plan, actor: "marcus", lo: "tomas"},
	{at: 0.48, verb: pair, actor: "marcus", mentor: "aisha", who: "tomas", skill: "use scheduling software",
		text: "Two sessions a week on the live calendar at Riverside, then the retake."},
	{at: 0.49, verb: enroll, actor: "marcus", who: "tomas", program: "superuser", dueDays: 80, lo: "tomas"},
	{at: 0.50, verb: assess, actor: "fatima", who: "fatima", skill: "Agile project management", level: 3, source: learning.SourceSelf},
	{at: 0.55, verb: result, actor: "daniel", who: "priya", program: "conflict", value: 72, hours: 10},
	{at: 0.56, verb: rate, who: "priya", program: "conflict", level: 3, text: "The role-plays went well; the written exam on mediation models caught me out."},
	{at: 0.57, verb: tell, actor: "sofia", who: "priya", relation: "manager", program: "conflict", visibility: learning.VisibleRecipient,
		text: "Your role-plays were the calmest of the cohort. The written part is about mediation models: " +
			"we go through them together before the retake."},
	{at: 0.58, verb: pair, actor: "sofia", mentor: "sofia", who: "priya", skill: "resolve conflicts",
		text: "An hour every Thursday: the mediation models, then real escalations side by side."},
	{at: 0.60, verb: result, actor: ownerKey, who: "helena", program: "scheduling", value: 88, hours: 3},
	{at: 0.62, verb: enroll, actor: "sofia", who: "priya", program: "conflict", dueDays: 85, lo: "support"},
	{at: 0.66, verb: progress, who: "noah", program: "pairing", value: 0.5, hours: 10},
	{at: 0.70, verb: result, actor: "daniel", who: "liam", program: "conflict", value: 88, hours: 12.5},
	{at: 0.71, verb: rate, who: "liam", program: "conflict", level: 5, text: "Hard but fair. I use the de-escalation steps every day now."},
	{at: 0.78, verb: result, actor: "kenji", who: "noah", program: "agile", value: 86, hours: 16},
	{at: 0.79, verb: rate, who: "noah", program: "agile", level: 4, text: "The practice sprint with a coach was worth the two days."},
	{at: 0.80, verb: tell, actor: "aisha", who: "tomas", relation: "mentor", skill: "use scheduling software", visibility: learning.VisibleManagers,
		text: "You now book series across clinics without help. Next: cancellations and waiting lists, the part the test weighs most."},
	{at: 0.85, verb: progress, who: "fatima", program: "agile", value: 0.65, hours: 7.5},
	{at: 0.90, verb: progress, who: "priya", program: "conflict", value: 0.4, hours: 5},
	{at: 0.93, verb: progress, who: "tomas", program: "superuser", value: 0.6, hours: 5},
}
