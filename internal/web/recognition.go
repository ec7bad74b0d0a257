package web

import "github.com/okrahq/okra/internal/app"

func (h *Handler) recognitionRoutes() {}

// lessonObjView is the objective page's section of this area.
type lessonObjView struct{}

func (h *Handler) lessonObjLoad(r *Request, s *Shell, d *directory, ov app.ObjectiveOverview) (lessonObjView, error) {
	return lessonObjView{}, nil
}
