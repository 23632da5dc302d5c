// Package webui: this build has no web UI; lakeFS serves FallbackHTML at /.
package webui

import "embed"

// Content holds the (absent) UI files.
//
//go:embed fallback.html
var Content embed.FS

// UIBuilt is false: the API and S3 gateway are all the tests use.
var UIBuilt = false

// FallbackHTML is served instead of the UI.
var FallbackHTML = []byte("<!doctype html><title>lakeFS</title><p>lakeFS test peer: API only (no web UI in this build).</p>\n")
