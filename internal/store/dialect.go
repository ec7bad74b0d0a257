package store

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect interface {
	name() string
	// rebind turns the store's ? placeholders into the engine's own.
	rebind(query string) string
	// classify turns a driver error into an errs.Error by its code.
	classify(err error, what string) error
	// lockOrganization makes the write transactions of one organization run
	// one at a time, so that a roll-up never reads what a concurrent
	// transaction is about to overwrite.
	lockOrganization(ctx context.Context, tx *sql.Tx, orgID string) error
	// txOptions are the options of a read or write transaction.
	txOptions(readOnly bool) *sql.TxOptions
	goose() goose.Dialect
	gooseOptions() []goose.ProviderOption
	// columns lists a table's columns, for the schema-parity test.
	columnsQuery() string
	tablesQuery() string
	// skipLocked ends a SELECT that claims rows (jobs, outbox events) so that
	// concurrent claimers skip each other's rows: FOR UPDATE SKIP LOCKED on
	// PostgreSQL; nothing on SQLite, whose one writer serializes claims.
	skipLocked() string
	// bulkPragmas are the statements that set up a connection for a bulk
	// load (on) and restore it afterwards (off).
	bulkPragmas(on bool) []string
}
