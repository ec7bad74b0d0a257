package web

func (h *Handler) rhythmRoutes() {}
