package web

import "net/http"

// routes registers every page and form of the UI, here and nowhere else.
func (h *Handler) routes() {
	m := h.mux
	m.Handle("GET /static/{file}", h.assets)
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, h.assets.URL("okra.svg"), http.StatusMovedPermanently)
	})

	// Accounts.
	m.HandleFunc("GET /signin", h.signInForm)
	m.HandleFunc("POST /signin", h.signIn)
	m.HandleFunc("POST /signout", h.signedIn(h.signOut))
	m.HandleFunc("POST /switch", h.signedIn(h.switchOrg))
	m.HandleFunc("GET /account/password", h.signedIn(h.passwordForm))
	m.HandleFunc("POST /account/password", h.signedIn(h.changePassword))
	m.HandleFunc("GET /invitations/{secret}", h.acceptForm)
	m.HandleFunc("POST /invitations/{secret}", h.accept)

	// Home and the weekly check-in (home.go, checkin.go).
	m.HandleFunc("GET /{$}", h.signedIn(h.home))
	m.HandleFunc("GET /checkin", h.signedIn(h.checkinForm))
	m.HandleFunc("POST /checkin", h.signedIn(h.checkinSave))

	// Admin: members and invitations, teams, periods, API tokens (admin*.go);
	// a person's own API tokens.
	m.HandleFunc("GET /admin", h.signedIn(h.adminOverview))
	m.HandleFunc("GET /admin/members", h.signedIn(h.adminMembers))
	m.HandleFunc("GET /admin/members/{id}", h.signedIn(h.adminToMembers))
	m.HandleFunc("POST /admin/members/{id}", h.signedIn(h.adminUpdateMember))
	m.HandleFunc("GET /admin/invitations", h.signedIn(h.adminToMembers))
	m.HandleFunc("POST /admin/invitations", h.signedIn(h.adminInvite))
	m.HandleFunc("POST /admin/invitations/{id}/revoke", h.signedIn(h.adminRevokeInvitation))
	m.HandleFunc("GET /admin/teams", h.signedIn(h.adminTeams))
	m.HandleFunc("GET /admin/teams/new", h.signedIn(h.adminNewTeam))
	m.HandleFunc("POST /admin/teams", h.signedIn(h.adminCreateTeam))
	m.HandleFunc("GET /admin/teams/{id}", h.signedIn(h.adminEditTeam))
	m.HandleFunc("POST /admin/teams/{id}", h.signedIn(h.adminUpdateTeam))
	m.HandleFunc("GET /admin/teams/{id}/delete", h.signedIn(h.adminConfirmDeleteTeam))
	m.HandleFunc("POST /admin/teams/{id}/delete", h.signedIn(h.adminDeleteTeam))
	m.HandleFunc("GET /admin/periods", h.signedIn(h.adminPeriods))
	m.HandleFunc("POST /admin/periods", h.signedIn(h.adminCreatePeriod))
	m.HandleFunc("GET /admin/periods/{id}", h.signedIn(h.adminEditPeriod))
	m.HandleFunc("POST /admin/periods/{id}", h.signedIn(h.adminUpdatePeriod))
	m.HandleFunc("POST /admin/periods/{id}/activate", h.signedIn(h.adminActivatePeriod))
	m.HandleFunc("GET /admin/periods/{id}/close", h.signedIn(h.adminConfirmClosePeriod))
	m.HandleFunc("POST /admin/periods/{id}/close", h.signedIn(h.adminClosePeriod))
	m.HandleFunc("GET /admin/tokens", h.signedIn(h.adminTokens))
	m.HandleFunc("POST /admin/tokens", h.signedIn(h.adminCreateToken))
	m.HandleFunc("POST /admin/tokens/{id}/revoke", h.signedIn(h.adminRevokeToken))
	m.HandleFunc("GET /account/tokens", h.signedIn(h.accountTokens))
	m.HandleFunc("POST /account/tokens", h.signedIn(h.accountCreateToken))
	m.HandleFunc("POST /account/tokens/{id}/revoke", h.signedIn(h.accountRevokeToken))

	// Alignment tree and the objective page (alignment.go, objective.go).
	m.HandleFunc("GET /alignment", h.signedIn(h.alignment))
	m.HandleFunc("GET /objectives/{id}", h.signedIn(h.objective))
	m.HandleFunc("GET /objectives/{id}/title", h.signedIn(h.objShowField("title")))
	m.HandleFunc("GET /objectives/{id}/title/edit", h.signedIn(h.objEditFieldForm("title")))
	m.HandleFunc("POST /objectives/{id}/title", h.signedIn(h.objSaveField("title")))
	m.HandleFunc("GET /objectives/{id}/description", h.signedIn(h.objShowField("description")))
	m.HandleFunc("GET /objectives/{id}/description/edit", h.signedIn(h.objEditFieldForm("description")))
	m.HandleFunc("POST /objectives/{id}/description", h.signedIn(h.objSaveField("description")))
	m.HandleFunc("POST /objectives/{id}/comments", h.signedIn(h.objAddComment))
	m.HandleFunc("POST /objectives/{id}/comments/{comment}/delete", h.signedIn(h.objDeleteComment))

	// Forms: create, edit and delete objectives, key results and
	// initiatives; an initiative's page and its tasks (forms_*.go).
	m.HandleFunc("GET /objectives/new", h.signedIn(h.newObjective))
	m.HandleFunc("POST /objectives/new", h.signedIn(h.createObjective))
	m.HandleFunc("GET /objectives/new/parents", h.signedIn(h.objectiveParents))
	m.HandleFunc("GET /objectives/{id}/edit", h.signedIn(h.editObjective))
	m.HandleFunc("POST /objectives/{id}/edit", h.signedIn(h.updateObjective))
	m.HandleFunc("GET /objectives/{id}/delete", h.signedIn(h.deleteObjectiveConfirm))
	m.HandleFunc("POST /objectives/{id}/delete", h.signedIn(h.deleteObjective))
	m.HandleFunc("GET /key-results/new", h.signedIn(h.newKeyResult))
	m.HandleFunc("POST /key-results/new", h.signedIn(h.createKeyResult))
	m.HandleFunc("GET /key-results/{id}/edit", h.signedIn(h.editKeyResult))
	m.HandleFunc("POST /key-results/{id}/edit", h.signedIn(h.updateKeyResult))
	m.HandleFunc("GET /key-results/{id}/delete", h.signedIn(h.deleteKeyResultConfirm))
	m.HandleFunc("POST /key-results/{id}/delete", h.signedIn(h.deleteKeyResult))
	m.HandleFunc("GET /initiatives/new", h.signedIn(h.newInitiative))
	m.HandleFunc("POST /initiatives/new", h.signedIn(h.createInitiative))
	m.HandleFunc("GET /initiatives/{id}", h.signedIn(h.initiative))
	m.HandleFunc("GET /initiatives/{id}/edit", h.signedIn(h.editInitiative))
	m.HandleFunc("POST /initiatives/{id}/edit", h.signedIn(h.updateInitiative))
	m.HandleFunc("GET /initiatives/{id}/delete", h.signedIn(h.deleteInitiativeConfirm))
	m.HandleFunc("POST /initiatives/{id}/delete", h.signedIn(h.deleteInitiative))
	m.HandleFunc("POST /initiatives/{id}/tasks", h.signedIn(h.addTask))
	m.HandleFunc("POST /initiatives/{id}/tasks/{task}", h.signedIn(h.toggleTask))
	m.HandleFunc("POST /initiatives/{id}/tasks/{task}/delete", h.signedIn(h.deleteTask))

	// Dashboard, teams and people.
	m.HandleFunc("GET /dashboard", h.signedIn(h.dashboard))
	m.HandleFunc("GET /teams", h.signedIn(h.teams))
	m.HandleFunc("GET /teams/{id}", h.signedIn(h.team))
	m.HandleFunc("GET /people/{id}", h.signedIn(h.person))

	// Skills and learning: my skills, a skill's page and a person's skills
	// (skills.go); the catalog, a program's page and form (catalog.go); my
	// learning plan and an enrollment's forms (learning.go); the L&D
	// dashboard (lnd.go).
	m.HandleFunc("GET /skills", h.signedIn(h.skills))
	m.HandleFunc("GET /skills/assess", h.signedIn(h.skPick))
	m.HandleFunc("GET /skills/{id}", h.signedIn(h.skill))
	m.HandleFunc("POST /skills/{id}/assess", h.signedIn(h.skAssess))
	m.HandleFunc("GET /people/{id}/skills", h.signedIn(h.personSkills))
	m.HandleFunc("GET /learning", h.signedIn(h.learningPlan))
	m.HandleFunc("GET /learning/catalog", h.signedIn(h.catalog))
	m.HandleFunc("GET /learning/dashboard", h.signedIn(h.lndDashboard))
	m.HandleFunc("GET /learning/programs/new", h.signedIn(h.catNewProgram))
	m.HandleFunc("POST /learning/programs", h.signedIn(h.catCreateProgram))
	m.HandleFunc("GET /learning/programs/{id}", h.signedIn(h.program))
	m.HandleFunc("GET /learning/programs/{id}/edit", h.signedIn(h.catEditProgram))
	m.HandleFunc("POST /learning/programs/{id}/edit", h.signedIn(h.catUpdateProgram))
	m.HandleFunc("POST /learning/programs/{id}/enroll", h.signedIn(h.catEnroll))
	m.HandleFunc("GET /learning/enrollments/{id}", h.signedIn(h.enrollment))
	m.HandleFunc("POST /learning/enrollments/{id}", h.signedIn(h.lpUpdate))
	m.HandleFunc("POST /learning/enrollments/{id}/complete", h.signedIn(h.lpComplete))
	m.HandleFunc("POST /learning/enrollments/{id}/feedback", h.signedIn(h.lpFeedback))

	// Team and OKR skills, learning admin: a team's skills heatmap, gaps,
	// requirements and team assignments (team_skills.go); an objective's
	// required skills (okr_skills.go); the admin's skills, framework import,
	// role profiles, LRS credentials and LMS completion import
	// (admin_learning.go).
	m.HandleFunc("GET /teams/{id}/skills", h.signedIn(h.teamSkills))
	m.HandleFunc("POST /teams/{id}/skills/requirements", h.signedIn(h.tskAddRequirement))
	m.HandleFunc("POST /teams/{id}/skills/requirements/{req}/delete", h.signedIn(h.tskRemoveRequirement))
	m.HandleFunc("POST /teams/{id}/skills/assign", h.signedIn(h.tskAssign))
	m.HandleFunc("POST /objectives/{id}/skills", h.signedIn(h.oksAdd))
	m.HandleFunc("POST /objectives/{id}/skills/{req}/delete", h.signedIn(h.oksRemove))
	m.HandleFunc("GET /admin/learning", h.signedIn(h.adminLearning))
	m.HandleFunc("POST /admin/learning/skills", h.signedIn(h.adlCreateSkill))
	m.HandleFunc("POST /admin/learning/skills/import", h.signedIn(h.adlImportSkills))
	m.HandleFunc("GET /admin/learning/roles", h.signedIn(h.adlRoles))
	m.HandleFunc("POST /admin/learning/roles", h.signedIn(h.adlCreateRole))
	m.HandleFunc("GET /admin/learning/roles/{id}", h.signedIn(h.adlRole))
	m.HandleFunc("POST /admin/learning/roles/{id}", h.signedIn(h.adlUpdateRole))
	m.HandleFunc("POST /admin/learning/roles/{id}/delete", h.signedIn(h.adlDeleteRole))
	m.HandleFunc("POST /admin/learning/roles/{id}/requirements", h.signedIn(h.adlAddRoleRequirement))
	m.HandleFunc("POST /admin/learning/roles/{id}/requirements/{req}/delete", h.signedIn(h.adlRemoveRoleRequirement))
	m.HandleFunc("GET /admin/learning/lrs", h.signedIn(h.adlLRS))
	m.HandleFunc("POST /admin/learning/lrs", h.signedIn(h.adlCreateLRS))
	m.HandleFunc("POST /admin/learning/lrs/{id}/revoke", h.signedIn(h.adlRevokeLRS))
	m.HandleFunc("GET /admin/learning/completions", h.signedIn(h.adlCompletions))
	m.HandleFunc("POST /admin/learning/completions", h.signedIn(h.adlImportCompletions))

	// Learning objectives, mentorships, feedback: planning learning for a
	// team's gap and removing a learning objective; starting a mentorship
	// with a person and giving them feedback (learning_social.go).
	m.HandleFunc("POST /teams/{id}/learning-objectives", h.signedIn(h.lsPlan))
	m.HandleFunc("POST /learning-objectives/{id}/delete", h.signedIn(h.lsDeleteObjective))
	m.HandleFunc("POST /people/{id}/mentorships", h.signedIn(h.lsMentor))
	m.HandleFunc("POST /people/{id}/feedback", h.signedIn(h.lsFeedback))

	// The rhythm (inbox, settings, cadence), webhooks and jobs, KPIs, the
	// period review and close, and recognition (lessons, kudos,
	// celebrations), each area in its own file.
	h.rhythmRoutes()
	h.webhookRoutes()
	h.kpiRoutes()
	h.reviewRoutes()
	h.recognitionRoutes()
	h.dataRoutes()  // Import & export: spreadsheet downloads and the OKR import (data.go)
	h.coachRoutes() // The coach's hints in the forms and the period's coach page (coach.go)
}
