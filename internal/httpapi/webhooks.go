package httpapi

import (
	"context"

	"github.com/danielgtaylor/huma/v2"

	"github.com/okrahq/okra/internal/app"
)

const tagWebhooks = "Webhooks and jobs"

// webhookRoutes registers outgoing webhooks, their delivery logs, and the
// background jobs' dead-letter view (admins).
func (s *Server) webhookRoutes(api huma.API) {
	register(s, api, create("/webhooks", "createWebhook", "Register a webhook; the signing secret is shown once (admin)", tagWebhooks), s.createWebhook)
	register(s, api, list("/webhooks", "listWebhooks", "List the webhooks (admin)", tagWebhooks), s.listWebhooks)
	register(s, api, get("/webhooks/{id}", "getWebhook", "Get a webhook (admin)", tagWebhooks), s.getWebhook)
	register(s, api, patch("/webhooks/{id}", "updateWebhook", "Change a webhook's URL, events, description or active flag (admin)", tagWebhooks), s.updateWebhook)
	register(s, api, del("/webhooks/{id}", "deleteWebhook", "Delete a webhook and its delivery log (admin)", tagWebhooks), s.deleteWebhook)
	register(s, api, list("/webhooks/{id}/deliveries", "listWebhookDeliveries", "A webhook's delivery log, newest first (admin)", tagWebhooks), s.listDeliveries)
	register(s, api, action("/webhooks/{id}/ping", "pingWebhook", "Send a ping event to a webhook, to see in its log whether the receiver answers (admin)", tagWebhooks), s.pingWebhook)
	register(s, api, list("/jobs", "listJobs", "The organization's background jobs, newest first: state=dead is the dead-letter queue (admin)", tagWebhooks), s.listJobs)
	register(s, api, action("/jobs/{id}/retry", "retryJob", "Run a dead (or waiting) job again now, with a fresh set of attempts (admin)", tagWebhooks), s.retryJob)
	register(s, api, del("/jobs/{id}", "discardJob", "Discard a job that is not running (admin)", tagWebhooks), s.discardJob)
}

type createWebhookInput struct {
	IdempotencyHeader
	Body app.WebhookInput
}

func (s *Server) createWebhook(ctx context.Context, in *createWebhookInput) (*createdTaggedOutput[app.NewWebhook], error) {
	w, err := s.app.CreateWebhook(ctx, actorFrom(ctx), in.Body, in.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return created(w, location("webhooks", w.ID), w.Version), nil
}

func (s *Server) listWebhooks(ctx context.Context, in *PageParams) (*bodyOutput[app.Page[app.Webhook]], error) {
	page, err := s.app.ListWebhooks(ctx, actorFrom(ctx), in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[app.Webhook]]{Body: page}, nil
}

func (s *Server) getWebhook(ctx context.Context, in *IDParam) (*taggedOutput[app.Webhook], error) {
	w, err := s.app.GetWebhook(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return tagged(w, w.Version), nil
}

type updateWebhookInput struct {
	IDParam
	IfMatchHeader
	Body app.WebhookUpdate
}

func (s *Server) updateWebhook(ctx context.Context, in *updateWebhookInput) (*taggedOutput[app.Webhook], error) {
	v, err := in.version()
	if err != nil {
		return nil, err
	}
	w, err := s.app.UpdateWebhook(ctx, actorFrom(ctx), in.ID, v, in.Body)
	if err != nil {
		return nil, err
	}
	return tagged(w, w.Version), nil
}

func (s *Server) deleteWebhook(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DeleteWebhook(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}

type listDeliveriesInput struct {
	IDParam
	PageParams
}

func (s *Server) listDeliveries(ctx context.Context, in *listDeliveriesInput) (*bodyOutput[app.Page[app.Delivery]], error) {
	page, err := s.app.ListDeliveries(ctx, actorFrom(ctx), in.ID, in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[app.Delivery]]{Body: page}, nil
}

func (s *Server) pingWebhook(ctx context.Context, in *IDParam) (*bodyOutput[app.Delivery], error) {
	d, err := s.app.PingWebhook(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Delivery]{Body: d}, nil
}

type listJobsInput struct {
	PageParams
	State string `query:"state" enum:"queued,running,done,dead,retrying" doc:"Only jobs in this state: dead (gave up), retrying (failed, waiting for another attempt), queued, running or done."`
}

func (s *Server) listJobs(ctx context.Context, in *listJobsInput) (*bodyOutput[app.Page[app.Job]], error) {
	page, err := s.app.ListJobs(ctx, actorFrom(ctx), in.State, in.request())
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Page[app.Job]]{Body: page}, nil
}

func (s *Server) retryJob(ctx context.Context, in *IDParam) (*bodyOutput[app.Job], error) {
	j, err := s.app.RetryJob(ctx, actorFrom(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOutput[app.Job]{Body: j}, nil
}

func (s *Server) discardJob(ctx context.Context, in *IDParam) (*noContent, error) {
	if err := s.app.DiscardJob(ctx, actorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &noContent{}, nil
}
