package reports

import (
	"database/sql"
	"time"
)

// OpenArchive opens the archive database once, at startup.
//
// Defect (go/sql-pool-unconfigured): the pool keeps database/sql's defaults,
// unlimited open connections and connections that never expire.
func OpenArchive(driver, dsn string) (*sql.DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// OpenReplica is the clean look-alike: a bounded pool whose connections are recycled.
func OpenReplica(driver, dsn string) (*sql.DB, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(5 * time.Minute)
	return db, nil
}
