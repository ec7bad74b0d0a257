package web

import "github.com/okrahq/okra/internal/app"

// everyPage gathers every item of a paged list use case: list is called
// with the cursor of each page in turn (none first) until the last page.
func everyPage[T any](list func(p app.PageRequest) (app.Page[T], error)) ([]T, error) {
	var out []T
	p := app.PageRequest{Limit: 200}
	for {
		page, err := list(p)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		p.Cursor = page.NextCursor
	}
}
