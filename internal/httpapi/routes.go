package httpapi

import (
	"github.com/danielgtaylor/huma/v2"
)

// Tags group the operations in the OpenAPI document.
const (
	tagPeople      = "People"
	tagTeams       = "Teams"
	tagPeriods     = "Periods"
	tagObjectives  = "Objectives"
	tagKeyResults  = "Key results"
	tagCheckIns    = "Check-ins"
	tagInitiatives = "Initiatives"
	tagComments    = "Comments"
	tagAudit       = "Audit"
	tagLearning    = "Skills and learning"
)

// routes registers every /api/v1 operation, here and nowhere else.
func (s *Server) routes(api huma.API) {
	// People and tokens.
	register(s, api, get("/me", "getMe", "Who the token acts for: user, organization and role", tagPeople), s.getMe)
	register(s, api, create("/users", "createUser", "Add a member (admin)", tagPeople), s.createUser)
	register(s, api, list("/users", "listUsers", "List the members", tagPeople), s.listUsers)
	register(s, api, get("/users/{id}", "getUser", "Get a member", tagPeople), s.getUser)
	register(s, api, patch("/users/{id}", "updateUser", "Change a member's role or deactivate them (admin)", tagPeople), s.updateUser)
	register(s, api, create("/tokens", "createToken", "Mint an API token (its secret is shown once)", tagPeople), s.createToken)
	register(s, api, list("/tokens", "listTokens", "List your tokens (an admin: every token)", tagPeople), s.listTokens)
	register(s, api, del("/tokens/{id}", "revokeToken", "Revoke a token", tagPeople), s.revokeToken)

	// Teams.
	register(s, api, create("/teams", "createTeam", "Create a team (admin)", tagTeams), s.createTeam)
	register(s, api, list("/teams", "listTeams", "List the teams", tagTeams), s.listTeams)
	register(s, api, get("/teams/{id}", "getTeam", "Get a team", tagTeams), s.getTeam)
	register(s, api, patch("/teams/{id}", "updateTeam", "Change a team", tagTeams), s.updateTeam)
	register(s, api, del("/teams/{id}", "deleteTeam", "Delete a team; its sub-teams move up (admin)", tagTeams), s.deleteTeam)

	// Periods.
	register(s, api, create("/periods", "createPeriod", "Create a period in planning (admin)", tagPeriods), s.createPeriod)
	register(s, api, list("/periods", "listPeriods", "List the periods", tagPeriods), s.listPeriods)
	register(s, api, get("/periods/{id}", "getPeriod", "Get a period", tagPeriods), s.getPeriod)
	register(s, api, patch("/periods/{id}", "updatePeriod", "Change a period (admin)", tagPeriods), s.updatePeriod)
	register(s, api, action("/periods/{id}/activate", "activatePeriod", "Move a period from planning to active (admin)", tagPeriods), s.activatePeriod)
	register(s, api, action("/periods/{id}/close", "closePeriod", "Close an active period: it becomes read-only (admin)", tagPeriods), s.closePeriod)

	// Objectives.
	register(s, api, create("/objectives", "createObjective", "Create an objective, aligned to its parents", tagObjectives), s.createObjective)
	register(s, api, list("/objectives", "listObjectives", "List the objectives you may see", tagObjectives), s.listObjectives)
	register(s, api, get("/objectives/{id}", "getObjective", "Get an objective", tagObjectives), s.getObjective)
	register(s, api, patch("/objectives/{id}", "updateObjective", "Change an objective", tagObjectives), s.updateObjective)
	register(s, api, del("/objectives/{id}", "deleteObjective", "Delete an objective with its key results", tagObjectives), s.deleteObjective)
	register(s, api, create("/objectives/{id}/check-ins", "checkInObjective", "Check in several key results of an objective at once", tagCheckIns), s.checkInObjective)
	register(s, api, get("/alignment", "getAlignment", "A period's alignment tree", tagObjectives), s.alignment)
	register(s, api, get("/dashboard", "getDashboard", "Where a period stands: health, risks, expected vs actual, check-in discipline", tagObjectives), s.dashboard)

	// Key results and check-ins.
	register(s, api, create("/key-results", "createKeyResult", "Add a key result to an objective", tagKeyResults), s.createKeyResult)
	register(s, api, list("/key-results", "listKeyResults", "List the key results you may see", tagKeyResults), s.listKeyResults)
	register(s, api, get("/key-results/{id}", "getKeyResult", "Get a key result", tagKeyResults), s.getKeyResult)
	register(s, api, patch("/key-results/{id}", "updateKeyResult", "Change a key result", tagKeyResults), s.updateKeyResult)
	register(s, api, del("/key-results/{id}", "deleteKeyResult", "Delete a key result with its check-ins", tagKeyResults), s.deleteKeyResult)
	register(s, api, create("/key-results/{id}/check-ins", "checkIn", "Check in a key result", tagCheckIns), s.checkIn)
	register(s, api, get("/key-results/{id}/check-ins", "listCheckIns", "A key result's check-ins, newest first", tagCheckIns), s.listCheckIns)
	register(s, api, get("/check-ins/{id}", "getCheckIn", "Get a check-in", tagCheckIns), s.getCheckIn)

	// Initiatives.
	register(s, api, create("/initiatives", "createInitiative", "Create an initiative linked to key results", tagInitiatives), s.createInitiative)
	register(s, api, list("/initiatives", "listInitiatives", "List initiatives", tagInitiatives), s.listInitiatives)
	register(s, api, get("/initiatives/{id}", "getInitiative", "Get an initiative", tagInitiatives), s.getInitiative)
	register(s, api, patch("/initiatives/{id}", "updateInitiative", "Change an initiative", tagInitiatives), s.updateInitiative)
	register(s, api, del("/initiatives/{id}", "deleteInitiative", "Delete an initiative", tagInitiatives), s.deleteInitiative)

	// Comments.
	register(s, api, create("/comments", "createComment", "Comment on an objective, key result, initiative or check-in", tagComments), s.createComment)
	register(s, api, get("/comments", "listComments", "The comments on one subject, oldest first", tagComments), s.listComments)
	register(s, api, get("/comments/{id}", "getComment", "Get a comment", tagComments), s.getComment)
	register(s, api, del("/comments/{id}", "deleteComment", "Delete a comment (its author or an admin)", tagComments), s.deleteComment)

	// Skills and learning.
	register(s, api, list("/scales", "listScales", "The proficiency scales: the built-in ones and the organization's", tagLearning), s.listScales)
	register(s, api, create("/scales", "createScale", "Add a custom proficiency scale (admin)", tagLearning), s.createScale)
	register(s, api, create("/skills", "createSkill", "Add a skill to the catalog (admin)", tagLearning), s.createSkill)
	register(s, api, list("/skills", "listSkills", "List the skills", tagLearning), s.listSkills)
	register(s, api, get("/skills/{id}", "getSkill", "Get a skill", tagLearning), s.getSkill)
	register(s, api, patch("/skills/{id}", "updateSkill", "Change a skill (admin)", tagLearning), s.updateSkill)
	register(s, api, del("/skills/{id}", "deleteSkill", "Delete a skill nothing refers to (admin)", tagLearning), s.deleteSkill)
	importOp := action("/skills/import", "importSkills", "Import skills from an ESCO, O*NET or CASE file; re-imports update, never duplicate (admin)", tagLearning)
	importOp.MaxBodyBytes = maxImportBytes
	register(s, api, importOp, s.importSkills)
	register(s, api, create("/skill-requirements", "createSkillRequirement", "Say that an objective, key result, team or role needs a skill", tagLearning), s.createRequirement)
	register(s, api, list("/skill-requirements", "listSkillRequirements", "List the skill requirements you may see", tagLearning), s.listRequirements)
	register(s, api, get("/skill-requirements/{id}", "getSkillRequirement", "Get a skill requirement", tagLearning), s.getRequirement)
	register(s, api, patch("/skill-requirements/{id}", "updateSkillRequirement", "Change a requirement's level, headcount or essential flag", tagLearning), s.updateRequirement)
	register(s, api, del("/skill-requirements/{id}", "deleteSkillRequirement", "Delete a skill requirement", tagLearning), s.deleteRequirement)
	register(s, api, create("/assessments", "createAssessment", "Assert a person's level in a skill", tagLearning), s.createAssessment)
	register(s, api, del("/assessments/{id}", "deleteAssessment", "Remove an assessment made in error (its assessor or an admin)", tagLearning), s.deleteAssessment)
	register(s, api, get("/users/{id}/skills", "listUserSkills", "A person's skills: each with its effective level and the assertions behind it", tagLearning), s.userSkills)
	register(s, api, create("/roles", "createRole", "Add a role profile with its holders (admin)", tagLearning), s.createRole)
	register(s, api, list("/roles", "listRoles", "List the role profiles", tagLearning), s.listRoles)
	register(s, api, get("/roles/{id}", "getRole", "Get a role profile", tagLearning), s.getRole)
	register(s, api, patch("/roles/{id}", "updateRole", "Change a role profile or its holders (admin)", tagLearning), s.updateRole)
	register(s, api, del("/roles/{id}", "deleteRole", "Delete a role profile with its requirements (admin)", tagLearning), s.deleteRole)
	register(s, api, create("/programs", "createProgram", "Add a learning program to the catalog (admin)", tagLearning), s.createProgram)
	register(s, api, list("/programs", "listPrograms", "List the learning catalog", tagLearning), s.listPrograms)
	register(s, api, get("/programs/{id}", "getProgram", "Get a learning program", tagLearning), s.getProgram)
	register(s, api, patch("/programs/{id}", "updateProgram", "Change or archive a learning program (admin)", tagLearning), s.updateProgram)
	register(s, api, create("/enrollments", "createEnrollment", "Enroll a person in a program", tagLearning), s.enroll)
	register(s, api, list("/enrollments", "listEnrollments", "List enrollments", tagLearning), s.listEnrollments)
	register(s, api, get("/enrollments/{id}", "getEnrollment", "Get an enrollment", tagLearning), s.getEnrollment)
	register(s, api, patch("/enrollments/{id}", "updateEnrollment", "Report progress, a completion, a score or the learner's feedback", tagLearning), s.updateEnrollment)
	register(s, api, create("/teams/{id}/enrollments", "assignToTeam", "Enroll every member of a team and its sub-teams in a program", tagLearning), s.assignToTeam)
	register(s, api, get("/gaps", "getGaps", "Skill gaps of a scope, ranked by burden, with suggested programs and mentors", tagLearning), s.gaps)
	register(s, api, get("/gaps/forecast", "getDemandForecast", "Skill gaps of a coming period's draft objectives", tagLearning), s.demandForecast)
	register(s, api, create("/learning-objectives", "createLearningObjective", "Say what a person or a team must learn, by when and for which key result", tagLearning), s.createLearningObjective)
	register(s, api, list("/learning-objectives", "listLearningObjectives", "List learning objectives", tagLearning), s.listLearningObjectives)
	register(s, api, get("/learning-objectives/{id}", "getLearningObjective", "Get a learning objective", tagLearning), s.getLearningObjective)
	register(s, api, patch("/learning-objectives/{id}", "updateLearningObjective", "Change a learning objective", tagLearning), s.updateLearningObjective)
	register(s, api, del("/learning-objectives/{id}", "deleteLearningObjective", "Delete a learning objective", tagLearning), s.deleteLearningObjective)
	register(s, api, get("/users/{id}/learning-plan", "getLearningPlan", "A person's learning plan: objectives, levels, gaps and enrollments", tagLearning), s.learningPlan)
	register(s, api, create("/mentorships", "createMentorship", "Record that one member mentors another", tagLearning), s.createMentorship)
	register(s, api, list("/mentorships", "listMentorships", "List mentorships", tagLearning), s.listMentorships)
	register(s, api, get("/mentorships/{id}", "getMentorship", "Get a mentorship", tagLearning), s.getMentorship)
	register(s, api, patch("/mentorships/{id}", "updateMentorship", "End a mentorship or change its notes", tagLearning), s.updateMentorship)
	register(s, api, create("/feedback", "giveFeedback", "Give feedback to a member, as peer, manager or mentor", tagLearning), s.giveFeedback)
	register(s, api, list("/feedback", "listFeedback", "The feedback you may read, newest first", tagLearning), s.listFeedback)
	register(s, api, get("/learning-analytics", "getLearningAnalytics", "Completion, scores and ratings by program and team, skill coverage and program effectiveness", tagLearning), s.learningAnalytics)
	s.lrsRoutes(api) // LRS credentials, stored statements, completion imports

	// The rhythm, KPIs, review and recognition, each area in its own file.
	s.rhythmRoutes(api)      // settings, cadence, inbox (rhythm.go)
	s.webhookRoutes(api)     // webhooks, deliveries, jobs (webhooks.go)
	s.kpiRoutes(api)         // KPIs and their records (kpis.go)
	s.reviewRoutes(api)      // period review, scores, retrospectives, decisions (review.go)
	s.recognitionRoutes(api) // lessons, kudos, celebrations, review packets (recognition.go)
	s.tabularRoutes(api)     // CSV and XLSX exports, the OKR import (tabular.go)
	s.okrCodeRoutes(api)     // OKRs as code: apply and export a document (okrcode.go)
	s.orgDumpRoutes(api)     // the organization backup: export and import (orgdump.go)
	s.coachRoutes(api)       // the OKR coach: drafts, objectives, periods (coach.go)

	// Audit.
	register(s, api, list("/audit-events", "listAuditEvents", "The audit log, newest first (admin)", tagAudit), s.listAuditEvents)
}
