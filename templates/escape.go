package templates

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mentions says whether GitHub references in untrusted text are neutralised.
type Mentions string

// Mention modes.
const (
	// MentionsEscape (the default) keeps @user, #123 and GH-123 in titles
	// from pinging people or linking issues when the notes are pasted into
	// GitHub, by inserting U+200B ZERO WIDTH SPACE.
	MentionsEscape Mentions = "escape"
	// MentionsKeep leaves mentions and references as written: GitHub will
	// link and notify.
	MentionsKeep Mentions = "keep"
)

// zwsp is U+200B ZERO WIDTH SPACE. It is invisible, keeps the title's
// visible text, survives copy and paste, and breaks the patterns GitHub
// looks for after Markdown parsing, in the text parsing leaves: @login,
// #digits, GH-digits, and e-mail addresses (cmark-gfm's autolink extension
// links those in its post-processing pass, over decoded text). Nothing a
// parser decodes can stop those: "\@user" and "&#64;user" are "@user" again
// by the time GitHub looks, and a code span changes how the title looks.
// Everything a parser links while parsing (URLs, www. names) is stopped
// with character references in Markdown instead; see Markdown.
const zwsp = '\u200b'

// isBidi reports the bidirectional formatting characters removed from
// untrusted text: embeddings and overrides (U+202A-U+202E), isolates
// (U+2066-U+2069) and the implicit marks LRM, RLM and ALM. Left in a title
// they could reorder the text that follows it (the "Trojan Source" trick).
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// Text returns untrusted text (a title, label, milestone or login) as relnotes
// displays it. This is the documented normalisation; every format shows
// exactly this string:
//
//   - invalid UTF-8 becomes U+FFFD;
//   - control characters (C0, DEL, C1, including CR and LF) and every Unicode
//     white space character become a space;
//   - bidirectional formatting characters (U+202A-U+202E, U+2066-U+2069,
//     U+200E, U+200F, U+061C) are removed;
//   - runs of spaces collapse to one space, and leading and trailing spaces
//     are trimmed;
//   - with MentionsEscape (or ""), U+200B is inserted after every "@", and
//     after "#" and "GH-" (any case) when a digit follows, so that GitHub
//     neither mentions nor links an issue. MentionsKeep inserts it only
//     after an "@" that follows a letter, digit, ".", "+", "-" or "_" (an
//     e-mail address, which GitHub would link, not a mention).
func Text(s string, m Mentions) string {
	if isPlain(s, m) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := false // a space is pending
	for i, w := 0, 0; i < len(s); i += w {
		r := rune(s[i])
		w = 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r == ' ' || unicode.IsControl(r) || unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case isBidi(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	return neutralize(out, m == MentionsKeep)
}

// neutralize inserts U+200B where GitHub would otherwise create a mention,
// an issue reference or an e-mail link; see Text.
func neutralize(s string, keep bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if zwspAfter(s, i, keep) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 3*n)
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if zwspAfter(s, i, keep) {
			b.WriteRune(zwsp)
		}
	}
	return b.String()
}

// zwspAfter reports whether neutralize puts U+200B after s[i]: see Text.
func zwspAfter(s string, i int, keep bool) bool {
	c := s[i]
	if keep {
		return c == '@' && i > 0 && (isAlnum(s[i-1]) || strings.IndexByte(".+-_", s[i-1]) >= 0)
	}
	next := byte(0)
	if i+1 < len(s) {
		next = s[i+1]
	}
	switch c {
	case '@':
		return true
	case '#':
		return isDigit(next)
	case '-':
		return isDigit(next) && i >= 2 && strings.EqualFold(s[i-2:i], "gh")
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isPlain reports whether Text would return s unchanged: printable ASCII,
// single spaces inside only and none of the characters neutralize looks
// at. It saves an allocation per typical title.
func isPlain(s string, m Mentions) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
		if zwspAfter(s, i, m == MentionsKeep) {
			return false
		}
	}
	return true
}

// Markdown returns untrusted text as Markdown that renders as exactly
// Text(s, m), and nothing else, wherever inline text may go: a paragraph,
// a list item or heading (at the start of a line or after other text), a
// GFM table cell or a link's text, in goldmark, in GitHub's cmark-gfm and
// in Jekyll's kramdown (GFM input). The trusted Markdown around it must not
// leave a construct open (a backslash, backtick, "<" or "[" right before
// it).
//
// Only characters that could start Markdown, GFM or site-generator syntax
// where they stand are escaped, so ordinary titles read as written ("Fix
// suspend/resume (regression) in R4.1"). A backslash is used where every
// parser removes it; where kramdown would show it ("\&", "\%", "\@"), or
// where a backslash does not stop cmark-gfm's autolinker, a numeric
// character reference, which all three decode:
//
//   - always \ * [ ] ~ | $ { (emphasis, links, images, strikethrough,
//     table cells, GitHub math, kramdown attributes and extensions), "`"
//     as "&#96;" (code; kramdown pairs backticks in a table row before it
//     sees backslashes), a "]" before ":" as "&#93;" (kramdown reads
//     "[...]:" at a line start as a link definition despite the
//     backslash), and the "%" ("&#37;") or "#" of "{%" and "{#" (Liquid
//     and Jinja tags of the site the notes are pasted into);
//   - "_" unless it joins two ASCII letters or digits: snake_case can
//     neither open nor close emphasis;
//   - "<" before a letter, "/", "!" or "?" (raw HTML, autolinks), and, as
//     "&#38;", "&" that starts an entity-like "&name;" or "&#123;";
//   - as "&#58;", the ":" of "://", and as "&#46;", the "." of "www." (any
//     case): cmark-gfm links URLs and www. names while parsing, at those
//     characters, and a reference splits the text it looks at;
//   - at the start: ">"; ":", "-", "+" or a run of "#" when a space or
//     the end follows (kramdown definition, list marker, ATX heading); a
//     title made only of "-" or "=" and spaces (thematic break, setext
//     underline); and the "." or ")" of a leading "1." or "1)" list marker;
//   - at the end: a "#" run after a space (a heading's closing sequence),
//     and a final "!", "<" or "&", which could pair with the Markdown that
//     follows (an image's "![").
//
// Everything else, "(", ")", "/", ".", "-", ":", "!", "#", "@", quotes and
// so on in the middle of a title, stays bare: with "[", "]", "<", "`" and
// the line-start markers escaped, none of them can begin a construct.
// kramdown's typography still applies ("--" shows as a dash, quotes curl).
// The normalisation of Text keeps the result on one line, and a title
// never ends in a lone backslash that could escape what follows. The
// result is also inert as text/template source because relnotes never
// parses data as a template.
func Markdown(s string, m Mentions) string {
	var b strings.Builder
	writeMarkdownTo(&b, s, m, true)
	return b.String()
}

// writeMarkdown writes Markdown(s, m) for the built-in formats, which
// follow a title only with a space, ",", "\" or a line end: none pairs
// with a final "!", "<" or "&", so those stay bare.
func writeMarkdown(b *strings.Builder, s string, m Mentions) {
	writeMarkdownTo(b, s, m, false)
}

func writeMarkdownTo(b *strings.Builder, s string, m Mentions, edge bool) {
	writeMarkdownText(b, Text(s, m), edge)
}

// writeMarkdownText writes t, already normalised by Text, escaped.
func writeMarkdownText(b *strings.Builder, t string, edge bool) {
	start := 0
	for i := 0; i < len(t); i++ {
		switch mdEscape(t, i, edge) {
		case escBackslash:
			b.WriteString(t[start:i])
			b.WriteByte('\\')
			start = i
		case escReference:
			b.WriteString(t[start:i])
			b.WriteString("&#")
			b.WriteString(strconv.Itoa(int(t[i])))
			b.WriteByte(';')
			start = i + 1
		}
	}
	b.WriteString(t[start:])
}

// How mdEscape escapes a byte.
const (
	escNone      = iota
	escBackslash // a backslash before it
	escReference // a decimal character reference instead of it
)

// mdEscape says how the byte t[i] of a normalised text is escaped; see
// Markdown for the rules and why each is enough.
func mdEscape(t string, i int, edge bool) int {
	c := t[i]
	last := i+1 == len(t)
	next := byte(0)
	if !last {
		next = t[i+1]
	}
	switch c {
	case '`':
		// kramdown pairs backtick runs into code spans before it looks
		// at backslashes when it splits a table row at "|".
		return escReference
	case ']':
		// kramdown reads "[...]:" at the start of a line as a link
		// definition even when the "]" is backslash-escaped.
		if next == ':' {
			return escReference
		}
		return escBackslash
	case '\\', '*', '[', '~', '|', '$', '{':
		return escBackslash
	case '%':
		return when(i > 0 && t[i-1] == '{', escReference)
	case '_':
		return when(i == 0 || last || !isAlnum(t[i-1]) || !isAlnum(next), escBackslash)
	case '<':
		return when((last && edge) || isLetter(next) || next == '/' || next == '!' || next == '?', escBackslash)
	case '&':
		if last {
			return when(edge, escReference)
		}
		j := i + 1
		for j < len(t) && (isAlnum(t[j]) || t[j] == '#') {
			j++
		}
		return when(j > i+1 && j < len(t) && t[j] == ';', escReference)
	case '!':
		return when(last && edge, escBackslash)
	case '>':
		return when(i == 0, escBackslash)
	case ':':
		if i == 0 && (last || next == ' ') {
			return escBackslash // a kramdown definition
		}
		return when(strings.HasPrefix(t[i+1:], "//"), escReference)
	case '#':
		if i > 0 && t[i-1] == '{' {
			return escBackslash // a Jinja comment
		}
		j := i
		for j < len(t) && t[j] == '#' {
			j++
		}
		if i == 0 {
			// An ATX heading: "#" to "######" then a space or the end.
			return when(j == len(t) || t[j] == ' ', escBackslash)
		}
		// A closing sequence: a final "#" run after a space.
		return when(j == len(t) && t[i-1] == ' ', escBackslash)
	case '-', '+', '=':
		if i != 0 {
			return escNone
		}
		if c != '=' && (last || next == ' ') {
			return escBackslash // a bullet list marker
		}
		return when(c != '+' && strings.Trim(t, string(c)+" ") == "", escBackslash)
	case '.', ')':
		if i >= 1 && i <= 9 && (last || next == ' ') && allDigits(t[:i]) {
			return escBackslash // an ordered list marker
		}
		return when(c == '.' && i >= 3 && strings.EqualFold(t[i-3:i], "www"), escReference)
	}
	return escNone
}

// when returns how if ok, else escNone.
func when(ok bool, how int) int {
	if ok {
		return how
	}
	return escNone
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isLetter(c) || isDigit(c) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// writeURL writes a trusted URL as a Markdown link destination or, when
// asHTML, as an HTML attribute value, which goldmark, cmark-gfm, kramdown
// and browsers all read back as exactly u. Bytes that would end it or
// change its meaning (space, controls, <, >, parentheses, backslash,
// quotes, non-ASCII) are percent-encoded. In Markdown an "&" that starts
// an entity-like "&name;" is written "&amp;", so no parser decodes an
// entity the URL did not mean; in HTML every "&" is. No backslash escapes:
// kramdown keeps them in the href. Not "&#38;" either: goldmark decodes a
// numeric reference in a destination and then the entity it spelled
// ("&#38;lt;" becomes "<"), while "&amp;" it decodes once, like the others.
func writeURL(b *strings.Builder, u string, asHTML bool) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == '\\' || c == '"' || c == '\'' || c == '`':
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		case c == '&' && (asHTML || mdEscape(u, i, false) == escReference):
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
}
