package web

import "github.com/okrahq/okra/internal/app"

func (h *Handler) reviewRoutes() {}

// reviewObjView is the objective page's section of this area.
type reviewObjView struct{}

func (h *Handler) reviewObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (reviewObjView, error) {
	return reviewObjView{}, nil
}
