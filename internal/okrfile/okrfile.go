// Package okrfile reads and writes OKR documents (app.OKRDocument): a
// period's OKRs as code, in YAML or JSON (docs/okrs-as-code.md). YAML is
// turned into the same JSON value a JSON file would give and decoded by the
// same strict rules, so the two formats mean exactly the same: an unknown
// field or a value of the wrong type is an error that names its path in the
// document (objectives[2].key_results[0].target) and, for YAML, its line.
package okrfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/okrahq/okra/internal/app"
	"github.com/okrahq/okra/internal/errs"
)

// The formats.
const (
	YAML = "yaml"
	JSON = "json"
)

// MaxSize is the largest document Decode reads (8 MiB).
const MaxSize = 8 << 20

// FormatOf says which format a file is in: by its name's extension (.yaml,
// .yml, .json), else by its content (a JSON document starts with "{").
func FormatOf(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return YAML
	case ".json":
		return JSON
	}
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return JSON
	}
	return YAML
}

// Decode reads an OKR document from a file's content; name (a file name or
// "") chooses the format by its extension, else the content does. Every
// unknown field and every value of the wrong type is reported at once, as an
// errs.Invalid error with one field error per problem, named by its path.
func Decode(data []byte, name string) (app.OKRDocument, error) {
	var doc app.OKRDocument
	if len(data) > MaxSize {
		return doc, errs.E(errs.Invalid, "the file is %d bytes long; an OKR document may have at most %d", len(data), MaxSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return doc, errs.E(errs.Invalid, "the file is empty: an OKR document starts with okra: 1 and period: <name>")
	}
	var (
		value any
		lines map[string]int
		err   error
	)
	format := FormatOf(name, data)
	if format == JSON {
		value, err = parseJSON(data)
		lines = Lines(data)
	} else {
		value, lines, err = parseYAML(data)
	}
	if err != nil {
		return doc, err
	}
	var f errs.Fields
	check(value, reflect.TypeOf(doc), "", lines, &f)
	sort.SliceStable(f, func(i, j int) bool { return lineOf(f[i].Message) < lineOf(f[j].Message) })
	if err := f.Err(); err != nil {
		e := err.(*errs.Error)
		e.Message = fmt.Sprintf("the file is not an OKR document okra can read (%s)", format)
		return doc, e
	}
	canonical, err := json.Marshal(value)
	if err != nil {
		return doc, fmt.Errorf("okrfile: re-encode: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(canonical))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		// check has accepted the value, so this is a bug in check.
		return doc, fmt.Errorf("okrfile: decode: %w", err)
	}
	return doc, nil
}

// parseJSON reads one JSON value, numbers kept exact.
func parseJSON(data []byte) (any, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonSyntax(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errs.E(errs.Invalid, "the JSON file holds more than one value: an OKR document is one object")
	}
	return v, nil
}

// jsonSyntax turns a JSON syntax error into a message with its line.
func jsonSyntax(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return errs.E(errs.Invalid, "the JSON file is not valid JSON: line %d: %s", line, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.E(errs.Invalid, "the JSON file is not valid JSON: it ends in the middle of a value")
	}
	return errs.E(errs.Invalid, "the JSON file is not valid JSON: %s", err.Error())
}

// parseYAML reads one YAML document into the value JSON would give, with the
// line of every path.
func parseYAML(data []byte) (any, map[string]int, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errs.E(errs.Invalid, "the file is empty: an OKR document starts with okra: 1 and period: <name>")
		}
		return nil, nil, errs.E(errs.Invalid, "the YAML file is not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, nil, errs.E(errs.Invalid, "the YAML file holds more than one document (---): an OKR document is one")
	}
	c := converter{lines: map[string]int{}}
	v := c.value(&root, "", 0)
	return v, c.lines, c.fields.Err()
}

// converter turns YAML nodes into JSON values.
type converter struct {
	lines  map[string]int
	fields errs.Fields
}

func (c *converter) fail(n *yaml.Node, path, format string, args ...any) {
	c.fields.Add(path, "line %d: %s", n.Line, fmt.Sprintf(format, args...))
}

// value converts a node at path; depth bounds aliases that refer to themselves.
func (c *converter) value(n *yaml.Node, path string, depth int) any {
	if depth > 64 {
		c.fail(n, path, "nests too deep")
		return nil
	}
	if _, ok := c.lines[path]; !ok {
		c.lines[path] = n.Line
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.value(n.Content[0], path, depth+1)
	case yaml.AliasNode:
		return c.value(n.Alias, path, depth+1)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
				c.fail(k, path, "okra reads plain field names only (no merge keys or complex keys)")
				continue
			}
			name := k.Value
			p := join(path, name)
			if _, dup := m[name]; dup {
				c.fail(k, p, "is given twice")
				continue
			}
			c.lines[p] = k.Line
			m[name] = c.value(v, p, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, item := range n.Content {
			s[i] = c.value(item, fmt.Sprintf("%s[%d]", path, i), depth+1)
		}
		return s
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				c.fail(n, path, "%q is not true or false", n.Value)
			}
			return b
		case "!!int":
			var x any
			if err := n.Decode(&x); err != nil {
				c.fail(n, path, "%q is not a number", n.Value)
				return nil
			}
			switch x := x.(type) {
			case int:
				return json.Number(strconv.Itoa(x))
			case int64:
				return json.Number(strconv.FormatInt(x, 10))
			case uint64:
				return json.Number(strconv.FormatUint(x, 10))
			case float64:
				return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
			}
			c.fail(n, path, "%q is not a number okra can read", n.Value)
			return nil
		case "!!float":
			var x float64
			if err := n.Decode(&x); err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				c.fail(n, path, "%q is not a finite number", n.Value)
				return nil
			}
			return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
		case "!!str", "!!timestamp":
			return n.Value // a date stays the text it is written as
		default:
			c.fail(n, path, "values tagged %s are not part of the format", n.Tag)
			return nil
		}
	}
	c.fail(n, path, "is not a value okra can read")
	return nil
}

// lineOf reads the line a message starts with ("line 12: …"), 0 for none.
func lineOf(msg string) int {
	var n int
	if _, err := fmt.Sscanf(msg, "line %d:", &n); err != nil {
		return 0
	}
	return n
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// check compares a JSON value with the Go type it will be decoded into and
// records each unknown field and each value of the wrong type.
func check(v any, t reflect.Type, path string, lines map[string]int, f *errs.Fields) {
	at := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if l, ok := lines[path]; ok && l > 0 {
			msg = fmt.Sprintf("line %d: %s", l, msg)
		}
		field := path
		if field == "" {
			field = "(document)"
		}
		f.Add(field, "%s", msg)
	}
	if v == nil {
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			return // null: absent
		}
		at("must not be null: give a value or leave the field out")
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()) {
		return // the type reads itself
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			at("must be an object with fields (%s), not %s", fieldList(t), describe(v))
			return
		}
		fields := jsonFields(t)
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			p := join(path, k)
			sf, ok := fields[k]
			if !ok {
				msg := fmt.Sprintf("is not a field of the format here; the fields are: %s", fieldList(t))
				if s := closest(k, fields); s != "" {
					msg = fmt.Sprintf("is not a field of the format here; did you mean %s?", s)
				}
				if l, ok := lines[p]; ok && l > 0 {
					msg = fmt.Sprintf("line %d: %s", l, msg)
				}
				f.Add(p, "%s", msg)
				continue
			}
			check(m[k], sf.Type, p, lines, f)
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			at("must be a list, not %s", describe(v))
			return
		}
		for i, item := range s {
			check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines, f)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			at("must be text, not %s: quote it (\"%v\")", describe(v), v)
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			at("must be true or false, not %s", describe(v))
		}
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		if !ok {
			at("must be a number, not %s", describe(v))
			return
		}
		if x, err := n.Float64(); err != nil || math.IsInf(x, 0) {
			at("%s is not a number okra can hold", n)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			at("must be a whole number, not %s", describe(v))
			return
		}
		if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			at("must be a whole number, not %s", n)
		}
	default:
		at("cannot be read (a field of type %s)", t)
	}
}

// describe names a JSON value's type for a message.
func describe(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return fmt.Sprintf("the text %q", v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return fmt.Sprintf("%t", v)
	}
	return "null"
}

// jsonFields maps a struct's JSON names to its fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		out[name] = sf
	}
	return out
}

// fieldList lists a struct's JSON names in their order.
func fieldList(t reflect.Type) string {
	var names []string
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.IsExported() && name != "-" && name != "" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// closest returns the field name nearest to a misspelt one, if any is near.
func closest(name string, fields map[string]reflect.StructField) string {
	if alt := strings.ReplaceAll(name, "-", "_"); alt != name {
		if _, ok := fields[alt]; ok {
			return alt
		}
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, k := range names {
		if d := distance(strings.ToLower(name), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Lines maps the paths of a document (objectives[0].title) to the lines they
// are written on, for messages about a file; nil when the file does not parse.
// JSON is read as the YAML it also is.
func Lines(data []byte) map[string]int {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil
	}
	c := converter{lines: map[string]int{}}
	c.value(&root, "", 0)
	return c.lines
}
