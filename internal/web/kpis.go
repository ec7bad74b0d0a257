package web

import "github.com/okrahq/okra/internal/app"

func (h *Handler) kpiRoutes() {}

// kpiObjView is the objective page's section of this area.
type kpiObjView struct{}

func (h *Handler) kpiObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (kpiObjView, error) {
	return kpiObjView{}, nil
}
