// Package migrations holds the portal's SQL migrations, embedded so the binary carries its own schema.
package migrations

import "embed"

// FS is every migration file, named NNNN_name.up.sql / NNNN_name.down.sql for golang-migrate.
//
//go:embed *.sql
var FS embed.FS
