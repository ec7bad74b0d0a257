package httpapi

import "github.com/danielgtaylor/huma/v2"

func (s *Server) rhythmRoutes(api huma.API) {}
