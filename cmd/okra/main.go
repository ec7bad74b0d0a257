// Command okra is the OKR server, its database tools and its demo.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // organizations' time zones work on hosts without zoneinfo

	"github.com/alecthomas/kong"
)

// CLI is okra's command line. The database, address and logging flags also
// read OKRA_* variables.
type CLI struct {
	Serve   ServeCmd   `cmd:"" help:"Run the server (the JSON API)."`
	Demo    DemoCmd    `cmd:"" help:"Start the server with a demo organization built from the case studies."`
	Migrate MigrateCmd `cmd:"" help:"Apply database migrations and exit."`
	Init    InitCmd    `cmd:"" help:"Create an organization and its owner; prints an owner API token as the last line."`
	Token   TokenCmd   `cmd:"" help:"Mint an API token for a member, working on the database directly (a lost owner token, say); prints it as the last line."`
	Backup  BackupCmd  `cmd:"" help:"Write an organization as one JSON document (a backup you can read), working on the database directly."`
	Import  ImportCmd  `cmd:"" help:"Create an organization from a backup document (or fill an empty one), working on the database directly."`
	Apply   ApplyCmd   `cmd:"" help:"Make a period's OKRs match a YAML or JSON file (OKRs as code): shows the plan; --dry-run changes nothing."`
	Export  ExportCmd  `cmd:"" help:"Write a period's OKRs as a YAML or JSON file that okra apply reads back unchanged."`
	Lint    LintCmd    `cmd:"" help:"Check an OKR file with the coach, offline; exits 1 when a check fails."`
	Checkin CheckinCmd `cmd:"" help:"Check in a key result through the API (OKRA_URL, OKRA_TOKEN)."`
	Status  StatusCmd  `cmd:"" help:"Your key results and their health, through the API (OKRA_URL, OKRA_TOKEN)."`
	Bench   BenchCmd   `cmd:"" help:"Measure okra on a synthetic organization against this machine's own limits (docs/performance.md)."`
	Version VersionCmd `cmd:"" help:"Print the version."`
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var cli CLI
	kctx := kong.Parse(&cli,
		kong.Name("okra"),
		kong.Description("okra — OKRs connected to the skills and learning of your people."),
		kong.UsageOnError(),
		kong.BindTo(ctx, (*context.Context)(nil)),
	)
	if err := kctx.Run(); err != nil {
		var st exitStatus
		if errors.As(err, &st) {
			if st.msg != "" {
				fmt.Fprintln(os.Stderr, "okra:", st.msg)
			}
			os.Exit(st.code)
		}
		fmt.Fprintln(os.Stderr, "okra:", err)
		os.Exit(1)
	}
}
