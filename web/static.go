// Package web holds the portal's face: templ layout, components and pages, and the static assets the
// pages need, embedded in the binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:static
var static embed.FS

// Static is the asset tree served at /assets/: the brand CSS built by Sass, GOV.UK and MOJ Frontend's
// JavaScript, fonts and images (copied in by `make assets`).
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	return sub
}
