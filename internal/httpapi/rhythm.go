package httpapi

import (
	"context"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
)

const tagRhythm = "Rhythm and inbox"

func (s *Server) rhythmRoutes(api huma.API) {
	register(s, api, get("/settings", "getSettings", "The organization's settings: cadence, grace days, thresholds (the chat webhook and private targets for admins)", tagRhythm), s.getSettings)
	register(s, api, patch("/settings", "updateSettings", "Change the organization's settings (admin)", tagRhythm), s.updateSettings)
	register(s, api, list("/notifications", "listNotifications", "Your inbox, newest first, with the unread count", tagRhythm), s.listNotifications)
	register(s, api, action("/notifications/{id}/read", "readNotification", "Mark one of your notifications read", tagRhythm), s.readNotification)
	register(s, api, action("/notifications/read-all", "readAllNotifications", "Mark all your notifications read", tagRhythm), s.readAllNotifications)
}

func (s *Server) getSettings(ctx context.Context, _ *struct{}) (*taggedOutput[app.SettingsView], error) {
	v, err := s.app.GetSettings(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return tagged(v, v.Version), nil
}

type updateSettingsInput struct {
	IfMatchHeader
	Body app.SettingsUpdate
}

func (s *Server) updateSettings(ctx context.Context, in *updateSettingsInput) (*taggedOutput[app.SettingsView], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	out, err := s.app.UpdateSettings(ctx, actorFrom(ctx), v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(out, out.Version), nil
}

type listNotificationsInput struct {
	PageParams
	Unread bool `query:"unread" doc:"true: only the unread ones."`
}

func (s *Server) listNotifications(ctx context.Context, in *listNotificationsInput) (*bodyOutput[app.Inbox], error) {
	page, err := s.app.ListNotifications(ctx, actorFrom(ctx), in.Unread, in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Inbox]{Body: page}, nil
}

func (s *Server) readNotification(ctx context.Context, in *IDParam) (*bodyOutput[app.Notification], error) {
	n, err := s.app.ReadNotification(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Notification]{Body: n}, nil
}

type readAllOutput struct {
	Marked int `json:"marked" doc:"How many notifications were marked read."`
}

func (s *Server) readAllNotifications(ctx context.Context, _ *struct{}) (*bodyOutput[readAllOutput], error) {
	n, err := s.app.ReadAllNotifications(ctx, actorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &bodyOutput[readAllOutput]{Body: readAllOutput{Marked: n}}, nil
}
