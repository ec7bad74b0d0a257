package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/wneessen/go-mail"
)

// SMTP TLS modes.
const (
	TLSNone     = "none"     // plain SMTP (a relay on the same host or network)
	TLSStartTLS = "starttls" // STARTTLS required (usually port 587)
	TLSImplicit = "tls"      // TLS from the first byte (usually port 465)
)

// SMTPConfig says how to reach the SMTP server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	From     string // the sender, e.g. "okra <okra@example.com>"
	TLS      string // none, starttls or tls
	// Timeout bounds connecting and each command (default 30 s).
	Timeout time.Duration
}

// SMTPMailer sends e-mail through an SMTP server.
type SMTPMailer struct {
	cfg SMTPConfig
}

// NewSMTPMailer checks the configuration and returns a mailer.
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.Host == "" {
		return nil, fmt.Errorf("--smtp-host: name the SMTP server")
	}
	if cfg.From == "" {
		return nil, fmt.Errorf("--smtp-from: give the sender address, e.g. okra@example.com")
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = TLSStartTLS
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return nil, fmt.Errorf("--smtp-tls: %q is not none, starttls or tls", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	m := mail.NewMsg()
	if err := m.From(cfg.From); err != nil {
		return nil, fmt.Errorf("--smtp-from: %q is not an e-mail address: %w", cfg.From, err)
	}
	return &SMTPMailer{cfg: cfg}, nil
}

// Send sends one plain-text message.
func (s *SMTPMailer) Send(ctx context.Context, to, subject, text string) error {
	m := mail.NewMsg()
	if err := m.From(s.cfg.From); err != nil {
		return err
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("the recipient %q is not an e-mail address: %w", to, err)
	}
	m.Subject(subject)
	m.SetDate()
	m.SetMessageID()
	m.SetBodyString(mail.TypeTextPlain, text)
	opts := []mail.Option{mail.WithPort(s.cfg.Port), mail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	}
	if s.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username), mail.WithPassword(s.cfg.Password))
	}
	c, err := mail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, m)
}
