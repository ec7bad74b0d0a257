package httpapi

import (
	"context"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/learning"
)

// lrsRoutes registers the administration of the LMS integration: LRS
// credentials, the statements the LRS stored, and completion report imports.
func (s *Server) lrsRoutes(api huma.API) {
	register(s, api, create("/xapi-credentials", "createXAPICredential", "Create an LRS key and secret for a learning system (admin; the secret is shown once)", tagLearning), s.createLRSCredential)
	register(s, api, list("/xapi-credentials", "listXAPICredentials", "List the LRS credentials, revoked ones included (admin)", tagLearning), s.listLRSCredentials)
	register(s, api, del("/xapi-credentials/{id}", "revokeXAPICredential", "Revoke an LRS credential (admin)", tagLearning), s.revokeLRSCredential)
	register(s, api, list("/xapi-statements", "listXAPIStatements", "The xAPI statements the LRS stored, newest first, with what okra made of each (admin)", tagLearning), s.listStatements)
	importOp := action("/learning-imports", "importCompletions", "Import an LMS completion report (CSV) with a column mapping; dry_run shows what would change (admin)", tagLearning)
	importOp.MaxBodyBytes = maxImportBytes
	register(s, api, importOp, s.importCompletions)
}

// LRSCredentialRequest names a new LRS credential.
type LRSCredentialRequest struct {
	Name string `json:"name" maxLength:"200" doc:"The learning system that will use it, e.g. \"Moodle\"."`
}

type createLRSCredentialInput struct {
	Body LRSCredentialRequest
}

// createLRSCredential answers 201 without Location: a credential cannot be
// read back (its secret is shown once); it is listed and revoked.
func (s *Server) createLRSCredential(ctx context.Context, in *createLRSCredentialInput) (*bodyOutput[app.NewLRSCredential], error) {
	c, err := s.app.CreateLRSCredential(ctx, actorFrom(ctx), in.Body.Name)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.NewLRSCredential]{Body: c}, nil
}

func (s *Server) listLRSCredentials(ctx context.Context, in *PageParams) (*bodyOutput[app.Page[learning.LRSCredential]], error) {
	page, err := s.app.ListLRSCredentials(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.LRSCredential]]{Body: page}, nil
}

func (s *Server) revokeLRSCredential(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.RevokeLRSCredential(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

type listStatementsInput struct {
	PageParams
	Matched  string `query:"matched" enum:"true,false" doc:"false: the statements that matched no active member or no program; true: those that did. Absent: all."`
	Verb     string `query:"verb" doc:"The verb's whole IRI, scheme included, such as the one of adlnet.gov/expapi/verbs/passed."`
	Activity string `query:"activity" doc:"An activity id (the statement's object id)."`
	Agent    string `query:"agent" doc:"The learner's e-mail (or account name)."`
}

func (s *Server) listStatements(ctx context.Context, in *listStatementsInput) (*bodyOutput[app.Page[learning.Statement]], error) {
	q := app.StatementListQuery{Verb: in.Verb, Activity: in.Activity, Agent: in.Agent, PageRequest: in.request()}
	if in.Matched != "" {
		m := in.Matched == "true"
		q.Matched = &m
	}
	page, err := s.app.ListStatements(ctx, actorFrom(ctx), q)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[learning.Statement]]{Body: page}, nil
}

// CompletionImportRequest is an LMS completion report to import.
type CompletionImportRequest struct {
	CSV     string                     `json:"csv" minLength:"1" doc:"The report's text: CSV separated by commas, semicolons or tabs, with a header line."`
	Mapping learning.CompletionMapping `json:"mapping" doc:"Which header names the learner's e-mail, the program (external id or title), and optionally the status, score, completion date, hours and progress."`
	DryRun  bool                       `json:"dry_run,omitempty" doc:"Report what the import would do, and change nothing."`
}

type importCompletionsInput struct {
	Body CompletionImportRequest
}

// importCompletions applies an LMS completion report to enrollments; a file
// okra cannot read is a 422 on the field csv.
func (s *Server) importCompletions(ctx context.Context, in *importCompletionsInput) (*bodyOutput[app.CompletionImport], error) {
	res, err := s.app.ImportCompletions(ctx, actorFrom(ctx), strings.NewReader(in.Body.CSV), in.Body.Mapping, in.Body.DryRun)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.CompletionImport]{Body: res}, nil
}
