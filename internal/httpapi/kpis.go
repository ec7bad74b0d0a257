package httpapi

import "github.com/danielgtaylor/huma/v2"

func (s *Server) kpiRoutes(api huma.API) {}
