package templates

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mentions says whether GitHub references in untrusted text are neutralised.
type Mentions string

// Mention modes.
const (
	// MentionsEscape (the default) keeps @user, #123, GH-123, URLs and
	// www. names in titles from pinging people or linking anything when the
	// notes are pasted into GitHub, by inserting U+200B ZERO WIDTH SPACE.
	MentionsEscape Mentions = "escape"
	// MentionsKeep leaves them as written: GitHub will link and notify.
	MentionsKeep Mentions = "keep"
)

// zwsp is U+200B ZERO WIDTH SPACE. It is invisible, keeps the title's
// visible text, survives copy and paste, and breaks the patterns GitHub's
// post-processing looks for (@login, #digits, GH-digits, scheme://, www.).
// A backslash does not: GitHub links mentions after Markdown parsing, so
// \@user still pings. A code span would also work but changes how the title
// looks and needs its own escaping for backticks.
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
//   - with MentionsEscape (or ""), U+200B is inserted after every "@", after
//     "#" and after "GH-" (any case) when a digit follows, after "://", and
//     after "www" when a "." follows, so that GitHub neither mentions nor
//     links. MentionsKeep skips this step.
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
	if m == MentionsKeep {
		return out
	}
	return neutralize(out)
}

// neutralize inserts U+200B where GitHub would otherwise create a mention,
// an issue reference or an autolink; see Text.
func neutralize(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if zwspAfter(s, i) {
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
		if zwspAfter(s, i) {
			b.WriteRune(zwsp)
		}
	}
	return b.String()
}

// zwspAfter reports whether neutralize puts U+200B after s[i]: after "@",
// after "#" or "GH-" before a digit, after "://" and after "www" before ".".
func zwspAfter(s string, i int) bool {
	c := s[i]
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
	case '/':
		return i >= 2 && s[i-2:i] == ":/"
	case 'w', 'W':
		return next == '.' && i >= 2 && strings.EqualFold(s[i-2:i], "ww")
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isPlain reports whether Text would return s unchanged: printable ASCII,
// single spaces inside only and, unless mentions are kept, none of the
// characters neutralize looks at. It saves an allocation per typical title.
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
		if m != MentionsKeep && zwspAfter(s, i) {
			return false
		}
	}
	return true
}

// isASCIIPunct reports the characters CommonMark lets a backslash escape.
func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// Markdown returns untrusted text as Markdown that renders as exactly
// Text(s, m): every ASCII punctuation character is backslash-escaped, so no
// emphasis, link, image, raw HTML, entity, heading, list marker, table
// cell break, autolink or strikethrough can start inside it, and the
// normalisation of Text keeps it on one line. The result is also inert as
// text/template source because relnotes never parses data as a template.
func Markdown(s string, m Mentions) string {
	var b strings.Builder
	writeMarkdown(&b, s, m)
	return b.String()
}

func writeMarkdown(b *strings.Builder, s string, m Mentions) {
	t := Text(s, m)
	start := 0
	for i := 0; i < len(t); i++ {
		if isASCIIPunct(t[i]) {
			b.WriteString(t[start:i])
			b.WriteByte('\\')
			start = i
		}
	}
	b.WriteString(t[start:])
}

// escapeDestination writes a trusted URL as a Markdown link destination:
// bytes that would end it or change its meaning (space, controls, <, >,
// parentheses, backslash, quotes, non-ASCII) are percent-encoded and &
// is backslash-escaped, so an entity can never be decoded inside it.
func escapeDestination(b *strings.Builder, u string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '(' || c == ')' || c == '\\' || c == '"' || c == '\'' || c == '`':
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		case c == '&':
			b.WriteString(`\&`)
		default:
			b.WriteByte(c)
		}
	}
}
