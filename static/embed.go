// Package static holds Rostrum's pages, style sheets and ES modules,
// embedded into the binary so that one file is the whole server.
package static

import (
	"embed"
	"io/fs"
	"net/http"
)

// FS is the embedded tree: pages/, css/, js/.
//
//go:embed pages css js favicon.ico
var FS embed.FS

// HTTP serves css/ and js/ (the pages are served by route).
func HTTP() http.FileSystem {
	sub, err := fs.Sub(FS, ".")
	if err != nil {
		panic(err)
	}
	return http.FS(sub)
}
