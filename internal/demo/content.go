package demo

import (
	"github.com/okrahq/okra/internal/okr"
	"github.com/okrahq/okra/internal/org"
)

// The demo organization: seed 003's three case studies (e-commerce,
// healthcare, a technology start-up) as three business units of one group,
// each with CEO-level, team-level and skills-level OKRs, plus seed 004's
// initiatives. Everything here is data; seed.go turns it into use-case calls.

// Names the command line and the docs refer to.
const (
	OrgName       = "Northwind Group"
	OrgSlug       = "northwind"
	OwnerEmail    = "ceo@northwind.test"
	OwnerPassword = "northwind-demo"
	ownerName     = "Charlotte Brennan"
	timeZone      = "Europe/Berlin"
	ownerKey      = "ceo"
)

type personSpec struct {
	key, name, email string
	role             org.Role
}

// people are the members besides the owner (key "ceo").
var people = []personSpec{
	{"daniel", "Daniel Okafor", "daniel.okafor@northwind.test", org.RoleAdmin},
	{"sofia", "Sofia Marin", "sofia.marin@northwind.test", org.RoleMember},
	{"liam", "Liam Chen", "liam.chen@northwind.test", org.RoleMember},
	{"priya", "Priya Nair", "priya.nair@northwind.test", org.RoleMember},
	{"helena", "Helena Kowalski", "helena.kowalski@northwind.test", org.RoleAdmin},
	{"marcus", "Marcus Johnson", "marcus.johnson@northwind.test", org.RoleMember},
	{"aisha", "Aisha Rahman", "aisha.rahman@northwind.test", org.RoleMember},
	{"tomas", "Tomás Ortega", "tomas.ortega@northwind.test", org.RoleMember},
	{"kenji", "Kenji Watanabe", "kenji.watanabe@northwind.test", org.RoleAdmin},
	{"elena", "Elena Petrova", "elena.petrova@northwind.test", org.RoleMember},
	{"noah", "Noah Williams", "noah.williams@northwind.test", org.RoleMember},
	{"fatima", "Fatima Zahra", "fatima.zahra@northwind.test", org.RoleMember},
	{"oliver", "Oliver Brandt", "oliver.brandt@northwind.test", org.RoleMember},
	{"grace", "Grace Mensah", "grace.mensah@northwind.test", org.RoleViewer},
}

type teamSpec struct {
	key, name, parent, lead string
	members                 []string
}

// teams form the tree company → business units → their teams; parents come first.
var teams = []teamSpec{
	{"group", "Northwind Group", "", ownerKey, []string{"daniel", "helena", "kenji", "grace"}},
	{"shop", "Northwind Shop", "group", "daniel", []string{"sofia"}},
	{"shop-support", "Shop Support", "shop", "sofia", []string{"liam", "priya"}},
	{"care", "Northwind Care", "group", "helena", []string{"marcus", "tomas"}},
	{"care-front-desk", "Care Front Desk", "care", "marcus", []string{"aisha", "tomas"}},
	{"labs", "Northwind Labs", "group", "kenji", []string{"elena", "oliver"}},
	{"labs-platform", "Labs Platform", "labs", "elena", []string{"noah", "fatima"}},
	{"labs-product", "Labs Product", "labs", "oliver", []string{"fatima"}},
}

// ownerRef says who owns an objective: the organization, a team (key) or a person (key).
type ownerRef struct {
	typ okr.OwnerType
	key string
}

var orgOwned = ownerRef{typ: okr.OwnerOrg}

func teamOwned(key string) ownerRef   { return ownerRef{okr.OwnerTeam, key} }
func personOwned(key string) ownerRef { return ownerRef{okr.OwnerUser, key} }

// alignRef aligns an objective to a parent objective or key result (by key).
type alignRef struct {
	objective, keyResult string
	link                 okr.Link
}

type objectiveSpec struct {
	key, title, description string
	// author creates it; champion is accountable for it.
	author, champion string
	owner            ownerRef
	kind             okr.ObjectiveKind
	visibility       okr.Visibility
	state            okr.ObjectiveState
	weight           float64 // 0: the default (1)
	tags             []string
	align            []alignRef
	// together: its owner checks in all its key results at once (an objective check-in).
	together bool
	// next: it is a draft for the quarter in planning (never checked in).
	next bool
	krs  []krSpec
}

// mood is the shape of a key result's check-in history.
type mood int

const (
	steady     mood = iota // on plan all along
	ahead                  // faster than plan
	slipping               // on plan, then stalls: at risk
	recovering             // behind and at risk, then catches up
	failing                // moves the wrong way: at risk, then off track
	silent                 // added at the latest check-in, not checked in yet: pending
	stale                  // on plan, but its owner stopped checking in: outdated
)

// never is a doneAt that is never reached.
const never = 2.0

type milestoneSpec struct {
	title  string
	weight float64
}

type blockerSpec struct {
	typ         okr.BlockerType
	description string
	owner       string // person key
	next        string
	dueDays     int // after the check-in
}

type krSpec struct {
	key, title, owner string
	kind              okr.KRKind
	unit              okr.Unit
	label, currency   string
	baseline, target  float64
	band              *okr.Band
	milestones        []milestoneSpec
	weight            float64 // 0: the default (1)
	indicator         okr.Indicator
	source            okr.Source

	// The check-in history.
	mood mood
	// step is the precision values are written with (0.1 when zero).
	step float64
	// doneAt: a boolean key result turns true at this share of the history.
	doneAt float64
	// blockers are named while it is not on track.
	blockers []blockerSpec
	// notes are its owner's own words for its last check-ins, oldest first.
	notes []string
}

func band(low, high float64) *okr.Band { return &okr.Band{Low: low, High: high} }

// objectives of the demo, parents before children.
var objectives = []objectiveSpec{
	// ---- Northwind Shop: case study one (e-commerce).
	{
		key: "shop", title: "Give every shopper support worth recommending to a friend",
		description: "CEO-level objective of **Northwind Shop** (seed 003, case study one): the organizational objective " +
			"is to *enhance customer support quality*. The numbers live in the key results: customer satisfaction " +
			"up by a fifth, resolution time down by almost a third, and a training program that reaches every agent.",
		author: ownerKey, champion: "daniel", owner: orgOwned, tags: []string{"shop", "customer-experience"},
		krs: []krSpec{
			{key: "shop.csat", title: "Raise customer satisfaction (CSAT) from 72% to 86%", owner: "daniel",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 72, target: 86, weight: 2, mood: steady,
				notes: []string{
					"Post-purchase survey response rate is up too, so the trend is not just a few happy voices.",
					"The *where is my parcel* macro rewrite shows in the comments: fewer follow-up questions.",
				}},
			{key: "shop.resolution", title: "Cut average resolution time from 30 to 21 hours", owner: "sofia",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "hours", baseline: 30, target: 21, weight: 1.5, mood: recovering,
				blockers: []blockerSpec{{okr.BlockerResource, "Two agents out sick during the spring sale; the backlog doubled.", "sofia",
					"Borrow two people from fulfilment for the returns queue until the backlog is under a day.", 7}},
				notes: []string{
					"Backlog under one day again. The returns queue is the slowest; the chatbot pilot targets it next.",
				}},
			{key: "shop.training", title: "Run a company-wide customer support training program", owner: "daniel",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 0, target: 100, source: okr.SourceChildren,
				indicator: okr.Leading, mood: steady},
		},
	},
	{
		key: "shop-support", title: "Equip every support agent to resolve conflicts with confidence",
		description: "Team-level OKR of **Shop Support**: *train all support staff in advanced conflict resolution " +
			"techniques*. It feeds the company's training key result.",
		author: "sofia", champion: "sofia", owner: teamOwned("shop-support"), tags: []string{"shop", "skills", "training"},
		align: []alignRef{{keyResult: "shop.training", link: okr.Contributes}},
		krs: []krSpec{
			{key: "shop.certified", title: "Certify 12 support agents in advanced conflict resolution", owner: "sofia",
				kind: okr.Increase, unit: okr.UnitCustom, label: "agents", baseline: 0, target: 12, weight: 2, step: 1, mood: steady,
				notes: []string{"Cohort one passed; cohort two starts on the 1st of next month."}},
			{key: "shop.program", title: "Launch the conflict-resolution certification with an accredited provider", owner: "sofia",
				kind: okr.Boolean, weight: 0.5, doneAt: 0.3, indicator: okr.Leading, mood: steady},
			{key: "shop.escalated", title: "Raise CSAT on escalated tickets from 58% to 75%", owner: "liam",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 58, target: 75, mood: steady},
		},
	},
	{
		key: "shop-routing", title: "Route every ticket to the right hands at the right moment",
		description: "Team-level OKR of **Northwind Shop**: *implement a ticket prioritization system to improve efficiency*.",
		author:      "daniel", champion: "daniel", owner: teamOwned("shop"), weight: 1.5, tags: []string{"shop", "operations"},
		align: []alignRef{{objective: "shop", link: okr.Contributes}},
		krs: []krSpec{
			{key: "shop.prioritization", title: "Roll out the ticket prioritization system to every queue", owner: "daniel",
				kind: okr.Milestone, mood: steady, milestones: []milestoneSpec{
					{"Agree the priority rules with the support leads", 1},
					{"Pilot in the returns queue", 2},
					{"Roll out to every queue", 3},
					{"Retire the shared inbox", 1},
				}},
			{key: "shop.sla", title: "Keep first-response SLA attainment between 95% and 100%", owner: "sofia",
				kind: okr.Maintain, unit: okr.UnitPercent, band: band(95, 100), mood: steady},
			{key: "shop.reopened", title: "Reduce tickets reopened after closure from 14% to 8%", owner: "priya",
				kind: okr.Decrease, unit: okr.UnitPercent, baseline: 14, target: 8, weight: 0.5, mood: ahead},
			{key: "shop.refunds", title: "Lower the monthly cost of complaint refunds from EUR 48,000 to EUR 36,000", owner: "daniel",
				kind: okr.Decrease, unit: okr.UnitCurrency, currency: "EUR", baseline: 48000, target: 36000, step: 100, mood: failing,
				blockers: []blockerSpec{
					{okr.BlockerExternal, "A carrier strike in the Benelux delays parcels; *late delivery* refunds tripled.", "daniel",
						"Ask the carrier for a service credit and switch Benelux parcels to the backup carrier.", 10},
					{okr.BlockerApproachNotWorking, "Goodwill vouchers instead of refunds did not stick: customers ask for cash back.", "priya",
						"Tag every complaint refund by cause for two weeks, then decide with data.", 14},
				},
				notes: []string{
					"Worse again. Half of the increase is the carrier strike, half is damaged goods from one supplier.",
					"Escalated in the leadership sync: we keep the target and fix the causes rather than the vouchers.",
				}},
		},
	},
	{
		key: "liam", title: "Become the go-to person for calming difficult customer conversations",
		description: "Skills-level OKR (seed 003): *customer service representatives complete a conflict resolution " +
			"certification* and *improve individual response time metrics by 25%*.",
		author: "liam", champion: "liam", owner: personOwned("liam"), together: true, tags: []string{"shop", "skills"},
		align: []alignRef{{objective: "shop-support", link: okr.Contributes}},
		krs: []krSpec{
			{key: "liam.cert", title: "Complete the conflict-resolution certification", kind: okr.Milestone, mood: steady,
				milestones: []milestoneSpec{{"Active listening module", 1}, {"De-escalation module", 1}, {"Negotiation module", 1}, {"Final assessment", 2}}},
			{key: "liam.response", title: "Improve my median first-response time from 40 to 30 minutes",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "minutes", baseline: 40, target: 30, mood: steady},
			{key: "liam.csat", title: "Raise CSAT on my escalated tickets from 60% to 78%",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 60, target: 78, weight: 1.5, mood: steady},
		},
	},
	{
		key: "priya", title: "Build calm, confident habits for the toughest customer calls",
		description: "A personal skills objective, kept private between Priya and her lead.",
		author:      "priya", champion: "priya", owner: personOwned("priya"), visibility: okr.Private, weight: 0.5, together: true,
		tags:  []string{"shop", "skills"},
		align: []alignRef{{objective: "shop-support", link: okr.Contributes}},
		krs: []krSpec{
			{key: "priya.exam", title: "Pass the conflict-resolution certification exam", kind: okr.Boolean, doneAt: never, mood: recovering,
				blockers: []blockerSpec{{okr.BlockerPriorityConflict, "Covering the returns backlog left no time for the certification modules.", "sofia",
					"Block two hours on Tuesdays and Thursdays for study.", 7}}},
			{key: "priya.response", title: "Cut my median first-response time from 45 to 34 minutes",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "minutes", baseline: 45, target: 34, mood: recovering},
		},
	},

	// ---- Northwind Care: case study two (healthcare clinics).
	{
		key: "care", title: "Make every clinic visit calm, punctual and predictable",
		description: "CEO-level objective of **Northwind Care** (seed 003, case study two): the organizational " +
			"objective is to *streamline clinic operations*, with patients seen within a quarter of an hour.",
		author: ownerKey, champion: "helena", owner: orgOwned, tags: []string{"care", "operations"},
		krs: []krSpec{
			{key: "care.wait", title: "Bring average patient wait time from 22 minutes to under 15", owner: "helena",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "minutes", baseline: 22, target: 15, weight: 2, mood: slipping,
				blockers: []blockerSpec{{okr.BlockerResource, "Two receptionists are on parental leave at Riverside; the pilot clinic runs one desk short.", "marcus",
					"Borrow a coordinator from the Harbour clinic on Mondays and Fridays.", 7}},
				notes: []string{
					"Flat for the third week. Mornings are fine; the 16:00–18:00 peak is where the minutes go.",
				}},
			{key: "care.rollout", title: "Deploy the new scheduling software across all clinics", owner: "helena",
				kind: okr.Milestone, weight: 1.5, mood: steady, milestones: []milestoneSpec{
					{"Sign the vendor contract", 1},
					{"Pilot at the Riverside clinic", 2},
					{"Migrate the appointment history", 2},
					{"Go live in every clinic", 3},
				}},
			{key: "care.compliance", title: "Reach 100% compliance with the new scheduling protocols", owner: "marcus",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 64, target: 100, source: okr.SourceChildren, mood: steady},
		},
	},
	{
		key: "care-front-desk", title: "Make the new scheduling system second nature at every front desk",
		description: "Team-level OKR of **Care Front Desk**: *train administrative staff on the new scheduling " +
			"software within two months*. Its progress is the company's protocol-compliance key result.",
		author: "marcus", champion: "marcus", owner: teamOwned("care-front-desk"), tags: []string{"care", "skills", "training"},
		align: []alignRef{{keyResult: "care.compliance", link: okr.Contributes}},
		krs: []krSpec{
			{key: "care.trained", title: "Train all 18 administrative staff on the new scheduling software", owner: "marcus",
				kind: okr.Increase, unit: okr.UnitCustom, label: "staff", baseline: 0, target: 18, step: 1, indicator: okr.Leading, mood: ahead},
			{key: "care.proficiency", title: "Raise the share of front-desk staff passing the proficiency assessment from 0% to 100%", owner: "marcus",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 0, target: 100, weight: 1.5, mood: steady},
			{key: "care.errors", title: "Reduce scheduling errors from 25 to 20 per week", owner: "aisha",
				kind: okr.Decrease, unit: okr.UnitNumber, baseline: 25, target: 20, step: 1, mood: steady},
			{key: "care.audit", title: "Keep protocol adherence in weekly audits between 98% and 100%", owner: "tomas",
				kind: okr.Maintain, unit: okr.UnitPercent, band: band(98, 100), weight: 0.5, mood: stale},
		},
	},
	{
		key: "care-flow", title: "Spot scheduling bottlenecks before patients feel them",
		description: "Team-level OKR of **Northwind Care**: *develop a system to monitor and flag scheduling " +
			"bottlenecks*. It supports the company objective without counting in it, and only the Care team sees it.",
		author: "helena", champion: "tomas", owner: teamOwned("care"), visibility: okr.Team, kind: okr.Aspirational,
		tags: []string{"care", "operations"}, align: []alignRef{{objective: "care", link: okr.Supports}},
		krs: []krSpec{
			{key: "care.dashboard", title: "Put a bottleneck dashboard live in every clinic", owner: "tomas",
				kind: okr.Milestone, mood: steady, milestones: []milestoneSpec{
					{"Define the bottleneck signals with the clinic managers", 1},
					{"Dashboard live at the Riverside pilot", 2},
					{"Dashboard live in every clinic", 2},
				}},
			{key: "care.flagged", title: "Flag 90% of overbooked slots at least a day ahead", owner: "tomas",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 40, target: 90, mood: silent},
			{key: "care.noshow", title: "Reduce the no-show rate from 11% to 8%", owner: "marcus",
				kind: okr.Decrease, unit: okr.UnitPercent, baseline: 11, target: 8, mood: recovering,
				blockers: []blockerSpec{{okr.BlockerDependency, "SMS reminders wait for the vendor's messaging module.", "tomas",
					"Send reminders from the old system until the module ships.", 10}}},
		},
	},
	{
		key: "aisha", title: "Become a scheduling power user my colleagues can lean on",
		description: "Skills-level OKR (seed 003): *administrative staff complete proficiency assessments in scheduling " +
			"software* and *reduce individual scheduling errors by 20%*.",
		author: "aisha", champion: "aisha", owner: personOwned("aisha"), together: true, tags: []string{"care", "skills"},
		align: []alignRef{{objective: "care-front-desk", link: okr.Contributes}},
		krs: []krSpec{
			{key: "aisha.errors", title: "Reduce my scheduling errors from 10 to 8 per week",
				kind: okr.Decrease, unit: okr.UnitNumber, baseline: 10, target: 8, step: 1, mood: steady},
			{key: "aisha.assessment", title: "Pass the scheduling proficiency assessment at advanced level",
				kind: okr.Boolean, doneAt: 0.5, mood: steady},
			{key: "aisha.coaching", title: "Run 6 peer coaching sessions on the new scheduler",
				kind: okr.Increase, unit: okr.UnitCustom, label: "sessions", baseline: 0, target: 6, step: 1, mood: steady},
		},
	},

	// ---- Northwind Labs: case study three (technology start-up).
	{
		key: "labs", title: "Turn Northwind Labs into a fast, dependable product engine",
		description: "CEO-level objective of **Northwind Labs** (seed 003, case study three): the organizational " +
			"objective is to *increase development efficiency*, accelerating the product cycle by a quarter to " +
			"*launch three new product features by Q3*.",
		author: ownerKey, champion: "kenji", owner: orgOwned, kind: okr.Aspirational, tags: []string{"labs", "engineering"},
		krs: []krSpec{
			{key: "labs.features", title: "Launch 3 new product features", owner: "kenji",
				kind: okr.Increase, unit: okr.UnitCustom, label: "features", baseline: 0, target: 3, weight: 2, step: 1, mood: steady},
			{key: "labs.cycle", title: "Reduce development cycle time from 12 to 9 days", owner: "elena",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "days", baseline: 12, target: 9, weight: 1.5, mood: slipping,
				blockers: []blockerSpec{{okr.BlockerDependency, "The CI migration waits for runner capacity; builds still queue for 40 minutes.", "noah",
					"Finance approved the runners; move the integration suite first.", 7}},
				notes: []string{"Stuck at the same number: review wait and CI queues eat what the smaller stories saved."}},
			{key: "labs.agile", title: "Ensure Agile adoption across all development teams", owner: "kenji",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 0, target: 100, source: okr.SourceChildren,
				indicator: okr.Leading, mood: steady},
		},
	},
	{
		key: "labs-agile", title: "Make Agile the everyday way every developer works",
		description: "Team-level OKR of **Labs Platform**: *certify all developers in Agile methodologies* and " +
			"*conduct bi-weekly sprint reviews to track progress*.",
		author: "elena", champion: "elena", owner: teamOwned("labs-platform"), tags: []string{"labs", "skills", "agile"},
		align: []alignRef{{keyResult: "labs.agile", link: okr.Contributes}},
		krs: []krSpec{
			{key: "labs.certified", title: "Certify 100% of developers in Agile methodologies, up from 10%", owner: "elena",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 10, target: 100, weight: 2, mood: steady},
			{key: "labs.path", title: "Open an Agile certification path with an accredited provider", owner: "kenji",
				kind: okr.Boolean, weight: 0.5, doneAt: 0.15, indicator: okr.Leading, mood: steady},
			{key: "labs.reviews", title: "Hold 6 bi-weekly sprint reviews with stakeholders", owner: "noah",
				kind: okr.Increase, unit: okr.UnitCustom, label: "reviews", baseline: 0, target: 6, step: 1, indicator: okr.Leading, mood: steady},
			{key: "labs.reliability", title: "Keep sprint commitment reliability between 80% and 95%", owner: "fatima",
				kind: okr.Maintain, unit: okr.UnitPercent, band: band(80, 95), mood: recovering,
				blockers: []blockerSpec{{okr.BlockerClarity, "Stories reach the sprint without acceptance criteria and grow mid-sprint.", "oliver",
					"Refinement checklist: no story enters a sprint without acceptance criteria.", 7}}},
		},
	},
	{
		key: "labs-product", title: "Put new features in customers' hands with less waiting",
		description: "Team-level OKR of **Labs Product**: the features the company objective counts, shipped in small, " +
			"frequent releases.",
		author: "oliver", champion: "oliver", owner: teamOwned("labs-product"), tags: []string{"labs", "product"},
		align: []alignRef{{objective: "labs", link: okr.Contributes}},
		krs: []krSpec{
			{key: "labs.train", title: "Ship the release train for smart search and bulk editing", owner: "oliver",
				kind: okr.Milestone, mood: steady, milestones: []milestoneSpec{
					{"Beta of smart search", 1},
					{"Beta of bulk editing", 1},
					{"General availability of both", 2},
				}},
			{key: "labs.adoption", title: "Raise adoption of new features among active customers from 0% to 30%", owner: "oliver",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 0, target: 30, mood: steady},
			{key: "labs.reviewwait", title: "Cut pull-request review wait from 30 to 12 hours", owner: "fatima",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "hours", baseline: 30, target: 12, mood: recovering,
				blockers: []blockerSpec{{okr.BlockerPriorityConflict, "Reviewers are pulled into incident work first.", "elena",
					"A daily review slot after stand-up, protected from incidents unless severity one.", 7}}},
			{key: "labs.revenue", title: "Grow recurring revenue from new features from EUR 0 to EUR 120,000", owner: "oliver",
				kind: okr.Increase, unit: okr.UnitCurrency, currency: "EUR", baseline: 0, target: 120000, weight: 1.5, step: 500, mood: ahead},
		},
	},
	{
		key: "noah", title: "Grow into a confident Agile practitioner",
		description: "Skills-level OKR (seed 003): *developers complete Agile certification courses* and *improve " +
			"individual task completion time metrics by 15%*.",
		author: "noah", champion: "noah", owner: personOwned("noah"), together: true, tags: []string{"labs", "skills", "agile"},
		align: []alignRef{{objective: "labs-agile", link: okr.Contributes}},
		krs: []krSpec{
			{key: "noah.course", title: "Complete the Agile certification course", kind: okr.Milestone, mood: steady,
				milestones: []milestoneSpec{{"Scrum foundations", 1}, {"Kanban and flow", 1}, {"Practice sprint with a coach", 1}, {"Certification exam", 2}}},
			{key: "noah.tasks", title: "Improve my average task completion time from 3.4 to 2.9 days",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "days", baseline: 3.4, target: 2.9, step: 0.05, mood: steady},
			{key: "noah.facilitate", title: "Facilitate 3 sprint reviews",
				kind: okr.Increase, unit: okr.UnitCustom, label: "reviews", baseline: 0, target: 3, step: 1, mood: steady},
		},
	},
	{
		key: "fatima", title: "Sharpen my review craft so teammates never wait on me",
		description: "A personal skills objective behind the team's review-wait key result.",
		author:      "fatima", champion: "fatima", owner: personOwned("fatima"), weight: 0.5, together: true, tags: []string{"labs", "skills"},
		align: []alignRef{{objective: "labs-product", link: okr.Contributes}},
		krs: []krSpec{
			{key: "fatima.turnaround", title: "Cut my median review turnaround from 20 to 8 hours",
				kind: okr.Decrease, unit: okr.UnitCustom, label: "hours", baseline: 20, target: 8, mood: steady},
			{key: "fatima.pairing", title: "Pair-review with 4 teammates outside my squad",
				kind: okr.Increase, unit: okr.UnitCustom, label: "teammates", baseline: 0, target: 4, step: 1, mood: steady},
		},
	},

	// ---- Drafts for the quarter in planning.
	{
		key: "next-shop", title: "Turn satisfied shoppers into loyal regulars",
		description: "Draft for next quarter: once support is fixed, repeat purchases are the next lever.",
		author:      ownerKey, champion: "daniel", owner: orgOwned, state: okr.Draft, next: true, tags: []string{"shop"},
		krs: []krSpec{
			{key: "next.repeat", title: "Raise the repeat-purchase rate from 31% to 38%", owner: "daniel",
				kind: okr.Increase, unit: okr.UnitPercent, baseline: 31, target: 38},
		},
	},
	{
		key: "next-labs", title: "Make every release boring in the best possible way",
		description: "Draft for next quarter from the Labs retrospective: faster is only good if it is also calm.",
		author:      "kenji", champion: "kenji", owner: teamOwned("labs"), state: okr.Draft, next: true, tags: []string{"labs"},
		krs: []krSpec{
			{key: "next.incidents", title: "Reduce incidents after a release from 6 to 2 per month", owner: "elena",
				kind: okr.Decrease, unit: okr.UnitNumber, baseline: 6, target: 2, step: 1},
		},
	},
}

type taskSpec struct {
	title, assignee string
	dueDays         int // after the quarter's first day
	done            bool
}

type initiativeSpec struct {
	key, title, description, owner string
	status                         okr.InitiativeStatus
	startDays, dueDays             int // after the quarter's first day
	budget                         string
	effort                         float64
	krs                            []string
	tasks                          []taskSpec
	url                            string
}

// initiatives (seed 004): the work that moves the key results; one ties back to nothing.
var initiatives = []initiativeSpec{
	{key: "shop-cert", title: "Conflict-resolution certification with an accredited provider", owner: "sofia",
		description: "Two cohorts of six agents, half a day a week, with a role-play assessment at the end.",
		status:      okr.InProgress, startDays: 0, dueDays: 75, budget: "18500.00", effort: 24,
		krs: []string{"shop.certified", "shop.program"}, url: "https://tasks.northwind.test/browse/SHOP-118",
		tasks: []taskSpec{
			{"Shortlist three accredited providers", "sofia", 7, true},
			{"Sign the training contract", "daniel", 14, true},
			{"Run cohort one (six agents)", "sofia", 45, false},
			{"Run cohort two (six agents)", "sofia", 75, false},
		}},
	{key: "shop-chatbot", title: "Customer service chatbot for common questions", owner: "liam",
		description: "Seed 004's example: a chatbot answers *where is my parcel* and *how do I return this* at once, " +
			"and hands over to a person within two turns.",
		status: okr.InProgress, startDays: 5, dueDays: 70, budget: "42000.00", effort: 60,
		krs: []string{"shop.resolution", "shop.sla"}, url: "https://tasks.northwind.test/browse/SHOP-142",
		tasks: []taskSpec{
			{"Export the top fifty intents from last quarter's tickets", "priya", 14, true},
			{"Train and test the intent model", "liam", 40, false},
			{"Hand over to a person within two turns", "liam", 60, false},
		}},
	{key: "shop-rules", title: "Priority rules in the help desk", owner: "daniel",
		description: "VIP, safety and payment tickets first; everything else by age.",
		status:      okr.InProgress, startDays: 0, dueDays: 60, effort: 15,
		krs: []string{"shop.prioritization", "shop.reopened"},
		tasks: []taskSpec{
			{"Workshop the rules with the support leads", "sofia", 10, true},
			{"Configure the rules in the help desk", "liam", 30, true},
			{"Switch off the shared inbox", "daniel", 60, false},
		}},
	{key: "shop-refunds", title: "Refund root-cause review with the carriers", owner: "daniel",
		description: "Blocked until the carrier shares its incident data.",
		status:      okr.Blocked, startDays: 20, dueDays: 50, budget: "6000.00", effort: 8,
		krs: []string{"shop.refunds"},
		tasks: []taskSpec{
			{"Tag complaint refunds by cause", "priya", 35, false},
			{"Review the findings with the carrier", "daniel", 50, false},
		}},
	{key: "shop-night", title: "Outsource the night-shift support queue", owner: "daniel",
		description: "Cancelled: the prioritization pilot keeps the SLA without a night shift.",
		status:      okr.Cancelled, startDays: 0, dueDays: 30, budget: "30000.00", effort: 5,
		krs: []string{"shop.sla"}},
	{key: "care-rollout", title: "Scheduling software rollout", owner: "helena",
		description: "Vendor contract, a pilot at Riverside, the data migration, then every clinic in two waves.",
		status:      okr.InProgress, startDays: 0, dueDays: 85, budget: "180000.00", effort: 140,
		krs: []string{"care.rollout", "care.wait"}, url: "https://tasks.northwind.test/browse/CARE-7",
		tasks: []taskSpec{
			{"Sign the vendor contract", "helena", 5, true},
			{"Pilot at the Riverside clinic", "marcus", 30, true},
			{"Migrate the appointment history", "tomas", 55, false},
			{"Go live in every clinic", "helena", 85, false},
		}},
	{key: "care-bootcamp", title: "Front-desk scheduling bootcamp", owner: "marcus",
		description: "Three half-days of hands-on practice on the new scheduler, with the vendor's trainer.",
		status:      okr.Done, startDays: 3, dueDays: 40, budget: "6400.00", effort: 12,
		krs: []string{"care.trained", "care.proficiency"},
		tasks: []taskSpec{
			{"Book the vendor's trainer", "marcus", 7, true},
			{"Run the bootcamp at Riverside and Harbour", "marcus", 28, true},
			{"Run the bootcamp at the other clinics", "aisha", 40, true},
		}},
	{key: "care-alerts", title: "Bottleneck alerts in the clinic dashboard", owner: "tomas",
		description: "Blocked: the vendor's export API is late, so overbooked slots cannot be flagged yet.",
		status:      okr.Blocked, startDays: 10, dueDays: 80, effort: 20,
		krs: []string{"care.flagged", "care.dashboard"}, url: "https://tasks.northwind.test/browse/CARE-21",
		tasks: []taskSpec{
			{"Agree the alert thresholds with the clinic managers", "tomas", 20, true},
			{"Connect to the vendor's export API", "tomas", 45, false},
		}},
	{key: "labs-cohort", title: "Agile certification cohort", owner: "elena",
		description: "Every developer through an accredited Agile course, in three waves so that no team is left empty.",
		status:      okr.InProgress, startDays: 7, dueDays: 80, budget: "15600.00", effort: 30,
		krs: []string{"labs.certified", "labs.path"},
		tasks: []taskSpec{
			{"Choose the provider", "kenji", 10, true},
			{"Wave one: Platform", "elena", 35, true},
			{"Wave two: Product", "oliver", 60, false},
			{"Wave three: everyone else", "elena", 80, false},
		}},
	{key: "labs-reviews", title: "Bi-weekly sprint review ritual", owner: "noah",
		description: "Thirty minutes every other Thursday: demo, not slides; stakeholders invited.",
		status:      okr.InProgress, startDays: 0, dueDays: 88, effort: 6,
		krs: []string{"labs.reviews"}},
	{key: "labs-ci", title: "Move CI to faster runners", owner: "elena",
		description: "Blocked on runner capacity; the integration suite moves first.",
		status:      okr.Blocked, startDays: 14, dueDays: 60, budget: "9800.00", effort: 18,
		krs: []string{"labs.cycle", "labs.reviewwait"}, url: "https://tasks.northwind.test/browse/LABS-311",
		tasks: []taskSpec{
			{"Order runner capacity", "kenji", 21, true},
			{"Split the integration suite", "noah", 40, false},
			{"Move the remaining pipelines", "fatima", 60, false},
		}},
	{key: "labs-site", title: "Rebuild the marketing site in a new framework", owner: "oliver",
		description: "Proposed at the last all-hands. Not yet tied to any key result.",
		status:      okr.Planned, startDays: 30, dueDays: 90, budget: "25000.00", effort: 45,
		tasks: []taskSpec{{"Pick the framework", "oliver", 40, false}}},
}

// commentSpec is a remark with @mentions on an objective, key result, initiative
// or a key result's latest check-in (subject "check_in:<kr key>").
type commentSpec struct {
	author, subjectType, subject, body string
}

var comments = []commentSpec{
	{ownerKey, "objective", "shop", "Lovely momentum on CSAT. @sofia.marin@northwind.test could the de-escalation " +
		"playbook travel to @marcus.johnson@northwind.test's front desks? Waiting patients get upset too."},
	{"marcus", "objective", "shop", "Yes please! @sofia.marin@northwind.test, a lunch-and-learn next week?"},
	{"kenji", "check_in", "care.wait", "@helena.kowalski@northwind.test Labs can lend @noah.williams@northwind.test " +
		"for two days to script the Riverside calendar import, if that frees a receptionist."},
	{"daniel", "key_result", "shop.refunds", "Off track for a second week. @priya.nair@northwind.test can you tag " +
		"complaint refunds by cause, so that we see where the money goes?"},
	{"elena", "key_result", "labs.cycle", "Runner capacity is approved. @fatima.zahra@northwind.test will pair with " +
		"@noah.williams@northwind.test on splitting the pipeline."},
	{"kenji", "initiative", "labs-site", "Which key result does this move, @oliver.brandt@northwind.test? Link it, " +
		"or let's park it until the next quarter."},
}
