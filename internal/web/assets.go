package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// asset is one file served under a content-hashed name.
type asset struct {
	body        []byte
	contentType string
}

// assets maps logical names ("app.css") to content-hashed URLs
// ("/static/app.1a2b3c4d5e.css") and serves them with a year-long cache.
type assets struct {
	urls  map[string]string
	files map[string]asset // by hashed file name
}

// loadAssets reads the embedded files: the style sheets in static/css are
// joined, in name order, into app.css; every other file keeps its name.
func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	var css bytes.Buffer
	sheets, err := fs.Glob(staticFS, "static/css/*.css")
	if err != nil {
		return nil, err
	}
	sort.Strings(sheets)
	for _, name := range sheets {
		b, err := staticFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&css, "/* %s */\n", path.Base(name))
		css.Write(b)
		css.WriteByte('\n')
	}
	a.add("app.css", css.Bytes())
	for _, dir := range []string{"static/js", "static/vendor", "static/img"} {
		entries, err := fs.ReadDir(staticFS, dir)
		if err != nil && !strings.Contains(err.Error(), "file does not exist") {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() || strings.Contains(e.Name(), "LICENSE") {
				continue
			}
			b, err := staticFS.ReadFile(dir + "/" + e.Name())
			if err != nil {
				return nil, err
			}
			a.add(e.Name(), b)
		}
	}
	return a, nil
}

func (a *assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	a.urls[name] = "/static/" + hashed
	a.files[hashed] = asset{body: body, contentType: contentType(ext)}
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// URL is the hashed URL of a logical asset name; it panics on a name that
// does not exist, which the page tests catch.
func (a *assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return u
}

// ServeHTTP serves /static/{file}: hashed names never change, so they are
// cached for a year.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
