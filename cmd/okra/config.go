package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okrahq/okra/internal/jobs"
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

// JobFlags configure the background jobs, e-mail and webhooks.
type JobFlags struct {
	Jobs             bool          `help:"Run the background jobs (reminders, digests, e-mail, webhook deliveries) in this process. Any number of processes may on one PostgreSQL database; each job runs once." default:"true" env:"OKRA_JOBS" negatable:""`
	JobsPoll         time.Duration `help:"How often the background jobs look for work." default:"5s" env:"OKRA_JOBS_POLL" name:"jobs-poll"`
	PublicURL        string        `help:"The address people reach okra at (https://okra.example.com), for the links in e-mails." env:"OKRA_PUBLIC_URL" name:"public-url"`
	SecretKeyFile    string        `help:"A file holding the 32-byte key (base64 or hex) that seals webhook signing secrets. Default on SQLite: <data>/secret.key, created on first start; on PostgreSQL webhooks need it." env:"OKRA_SECRET_KEY_FILE" name:"secret-key-file" type:"path"`
	SMTPHost         string        `help:"SMTP server for e-mail; without one, no e-mail is sent." env:"OKRA_SMTP_HOST" name:"smtp-host"`
	SMTPPort         int           `help:"SMTP port (default: 25 for none, 587 for starttls, 465 for tls)." env:"OKRA_SMTP_PORT" name:"smtp-port"`
	SMTPUsername     string        `help:"SMTP user name; empty: no authentication." env:"OKRA_SMTP_USERNAME" name:"smtp-username"`
	SMTPPasswordFile string        `help:"A file holding the SMTP password." env:"OKRA_SMTP_PASSWORD_FILE" name:"smtp-password-file" type:"path"`
	SMTPFrom         string        `help:"The sender of okra's e-mail, e.g. \"okra <okra@example.com>\"." env:"OKRA_SMTP_FROM" name:"smtp-from"`
	SMTPTLS          string        `help:"none, starttls or tls." default:"starttls" env:"OKRA_SMTP_TLS" name:"smtp-tls" enum:"none,starttls,tls"`
}

// apply sets the job flags on m.
func (f JobFlags) apply(m *Main) error {
	m.Jobs, m.JobsPoll, m.PublicURL, m.SecretKeyFile = f.Jobs, f.JobsPoll, f.PublicURL, f.SecretKeyFile
	if f.SMTPHost == "" {
		return nil
	}
	m.SMTP = jobs.SMTPConfig{Host: f.SMTPHost, Port: f.SMTPPort, Username: f.SMTPUsername, From: f.SMTPFrom, TLS: f.SMTPTLS}
	if f.SMTPPasswordFile != "" {
		b, err := os.ReadFile(f.SMTPPasswordFile)
		if err != nil {
			return fmt.Errorf("--smtp-password-file: %w", err)
		}
		m.SMTP.Password = strings.TrimRight(string(b), "\r\n")
	}
	if m.SMTP.From == "" {
		return errors.New("--smtp-from: give the sender of okra's e-mail, e.g. okra@example.com")
	}
	return nil
}

// secretKeyName is the key file okra creates in the SQLite data directory.
const secretKeyName = "secret.key"

// loadSecretKey reads the key that seals webhook secrets: from path when
// given; on SQLite from <data>/secret.key, created (0600) when missing; on
// PostgreSQL without a path, none (webhooks are then refused with a message
// that names the flag).
func loadSecretKey(path string, db DBFlags) ([]byte, error) {
	if path == "" {
		if db.DatabaseURL != "" {
			return nil, nil
		}
		if err := os.MkdirAll(db.Data, 0o750); err != nil {
			return nil, err
		}
		path = filepath.Join(db.Data, secretKeyName)
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case err == nil:
			_, werr := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n")
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				return nil, fmt.Errorf("write %s: %w", path, werr)
			}
			return k, nil
		case !errors.Is(err, fs.ErrExist):
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	text := strings.TrimSpace(string(b))
	if k, err := base64.StdEncoding.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := hex.DecodeString(text); err == nil && len(k) == 32 {
		return k, nil
	}
	if len(b) == 32 {
		return b, nil
	}
	return nil, fmt.Errorf("secret key %s: want 32 bytes, base64- or hex-encoded (e.g. `head -c 32 /dev/urandom | base64 > %s`)", path, path)
}
