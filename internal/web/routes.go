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
}
