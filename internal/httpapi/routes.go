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

	// Audit.
	register(s, api, list("/audit-events", "listAuditEvents", "The audit log, newest first (admin)", tagAudit), s.listAuditEvents)
}
