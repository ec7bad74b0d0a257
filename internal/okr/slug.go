package okr

import (
	"strconv"
	"strings"
	"unicode"
)

// SlugKind names what a slug keys.
type SlugKind string

// Slug kinds.
const (
	SlugObjective  SlugKind = "objective"  // unique in its period
	SlugKeyResult  SlugKind = "key_result" // unique in its objective
	SlugInitiative SlugKind = "initiative" // unique in the organization
)

// SlugMaxLen is the longest slug, in characters.
const SlugMaxLen = 64

// slugWords is the longest slug Slugify derives from a title: short enough
// to type in a file, long enough to tell objectives apart.
const slugWords = 40

// Slugify turns a title into a slug: lowercase ASCII letters and digits
// separated by single hyphens ("Café Growth 2027!" → "cafe-growth-2027"),
// at most 40 characters, cut between words when it can. A title with
// no letter or digit gives "item".
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range title {
		r = unicode.ToLower(r)
		if f, ok := latinFolds[r]; ok {
			r = f
		}
		switch {
		case r == 'ß', r == 'æ', r == 'œ':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteString(map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe"}[r])
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > slugWords {
		wordEnds := s[slugWords] == '-'
		s = s[:slugWords]
		if i := strings.LastIndexByte(s, '-'); !wordEnds && i > slugWords/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "item"
	}
	return s
}

// latinFolds maps accented Latin letters to their base letter.
var latinFolds = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćčĉċ", 'd': "ďđð", 'e': "èéêëēĕėęě", 'g': "ĝğġģ", 'h': "ĥħ",
		'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀł", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő",
		'r': "ŕŗř", 's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűų", 'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// ValidSlug reports whether s is a slug: 1 to SlugMaxLen lowercase ASCII
// letters and digits in groups separated by single hyphens.
func ValidSlug(s string) bool {
	if s == "" || len(s) > SlugMaxLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// UniqueSlug returns base, or base-2, base-3… the first that taken does not
// hold, kept within SlugMaxLen.
func UniqueSlug(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		b := base
		if len(b)+len(suffix) > SlugMaxLen {
			b = strings.TrimRight(b[:SlugMaxLen-len(suffix)], "-")
		}
		if s := b + suffix; !taken(s) {
			return s
		}
	}
}
