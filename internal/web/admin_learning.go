package web

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/learning"
	"github.com/okrahq/okra/internal/okr"
)

// The admin area's "Skills & learning": the skills (created one by one or
// imported from an ESCO, O*NET or CASE file after a dry run), role profiles
// with their holders and requirements, the LRS credentials learning systems
// send xAPI statements with, and the import of an LMS completion report
// (column mapping, dry run, then import).

const adminTabLearning adminTab = "learning"

// adlSection is a page of "Skills & learning".
type adlSection string

const (
	adlSkills      adlSection = "skills"
	adlRoles       adlSection = "roles"
	adlLRS         adlSection = "lrs"
	adlCompletions adlSection = "completions"
)

// adlMaxFile bounds an uploaded file (a skills framework, a completion report).
const adlMaxFile = 32 << 20

// adlShell loads the admin frame of a "Skills & learning" page (refusing
// non-admins with the 403 page); ok is false when the answer was written.
func (h *Handler) adlShell(w http.ResponseWriter, r *Request, title string) (*Shell, adminFrame, bool) {
	s, f, ok := h.adminShell(w, r, title, adminTabLearning)
	if ok {
		s.Crumbs = []Crumb{{Label: "Admin", Href: "/admin"}, {Label: "Skills & learning", Href: "/admin/learning"}}
	}
	return s, f, ok
}

// ---- skills

// adlSkillsView is the skills page.
type adlSkillsView struct {
	Frame adminFrame
	// Skills are those the search finds, by name, at most adlShownSkills.
	Skills []learning.Skill
	Total  int
	Found  int
	Query  string
	Scales []learning.Scale
	Create adlSkillForm
	// Import is the file's dry run, waiting to be applied (nil: none yet).
	Import   *adlSkillPreview
	ImportFE FieldErrors
	ScaleID  string
}

// adlShownSkills is how many skills the list shows at once.
const adlShownSkills = 100

// adlSkillForm is the new skill form as typed.
type adlSkillForm struct {
	Name, Category, ScaleID, Description, Key string
	FE                                        FieldErrors
}

// adlSkillPreview is a framework file's dry run and what applying it sends.
type adlSkillPreview struct {
	FileName string
	Result   app.SkillImport
	// Payload is the parsed skills as JSON: applying imports exactly what
	// the dry run read.
	Payload string
}

// scaleName names a scale by id.
func (v adlSkillsView) scaleName(id string) string {
	for _, s := range v.Scales {
		if s.ID == id {
			return s.Name
		}
	}
	return id
}

func (h *Handler) adminLearning(w http.ResponseWriter, r *Request) {
	h.adlRenderSkills(w, r, 0, adlSkillsView{})
}

// adlRenderSkills renders the skills page with the forms as given.
func (h *Handler) adlRenderSkills(w http.ResponseWriter, r *Request, status int, v adlSkillsView) {
	s, f, ok := h.adlShell(w, r, "Skills & learning")
	if !ok {
		return
	}
	s.Crumbs = []Crumb{{Label: "Admin", Href: "/admin"}}
	v.Frame = f
	all, err := h.app.AllSkills(r.Ctx(), r.Actor)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Scales, err = h.app.ListScales(r.Ctx(), r.Actor); err != nil {
		h.fail(w, r, err)
		return
	}
	slices.SortStableFunc(all, func(a, b learning.Skill) int {
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	v.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	v.Total = len(all)
	q := strings.ToLower(v.Query)
	for _, sk := range all {
		if q == "" || strings.Contains(strings.ToLower(sk.Name), q) || strings.Contains(strings.ToLower(sk.Category), q) {
			v.Found++
			if len(v.Skills) < adlShownSkills {
				v.Skills = append(v.Skills, sk)
			}
		}
	}
	if v.Create.Key == "" {
		v.Create.Key = formKey()
	}
	if v.Create.ScaleID == "" {
		v.Create.ScaleID = learning.DefaultScaleID
	}
	if v.ScaleID == "" {
		v.ScaleID = learning.DefaultScaleID
	}
	h.render(w, r.Request, status, adlSkillsPage(s, v))
}

// adlCreateSkill adds a skill.
func (h *Handler) adlCreateSkill(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	f := adlSkillForm{Name: r.PostFormValue("name"), Category: r.PostFormValue("category"), ScaleID: r.PostFormValue("scale_id"),
		Description: r.PostFormValue("description"), Key: formKeyOf(r.Request)}
	sk, err := h.app.CreateSkill(r.Ctx(), r.Actor, app.SkillInput{Name: f.Name, Category: f.Category, ScaleID: f.ScaleID,
		Description: f.Description}, f.Key)
	if fe, ok := fieldErrors(err); ok {
		f.FE = fe
		h.adlRenderSkills(w, r, adminStatus(err), adlSkillsView{Create: f})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/learning?q="+url.QueryEscape(sk.Name)+"#skills", "Skill “"+sk.Name+"” added.")
}

// adlImportSkills runs a framework file's dry run ("preview") or applies
// the skills a dry run read ("apply").
func (h *Handler) adlImportSkills(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	scaleID := r.PostFormValue("scale_id")
	v := adlSkillsView{ImportFE: FieldErrors{}, ScaleID: scaleID}
	if r.PostFormValue("step") == "apply" {
		var skills []learning.ImportedSkill
		framework := learning.Framework(r.PostFormValue("framework"))
		if err := json.Unmarshal([]byte(r.PostFormValue("skills")), &skills); err != nil {
			v.ImportFE["file"] = "the preview was lost on the way; choose the file and preview it again"
			h.adlRenderSkills(w, r, http.StatusUnprocessableEntity, v)
			return
		}
		res, err := h.app.ImportSkills(r.Ctx(), r.Actor, framework, skills, scaleID, false)
		if fe, ok := fieldErrors(err); ok {
			v.ImportFE = adlImportErrors(fe)
			h.adlRenderSkills(w, r, adminStatus(err), v)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.redirect(w, r.Request, "/admin/learning#skills", adlImportedMessage(res))
		return
	}
	data, name, err := adlUpload(r, "file")
	if err != nil {
		v.ImportFE["file"] = adminSentence(messageOf(err))
		h.adlRenderSkills(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	framework := learning.DetectFramework(name, data[:min(len(data), 4096)])
	var skills []learning.ImportedSkill
	switch framework {
	case learning.FrameworkESCO:
		skills, err = learning.ParseESCO(bytes.NewReader(data))
	case learning.FrameworkONET:
		skills, err = learning.ParseONET(bytes.NewReader(data))
	case learning.FrameworkCASE:
		skills, err = learning.ParseCASE(bytes.NewReader(data))
	default:
		err = errs.E(errs.Invalid, "okra cannot tell this file's format: upload ESCO's skills CSV (skills_en.csv), "+
			"O*NET's Skills file (CSV or tab-separated) or a CASE 1.0 package (JSON)")
	}
	if err != nil {
		// The parsers say what is wrong with the file and where.
		v.ImportFE["file"] = adminSentence(err.Error())
		if errs.Is(err, errs.Invalid) {
			v.ImportFE["file"] = adminSentence(messageOf(err))
		}
		h.adlRenderSkills(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	res, err := h.app.ImportSkills(r.Ctx(), r.Actor, framework, skills, scaleID, true)
	if fe, ok := fieldErrors(err); ok {
		v.ImportFE = adlImportErrors(fe)
		h.adlRenderSkills(w, r, adminStatus(err), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	payload, err := json.Marshal(skills)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Import = &adlSkillPreview{FileName: name, Result: res, Payload: string(payload)}
	h.adlRenderSkills(w, r, 0, v)
}

// adlImportErrors puts an import's messages beside the file, or the scale.
func adlImportErrors(fe FieldErrors) FieldErrors {
	out := FieldErrors{}
	for k, v := range fe {
		if k != "scale_id" {
			k = "file"
		}
		out[k] = adminSentence(v)
	}
	return out
}

// adlImportedMessage sums up an applied import.
func adlImportedMessage(res app.SkillImport) string {
	return "Imported from " + adlFrameworkName(res.Framework) + ": " + okr.Plural(res.Created, "new skill") + ", " +
		okr.Plural(res.Updated, "skill") + " updated, " + okr.Plural(res.Unchanged, "skill") + " unchanged."
}

// adlFrameworkName names a skills framework.
func adlFrameworkName(f learning.Framework) string {
	switch f {
	case learning.FrameworkESCO:
		return "ESCO"
	case learning.FrameworkONET:
		return "O*NET"
	case learning.FrameworkCASE:
		return "CASE"
	case learning.FrameworkCustom, "":
		return "custom"
	}
	return string(f)
}

// adlUpload reads an uploaded file; a missing, empty or too large file is
// an error a person can act on.
func adlUpload(r *Request, field string) ([]byte, string, error) {
	file, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, "", errs.E(errs.Invalid, "choose a file to upload")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, adlMaxFile+1))
	if err != nil {
		return nil, "", errs.E(errs.Invalid, "the file could not be read; upload it again")
	}
	switch {
	case len(data) == 0:
		return nil, "", errs.E(errs.Invalid, "the file is empty")
	case len(data) > adlMaxFile:
		return nil, "", errs.E(errs.Invalid, "the file is larger than 32 MB; split it into smaller files")
	}
	return data, hdr.Filename, nil
}

// ---- role profiles

// adlRolesView is the list of role profiles with the form for a new one.
type adlRolesView struct {
	Frame adminFrame
	D     *directory
	Roles []learning.RoleProfile
	// Reqs counts each role's requirements.
	Reqs map[string]int
	Form adlRoleForm
}

// adlRoleForm is a role profile's form as typed.
type adlRoleForm struct {
	Name, Description, Key string
	Holders                map[string]bool
	Version                int
	FE                     FieldErrors
}

// holderIDs are the holders checked, in the directory's order.
func (f adlRoleForm) holderIDs(d *directory) []string {
	out := []string{}
	for _, m := range d.Members {
		if f.Holders[m.ID] {
			out = append(out, m.ID)
		}
	}
	return out
}

// readRoleForm reads a posted role profile form.
func readRoleForm(r *Request) adlRoleForm {
	_ = r.ParseForm()
	f := adlRoleForm{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Key: formKeyOf(r.Request),
		Holders: map[string]bool{}}
	for _, id := range r.PostForm["holders"] {
		f.Holders[id] = true
	}
	return f
}

func (h *Handler) adlRoles(w http.ResponseWriter, r *Request) {
	h.adlRenderRoles(w, r, 0, adlRoleForm{})
}

// adlAllRoles lists every role profile by name.
func (h *Handler) adlAllRoles(r *Request) ([]learning.RoleProfile, error) {
	out, err := everyPage(func(p app.PageRequest) (app.Page[learning.RoleProfile], error) {
		return h.app.ListRoles(r.Ctx(), r.Actor, p)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b learning.RoleProfile) int {
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, nil
}

func (h *Handler) adlRenderRoles(w http.ResponseWriter, r *Request, status int, f adlRoleForm) {
	s, fr, ok := h.adlShell(w, r, "Role profiles")
	if !ok {
		return
	}
	v := adlRolesView{Frame: fr, Form: f, Reqs: map[string]int{}}
	var err error
	if v.D, err = h.directory(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Roles, err = h.adlAllRoles(r); err != nil {
		h.fail(w, r, err)
		return
	}
	reqs, err := everyPage(func(p app.PageRequest) (app.Page[learning.Requirement], error) {
		return h.app.ListRequirements(r.Ctx(), r.Actor, app.RequirementQuery{SubjectType: learning.SubjectRole, PageRequest: p})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, q := range reqs {
		v.Reqs[q.Subject.ID]++
	}
	if v.Form.Key == "" {
		v.Form.Key = formKey()
	}
	h.render(w, r.Request, status, adlRolesPage(s, v))
}

// adlCreateRole creates a role profile and opens it.
func (h *Handler) adlCreateRole(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	f := readRoleForm(r)
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	role, err := h.app.CreateRole(r.Ctx(), r.Actor, app.RoleInput{Name: f.Name, Description: f.Description, HolderIDs: f.holderIDs(d)}, f.Key)
	if fe, ok := fieldErrors(err); ok {
		f.FE = adlRoleErrors(fe)
		h.adlRenderRoles(w, r, adminStatus(err), f)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/learning/roles/"+role.ID, "Role profile “"+role.Name+"” created. Add the skills it requires.")
}

// adlRoleErrors puts messages about single holders beside the holders.
func adlRoleErrors(fe FieldErrors) FieldErrors {
	for k, v := range fe {
		if strings.HasPrefix(k, "holder_ids[") {
			delete(fe, k)
			if _, seen := fe["holder_ids"]; !seen {
				fe["holder_ids"] = v
			}
		}
	}
	return fe
}

// adlRoleView is a role profile's page: its form, its requirements with
// their gaps among its holders, and the form that adds one.
type adlRoleView struct {
	Frame  adminFrame
	D      *directory
	Role   learning.RoleProfile
	Form   adlRoleForm
	Rep    app.GapReport
	Skills []learning.Skill
	Titles map[string]string
	lrn    lrnNames
	Req    reqForm
}

func (h *Handler) adlRole(w http.ResponseWriter, r *Request) {
	h.adlRenderRole(w, r, 0, nil, nil)
}

// adlRenderRole renders a role profile's page; form and req carry forms
// that could not be saved (nil: as stored, and empty).
func (h *Handler) adlRenderRole(w http.ResponseWriter, r *Request, status int, form *adlRoleForm, req *reqForm) {
	role, err := h.app.GetRole(r.Ctx(), r.Actor, r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, fr, ok := h.adlShell(w, r, role.Name)
	if !ok {
		return
	}
	s.Crumbs = append(s.Crumbs, Crumb{Label: "Role profiles", Href: "/admin/learning/roles"})
	v := adlRoleView{Frame: fr, Role: role, Req: newReqForm()}
	if form != nil {
		v.Form = *form
	} else {
		v.Form = adlRoleForm{Name: role.Name, Description: role.Description, Version: role.Version, Holders: map[string]bool{}}
		for _, id := range role.HolderIDs {
			v.Form.Holders[id] = true
		}
	}
	if req != nil {
		v.Req = *req
	}
	if v.D, err = h.directory(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Rep, err = h.app.Gaps(r.Ctx(), r.Actor, app.GapQuery{Scope: "role:" + role.ID}); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.lrn, v.Skills, err = h.lrnLoadNames(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ps, err := h.lrnPrograms(r, app.ProgramQuery{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Titles = programTitles(ps)
	h.render(w, r.Request, status, adlRolePage(s, v))
}

// adlUpdateRole saves a role profile's name, description and holders.
func (h *Handler) adlUpdateRole(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	id := r.PathValue("id")
	f := readRoleForm(r)
	version := adminVersion(r)
	if version != nil {
		f.Version = *version
	}
	d, err := h.directory(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	holders := f.holderIDs(d)
	role, err := h.app.UpdateRole(r.Ctx(), r.Actor, id, version, app.RoleUpdate{Name: &f.Name, Description: &f.Description, HolderIDs: &holders})
	if formIsStale(err) {
		f.FE = FieldErrors{"": formStaleMessage("role profile")}
		h.adlRenderRole(w, r, http.StatusConflict, &f, nil)
		return
	}
	if fe, ok := fieldErrors(err); ok {
		f.FE = adlRoleErrors(fe)
		h.adlRenderRole(w, r, adminStatus(err), &f, nil)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/learning/roles/"+id, "Role profile “"+role.Name+"” saved.")
}

// adlDeleteRole deletes a role profile with its requirements.
func (h *Handler) adlDeleteRole(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	role, err := h.app.GetRole(r.Ctx(), r.Actor, r.PathValue("id"))
	if err == nil {
		err = h.app.DeleteRole(r.Ctx(), r.Actor, role.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/learning/roles", "Role profile “"+role.Name+"” deleted.")
}

// adlAddRoleRequirement adds a requirement to a role profile.
func (h *Handler) adlAddRoleRequirement(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	id := r.PathValue("id")
	f, in := readReqForm(r, learning.Subject{Type: learning.SubjectRole, ID: id})
	if len(f.FE) == 0 {
		req, err := h.app.CreateRequirement(r.Ctx(), r.Actor, in, f.Key)
		if err == nil {
			h.redirect(w, r.Request, "/admin/learning/roles/"+id+"#requirements", "The role now requires "+h.skillName(r, req.SkillID)+".")
			return
		}
		more, ok := fieldErrors(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		mergeErrors(f.FE, more)
	}
	h.adlRenderRole(w, r, http.StatusUnprocessableEntity, nil, &f)
}

// adlRemoveRoleRequirement removes one of a role profile's requirements.
func (h *Handler) adlRemoveRoleRequirement(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	id := r.PathValue("id")
	req, err := h.app.GetRequirement(r.Ctx(), r.Actor, r.PathValue("req"))
	if err == nil && (req.Subject.Type != learning.SubjectRole || req.Subject.ID != id) {
		err = errs.NotFoundf("the role profile has no such skill requirement")
	}
	if err == nil {
		err = h.app.DeleteRequirement(r.Ctx(), r.Actor, req.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r.Request, "/admin/learning/roles/"+id+"#requirements", "The role no longer requires "+h.skillName(r, req.SkillID)+".")
}

// ---- LRS credentials

// adlLRSView is the LRS credentials page.
type adlLRSView struct {
	Frame adminFrame
	D     *directory
	// Live are the credentials in use, newest first; Revoked the others.
	Live, Revoked []learning.LRSCredential
	Now           time.Time
	Loc           *time.Location
	// Endpoint is the address learning systems send statements to.
	Endpoint string
	Name     string
	FE       FieldErrors
	Created  *app.NewLRSCredential
}

func (h *Handler) adlLRS(w http.ResponseWriter, r *Request) {
	h.adlRenderLRS(w, r, 0, adlLRSView{})
}

func (h *Handler) adlRenderLRS(w http.ResponseWriter, r *Request, status int, v adlLRSView) {
	s, f, ok := h.adlShell(w, r, "LRS credentials (xAPI)")
	if !ok {
		return
	}
	v.Frame, v.Now, v.Loc = f, time.Now(), s.Me.Org.Location()
	v.Endpoint = adminSiteURL(r.Request) + "/xapi/"
	var err error
	if v.D, err = h.directory(r); err != nil {
		h.fail(w, r, err)
		return
	}
	all, err := everyPage(func(p app.PageRequest) (app.Page[learning.LRSCredential], error) {
		return h.app.ListLRSCredentials(r.Ctx(), r.Actor, p)
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slices.SortStableFunc(all, func(a, b learning.LRSCredential) int { return b.Created.Compare(a.Created) })
	for _, c := range all {
		if c.Revoked == nil {
			v.Live = append(v.Live, c)
		} else {
			v.Revoked = append(v.Revoked, c)
		}
	}
	h.render(w, r.Request, status, adlLRSPage(s, v))
}

// adlCreateLRS creates a credential and shows its secret this once.
func (h *Handler) adlCreateLRS(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	name := r.PostFormValue("name")
	c, err := h.app.CreateLRSCredential(r.Ctx(), r.Actor, name)
	if fe, ok := fieldErrors(err); ok {
		h.adlRenderLRS(w, r, adminStatus(err), adlLRSView{Name: name, FE: fe})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.adlRenderLRS(w, r, http.StatusCreated, adlLRSView{Created: &c})
}

// adlRevokeLRS revokes a credential.
func (h *Handler) adlRevokeLRS(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	if err := h.app.RevokeLRSCredential(r.Ctx(), r.Actor, r.PathValue("id")); err != nil {
		h.fail(w, r, err)
		return
	}
	msg := "The credential is revoked: statements sent with it are refused from now on."
	if name := strings.TrimSpace(r.PostFormValue("name")); name != "" {
		msg = "“" + name + "” is revoked: statements sent with it are refused from now on."
	}
	h.redirect(w, r.Request, "/admin/learning/lrs", msg)
}

// ---- LMS completion import

// adlCompletionsView is the completion import: the upload, then the column
// mapping with the dry run, then the import.
type adlCompletionsView struct {
	Frame adminFrame
	D     *directory
	// CSV is the uploaded report, carried from step to step; Columns its header.
	CSV      string
	FileName string
	Columns  []string
	Mapping  learning.CompletionMapping
	// Result is the dry run (nil before one).
	Result *app.CompletionImport
	Titles map[string]string
	FE     FieldErrors
}

// adlMappingFields are the mapping's columns: form name, label, hint, required.
var adlMappingFields = []struct {
	Name, Label, Hint string
	Required          bool
}{
	{"email", "Learner's e-mail", "Matched to a member of the organization.", true},
	{"program", "Program", "Matched to a program's external id (the LMS's course id), else its title.", true},
	{"status", "Status", "completed, passed, failed, in progress, not started…", false},
	{"score", "Score", "0–100 (or 0–1).", false},
	{"completed", "Completion date", "YYYY-MM-DD or a date and time.", false},
	{"hours", "Hours", "Decimal hours or H:MM.", false},
	{"progress", "Progress", "Percent, e.g. 45.", false},
}

// column is the column mapped to a field.
func (v adlCompletionsView) column(field string) string {
	m := v.Mapping
	return map[string]string{"email": m.Email, "program": m.Program, "status": m.Status, "score": m.Score,
		"completed": m.Completed, "hours": m.Hours, "progress": m.Progress}[field]
}

// importable counts the rows an import changes or creates.
func (v adlCompletionsView) importable() int {
	if v.Result == nil {
		return 0
	}
	c := v.Result.Counts
	return c.Created + c.Completed + c.Updated
}

func (h *Handler) adlCompletions(w http.ResponseWriter, r *Request) {
	h.adlRenderCompletions(w, r, 0, adlCompletionsView{})
}

func (h *Handler) adlRenderCompletions(w http.ResponseWriter, r *Request, status int, v adlCompletionsView) {
	s, f, ok := h.adlShell(w, r, "LMS completions")
	if !ok {
		return
	}
	v.Frame = f
	var err error
	if v.D, err = h.directory(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Result != nil {
		ps, err := h.lrnPrograms(r, app.ProgramQuery{IncludeArchived: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.Titles = programTitles(ps)
	}
	h.render(w, r.Request, status, adlCompletionsPage(s, v))
}

// adlImportCompletions takes an uploaded report (and guesses its mapping),
// or a mapping to preview or apply.
func (h *Handler) adlImportCompletions(w http.ResponseWriter, r *Request) {
	if !h.adminGate(w, r) {
		return
	}
	v := adlCompletionsView{FE: FieldErrors{}}
	fresh := false
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 {
		data, name, err := adlUpload(r, "file")
		if err != nil {
			v.FE["file"] = adminSentence(messageOf(err))
			h.adlRenderCompletions(w, r, http.StatusUnprocessableEntity, v)
			return
		}
		v.CSV, v.FileName, fresh = string(data), name, true
	} else {
		v.CSV, v.FileName = r.PostFormValue("csv"), r.PostFormValue("file_name")
		v.Mapping = learning.CompletionMapping{Email: r.PostFormValue("email"), Program: r.PostFormValue("program"),
			Status: r.PostFormValue("status"), Score: r.PostFormValue("score"), Completed: r.PostFormValue("completed"),
			Hours: r.PostFormValue("hours"), Progress: r.PostFormValue("progress")}
	}
	if v.CSV == "" {
		v.FE["file"] = "choose the completion report (CSV) to upload"
		h.adlRenderCompletions(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	cols, err := csvColumns(v.CSV)
	if err != nil {
		v.FE["file"] = adminSentence(err.Error())
		h.adlRenderCompletions(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	v.Columns = cols
	if fresh {
		v.Mapping = guessMapping(cols)
		if v.Mapping.Email == "" || v.Mapping.Program == "" {
			// Nothing to preview yet: the admin maps the columns first.
			h.adlRenderCompletions(w, r, 0, v)
			return
		}
	}
	apply := !fresh && r.PostFormValue("step") == "apply"
	res, err := h.app.ImportCompletions(r.Ctx(), r.Actor, strings.NewReader(v.CSV), v.Mapping, !apply)
	if fe, ok := fieldErrors(err); ok {
		for k, msg := range fe {
			v.FE[strings.TrimPrefix(k, "mapping.")] = adminSentence(msg)
		}
		if msg, ok := v.FE["csv"]; ok {
			delete(v.FE, "csv")
			v.FE[""] = msg
		}
		h.adlRenderCompletions(w, r, adminStatus(err), v)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if apply {
		c := res.Counts
		h.redirect(w, r.Request, "/admin/learning/completions", "Imported "+okr.Plural(c.Rows, "row")+": "+
			okr.Plural(c.Created, "new enrollment")+", "+okr.Plural(c.Completed, "enrollment")+" completed or failed, "+
			okr.Plural(c.Updated, "enrollment")+" updated, "+okr.Plural(c.Unchanged+c.Unmatched+c.Errors, "row")+" left as they were.")
		return
	}
	v.Result = &res
	h.adlRenderCompletions(w, r, 0, v)
}

// csvColumns reads the header of a CSV file (comma, semicolon or tab
// separated, told from the header line).
func csvColumns(data string) ([]string, error) {
	data = strings.TrimPrefix(data, "\ufeff")
	line, _, _ := strings.Cut(data, "\n")
	line = strings.TrimSuffix(line, "\r")
	sep := ','
	for _, c := range []rune{';', '\t'} {
		if strings.Count(line, string(c)) > strings.Count(line, string(sep)) {
			sep = c
		}
	}
	rd := csv.NewReader(strings.NewReader(line))
	rd.Comma, rd.LazyQuotes = sep, true
	rec, err := rd.Read()
	if err != nil || len(rec) < 2 {
		return nil, errs.E(errs.Invalid, "the file is not a CSV report: its first line should name the columns, e.g. email,course_id,status,score")
	}
	out := make([]string, 0, len(rec))
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// guessMapping maps a report's columns by their usual names.
func guessMapping(cols []string) learning.CompletionMapping {
	norm := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	pick := func(names ...string) string {
		for _, n := range names { // exact names first, in order of preference
			for _, c := range cols {
				if norm(c) == n {
					return c
				}
			}
		}
		for _, n := range names {
			for _, c := range cols {
				if strings.Contains(norm(c), n) {
					return c
				}
			}
		}
		return ""
	}
	return learning.CompletionMapping{
		Email:     pick("email", "learneremail", "useremail", "mail"),
		Program:   pick("courseid", "activityid", "externalid", "programid", "coursecode", "course", "program", "coursetitle"),
		Status:    pick("status", "completionstatus", "result"),
		Score:     pick("score", "grade"),
		Completed: pick("completed", "completiondate", "completedat", "datecompleted", "finished"),
		Hours:     pick("hours", "duration", "timespent"),
		Progress:  pick("progress", "percentcomplete"),
	}
}
