// Package frontend embeds the built web UI so one binary serves it, both in
// the Wails window and from `fuzhi serve`. Build it with `npm run build`.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built UI; it holds only .gitkeep until the frontend is built.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is embedded above; this cannot fail at run time
	}
	return sub
}
