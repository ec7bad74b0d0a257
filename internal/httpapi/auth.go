package httpapi

import (
	"context"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/okrahq/okra/internal/errs"
	"github.com/okrahq/okra/internal/org"
)

type actorKey struct{}

// authenticate is the huma middleware of every /api/v1 operation: the bearer
// token becomes the actor in the context; a missing or unknown token is a
// 401 problem with WWW-Authenticate.
func (s *Server) authenticate(ctx huma.Context, next func(huma.Context)) {
	token, ok := bearerToken(ctx.Header("Authorization"))
	var err error
	if !ok {
		err = errs.E(errs.Unauthenticated, "send an API token as 'Authorization: Bearer okra_…'")
	} else {
		var actor org.Actor
		actor, err = s.app.Authenticate(ctx.Context(), token, requestIDFrom(ctx.Context()))
		if err == nil {
			next(huma.WithValue(ctx, actorKey{}, actor))
			return
		}
	}
	_, w := humago.Unwrap(ctx)
	writeProblem(w, s.problem(ctx.Context(), err))
}

// bearerToken reads "Bearer <token>" (the scheme is case-insensitive).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// actorFrom returns the authenticated actor. Every operation runs behind
// authenticate, so a missing actor is a programming error.
func actorFrom(ctx context.Context) org.Actor {
	a, ok := ctx.Value(actorKey{}).(org.Actor)
	if !ok {
		panic("httpapi: operation without an authenticated actor")
	}
	return a
}
