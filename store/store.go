// Package store opens Rostrum's database (SQLite by default, PostgreSQL for
// scale-out) and runs its migrations. The same models and migrations serve
// both engines.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// SQLiteDSN turns a file path into a DSN that gives every pooled connection
// the pragmas Rostrum relies on: WAL for readers beside one writer, a busy
// timeout instead of immediate SQLITE_BUSY, foreign keys, and write
// transactions that take the write lock at BEGIN (so a limit checked inside
// a transaction cannot be raced by another writer).
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database named by dsn: a postgres:// URL, or a SQLite file
// path (its directory is created when missing).
func Open(dsn string, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
	if IsPostgres(dsn) {
		db, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		return db, nil
	}
	if dir := filepath.Dir(dsn); dir != "" && dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	sqlDB, err := sql.Open(sqliteDriver, SQLiteDSN(dsn))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	// A few connections let readers run beside the one writer under WAL;
	// writers queue in Go (serialPool) rather than spin on the busy handler.
	// One more is the checkpointer's (checkpoint.go).
	sqlDB.SetMaxOpenConns(5)
	sqlDB.SetMaxIdleConns(5)
	sqlDB.SetConnMaxLifetime(0)
	// Prepared statements are kept (see serialTx.PrepareContext for those
	// of transactions): preparing was a fifth of a registration's time.
	// Queries whose text varies (IN lists) come and go through the cache.
	cfg.PrepareStmt, cfg.PrepareStmtMaxSize, cfg.PrepareStmtTTL = true, 500, time.Hour
	db, err := gorm.Open(sqlite.Dialector{DriverName: "sqlite3", Conn: newSerialPool(sqlDB, 10*time.Second)}, cfg)
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	if err := db.WithContext(context.Background()).Exec("SELECT 1").Error; err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	if err := startCheckpoints(sqlDB, log); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
	}
	return db, nil
}

// Postgres reports whether db runs on PostgreSQL.
func Postgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// LockForUpdate adds SELECT ... FOR UPDATE on PostgreSQL. On SQLite a write
// transaction already holds the database's write lock from BEGIN
// (_txlock=immediate), so no row lock is needed or supported.
func LockForUpdate(tx *gorm.DB) *gorm.DB {
	if Postgres(tx) {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the database's pool.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	stopCheckpoints(sqlDB)
	return sqlDB.Close()
}

// sqliteDriver is go-sqlite3 with the pragmas its DSN cannot carry, run
// on every new connection. temp_store=MEMORY keeps savepoint journals in
// memory: each grouped registration runs under a savepoint (GroupCommit),
// and with the default they went to a temporary file, which made grouped
// registrations slower than ungrouped ones (1,000/s against 1,170/s).
// wal_autocheckpoint=0 leaves checkpoints to the background checkpointer
// (checkpoint.go), out of the commits' way; the commit hook counts the
// commits it goes by.
const sqliteDriver = "sqlite3_rostrum"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		commits := commitCounter(c.GetFilename("main"))
		c.RegisterCommitHook(func() int { commits.Add(1); return 0 })
		_, err := c.Exec("PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}
