package synth

var firstNames = []string{"Ada", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kira", "Liam", "Maya", "Noor",
	"Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe"}

var lastNames = []string{"Adams", "Becker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski",
	"Larsen", "Moreau", "Nguyen", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Urban", "Weber", "Yilmaz"}

var orgThemes = []string{"Delight our customers", "Grow revenue sustainably", "Build a great place to work"}

var teamThemes = []string{"Ship faster with confidence", "Reduce customer friction", "Raise reliability", "Grow active usage",
	"Cut operating costs", "Strengthen the platform", "Win new markets", "Improve onboarding"}

var personThemes = []string{"Grow my craft", "Own the release train", "Make support effortless", "Sharpen our data",
	"Mentor the team", "Tame tech debt"}

var increaseTitles = []string{"Grow weekly active users", "Raise NPS", "Increase deploys per week", "Grow qualified leads",
	"Raise test coverage"}

var decreaseTitles = []string{"Cut p95 latency (ms)", "Reduce open bugs", "Lower churned accounts", "Reduce support tickets",
	"Shorten lead time (hours)"}

var checkInNotes = []string{"Steady progress", "Blocked part of the week", "Good week", "Shipped the next step", "Slower than planned"}

var skillCategories = []string{"Engineering", "Product", "Data", "Leadership", "Operations"}

var skillNames = []string{"Go", "SQL", "Kubernetes", "Testing", "System design", "Product discovery", "Roadmapping",
	"User research", "Analytics", "Experimentation", "Statistics", "Data modeling", "Machine learning", "Data visualization",
	"Coaching", "Hiring", "Facilitation", "Strategy", "Stakeholder management", "Budgeting", "Incident response",
	"Observability", "Security", "Networking", "Cloud cost", "Accessibility", "UX writing", "Interaction design",
	"Negotiation", "Public speaking", "Technical writing", "Mentoring", "Prioritization", "Customer support", "Sales engineering",
	"Compliance", "Vendor management", "Forecasting", "Process improvement", "Change management"}
