package main

import (
	"errors"
	"net/http"
	"time"

	"github.com/okrahq/okra/internal/apiclient"
)

// ClientFlags address a running okra server through its API, for the
// commands people and scripts run against it (checkin, status, apply, export).
type ClientFlags struct {
	URL   string `help:"The okra server's address." default:"http://127.0.0.1:8080" env:"OKRA_URL" name:"url"`
	Token string `help:"An API token (okra_…); better given as OKRA_TOKEN than on the command line." env:"OKRA_TOKEN" name:"token"`
}

// client returns an API client of the server, or an error that says how to
// give the token.
func (f ClientFlags) client() (*apiclient.Client, error) {
	if f.Token == "" {
		return nil, errors.New("no API token: set OKRA_TOKEN (or --token) to a token from Admin → API tokens or `okra token`")
	}
	return apiclient.New(f.URL, f.Token, &http.Client{Timeout: 60 * time.Second}), nil
}

// OutputFlags choose between text for people and JSON for scripts.
type OutputFlags struct {
	Format string `help:"Output format: text or json." default:"text" enum:"text,json" short:"F"`
}

// json reports whether the output is JSON.
func (f OutputFlags) json() bool { return f.Format == "json" }

// exitStatus ends the command with a status other than 1 or with a status
// and no message (lint's findings are the message).
type exitStatus struct {
	code int
	msg  string
}

func (e exitStatus) Error() string { return e.msg }
