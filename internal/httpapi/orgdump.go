package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
)

const tagBackup = "Backup"

// maxBackupBytes bounds an organization backup sent for import.
const maxBackupBytes = 256 << 20

// orgDumpRoutes registers the organization backup: its export and its import.
func (s *Server) orgDumpRoutes(api huma.API) {
	exp := get("/organization/export", "exportOrganization",
		"The whole organization as one JSON document, a backup you can read (admin)", tagBackup)
	exp.Description = "Every table the organization owns, row by row, and its members' accounts without their " +
		"passwords. Left out: API tokens, sessions, invitations, LRS credentials, webhooks (their secrets are sealed " +
		"with this server's key), jobs, the outbox and idempotency keys. The file holds people's e-mails and chat " +
		"webhook URLs: keep it safe."
	register(s, api, exp, s.exportOrganization)
	imp := action("/organization/import", "importOrganization",
		"Import a backup into this organization, which must be empty (owner); all or nothing", tagBackup)
	imp.Description = "The organization must hold nothing but its members, as okra init leaves it (409 otherwise). " +
		"Every object gets a new id; people are matched to existing accounts by e-mail, and the others get an " +
		"account without a password. The organization keeps its name, slug and members' roles and takes the " +
		"document's time zone, settings and everything else. The backup must come from an okra at the same " +
		"schema_version."
	imp.MaxBodyBytes = maxBackupBytes
	imp.BodyReadTimeout = 5 * time.Minute
	register(s, api, imp, s.importOrganization)
}

type exportOrganizationOutput struct {
	ContentDisposition string `header:"Content-Disposition" doc:"Names the file: okra-SLUG-YYYYMMDD-HHMMSS.json."`
	Body               app.OrgDocument
}

func (s *Server) exportOrganization(ctx context.Context, _ *struct{}) (*exportOrganizationOutput, error) {
	doc, err := s.app.ExportOrganization(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("okra-%s-%s.json", doc.Organization.Slug, doc.ExportedAt.Format("20060102-150405"))
	return &exportOrganizationOutput{ContentDisposition: `attachment; filename="` + name + `"`, Body: doc}, nil
}

type importOrganizationInput struct {
	Body app.OrgDocument
}

func (s *Server) importOrganization(ctx context.Context, in *importOrganizationInput) (*bodyOutput[app.OrgImportSummary], error) {
	sum, err := s.app.ImportOrganization(ctx, actorFrom(ctx), in.Body)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.OrgImportSummary]{Body: sum}, nil
}
