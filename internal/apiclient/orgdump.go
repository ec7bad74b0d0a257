package apiclient

import (
	"context"

	"github.com/okrahq/okra/internal/app"
)

// ExportOrganization returns the token's organization as one backup document (admin).
func (c *Client) ExportOrganization(ctx context.Context) (app.OrgDocument, error) {
	var doc app.OrgDocument
	return doc, c.get(ctx, path("organization", "export"), nil, &doc)
}

// ImportOrganization imports a backup document into the token's organization,
// which must be empty (owner).
func (c *Client) ImportOrganization(ctx context.Context, doc app.OrgDocument) (app.OrgImportSummary, error) {
	var sum app.OrgImportSummary
	return sum, c.post(ctx, path("organization", "import"), doc, &sum)
}
