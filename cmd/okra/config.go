package main

import (
	"log/slog"
	"os"
	"strings"
)

// DBFlags choose the database.
type DBFlags struct {
	Data        string `help:"Data directory for the embedded SQLite database." default:"./okra-data" env:"OKRA_DATA" type:"path"`
	DatabaseURL string `help:"PostgreSQL URL (postgres://…); when set, SQLite is not used." env:"OKRA_DATABASE_URL" name:"database-url"`
	SyncFull    bool   `help:"SQLite: fsync on every commit (synchronous=FULL) instead of at checkpoints." env:"OKRA_SQLITE_SYNC_FULL" name:"sqlite-sync-full"`
}

// LogFlags configure logging.
type LogFlags struct {
	LogLevel  string `help:"debug, info, warn or error." default:"info" env:"OKRA_LOG_LEVEL" enum:"debug,info,warn,error"`
	LogFormat string `help:"text or json." default:"text" env:"OKRA_LOG_FORMAT" enum:"text,json"`
}

func (f LogFlags) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(strings.ToUpper(f.LogLevel)))
	opts := &slog.HandlerOptions{Level: level}
	if f.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
