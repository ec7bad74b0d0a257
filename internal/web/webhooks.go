package web

func (h *Handler) webhookRoutes() {}
