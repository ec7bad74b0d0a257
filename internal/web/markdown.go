package web

import (
	"bytes"
	"strings"

	"github.com/a-h/templ"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders the Markdown people write in notes and comments. Raw HTML is
// dropped and dangerous links (javascript:, …) are not rendered: goldmark's
// safe defaults.
var md = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Linkify))

// markdownHTML turns Markdown into safe HTML.
func markdownHTML(src string) templ.Component {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return templ.Raw(templ.EscapeString(src))
	}
	return templ.Raw(buf.String())
}

// markdownMarks are the emphasis marks an excerpt drops.
var markdownMarks = strings.NewReplacer("**", "", "__", "", "`", "", "~~", "")

// excerpt shortens a text (Markdown) to its first line and about n
// characters, as plain text.
func excerpt(s string, n int) string {
	s = strings.TrimSpace(markdownMarks.Replace(s))
	for _, mark := range []string{"- ", "* ", "> ", "# ", "## ", "### "} {
		s = strings.TrimPrefix(s, mark)
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " …"
	}
	if r := []rune(s); len(r) > n {
		s = strings.TrimSpace(string(r[:n])) + "…"
	}
	return s
}
