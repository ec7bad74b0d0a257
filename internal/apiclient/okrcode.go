package apiclient

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/okr"
)

// ApplyDocument makes a period's OKRs match an OKR document (OKRs as code);
// with opts.DryRun it only plans and checks.
func (c *Client) ApplyDocument(ctx context.Context, doc app.OKRDocument, opts app.ApplyOptions) (app.ApplyPlan, error) {
	var plan app.ApplyPlan
	q := url.Values{"dry_run": {strconv.FormatBool(opts.DryRun)}, "prune": {strconv.FormatBool(opts.Prune)}}
	_, err := c.Do(ctx, Request{Method: "POST", Path: path("okrs", "apply"), Query: q, Body: doc}, &plan)
	return plan, err
}

// ExportDocument returns a period's objectives, key results and initiatives
// as an OKR document.
func (c *Client) ExportDocument(ctx context.Context, periodID string) (app.OKRDocument, error) {
	var doc app.OKRDocument
	return doc, c.get(ctx, path("okrs", "export"), url.Values{"period_id": {periodID}}, &doc)
}

// PeriodByName finds a period by its name (or its id); an error that lists
// the periods when none matches.
func (c *Client) PeriodByName(ctx context.Context, name string) (okr.Period, error) {
	var names []string
	for cursor := ""; ; {
		var page app.Page[okr.Period]
		if err := c.get(ctx, path("periods"), Page{Limit: 200, Cursor: cursor}.values(), &page); err != nil {
			return okr.Period{}, err
		}
		for _, p := range page.Items {
			if p.Name == name || p.ID == name {
				return p, nil
			}
			names = append(names, p.Name)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	return okr.Period{}, fmt.Errorf("no period named %q; the periods are: %s", name, strings.Join(names, ", "))
}
