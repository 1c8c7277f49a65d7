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

// Markdown returns untrusted text as Markdown that renders as exactly
// Text(s, m), and nothing else, wherever inline text may go: a paragraph,
// a list item or heading (at the start of a line or after other text), a
// GFM table cell or a link's text, in goldmark as in GitHub's cmark-gfm.
// The trusted Markdown around it must not leave a construct open (a
// backslash, backtick, "<" or "[" right before it).
//
// Only characters that could start Markdown, GFM or site-generator syntax
// where they stand are backslash-escaped, so ordinary titles read as
// written ("Fix suspend/resume (regression) in R4.1"):
//
//   - always \ ` * [ ] ~ | $ { (code, emphasis, links, images,
//     strikethrough, table cells, GitHub math, kramdown attributes), and
//     the "%" or "#" of "{%" and "{#" (Liquid and Jinja tags of the site
//     the notes are pasted into);
//   - "_" unless it joins two ASCII letters or digits: snake_case can
//     neither open nor close emphasis;
//   - "<" before a letter, "/", "!" or "?" (raw HTML, autolinks), and "&"
//     that starts an entity-like "&name;" or "&#123;";
//   - at the start: ">"; ":", "-", "+" or a run of "#" when a space or
//     the end follows (kramdown definition, list marker, ATX heading); a
//     title made only of "-" or "=" and spaces (thematic break, setext
//     underline); and the "." or ")" of a leading "1." or "1)" list marker;
//   - at the end: a "#" run after a space (a heading's closing sequence),
//     and a final "!", "<" or "&", which could pair with the Markdown that
//     follows (an image's "![");
//   - with MentionsKeep, where no U+200B breaks autolinks: the ":" of
//     "://", the "." of "www." and an "@" after a non-space.
//
// Everything else, "(", ")", "/", ".", "-", ":", "!", "#", "@", quotes and
// so on in the middle of a title, stays bare: with "[", "]", "<", "`" and
// the line-start markers escaped, none of them can begin a construct. The
// normalisation of Text keeps the result on one line, and a title never
// ends in a lone backslash that could escape what follows. The result is
// also inert as text/template source because relnotes never parses data
// as a template.
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
	t := Text(s, m)
	keep := m == MentionsKeep
	start := 0
	for i := 0; i < len(t); i++ {
		if mdEscape(t, i, keep, edge) {
			b.WriteString(t[start:i])
			b.WriteByte('\\')
			start = i
		}
	}
	b.WriteString(t[start:])
}

// mdEscape reports whether the byte t[i] of a normalised text needs a
// backslash; see Markdown for the rules and why each is enough.
func mdEscape(t string, i int, keep, edge bool) bool {
	c := t[i]
	last := i+1 == len(t)
	next := byte(0)
	if !last {
		next = t[i+1]
	}
	switch c {
	case '\\', '`', '*', '[', ']', '~', '|', '$', '{':
		return true
	case '%':
		return i > 0 && t[i-1] == '{'
	case '_':
		return i == 0 || last || !isAlnum(t[i-1]) || !isAlnum(next)
	case '<':
		return (last && edge) || isLetter(next) || next == '/' || next == '!' || next == '?'
	case '&':
		if last {
			return edge
		}
		j := i + 1
		for j < len(t) && (isAlnum(t[j]) || t[j] == '#') {
			j++
		}
		return j > i+1 && j < len(t) && t[j] == ';'
	case '!':
		return last && edge
	case '>':
		return i == 0
	case ':':
		if i == 0 && (last || next == ' ') {
			return true // a kramdown definition
		}
		return keep && strings.HasPrefix(t[i+1:], "//")
	case '#':
		if i > 0 && t[i-1] == '{' {
			return true // a Jinja comment
		}
		j := i
		for j < len(t) && t[j] == '#' {
			j++
		}
		if i == 0 {
			// An ATX heading: "#" to "######" then a space or the end.
			return j == len(t) || t[j] == ' '
		}
		// A closing sequence: a final "#" run after a space.
		return j == len(t) && t[i-1] == ' '
	case '-', '+', '=':
		if i != 0 {
			return false
		}
		if c != '=' && (last || next == ' ') {
			return true // a bullet list marker
		}
		return c != '+' && strings.Trim(t, string(c)+" ") == ""
	case '.', ')':
		if i >= 1 && i <= 9 && (last || next == ' ') && allDigits(t[:i]) {
			return true // an ordered list marker
		}
		return c == '.' && keep && i >= 3 && strings.EqualFold(t[i-3:i], "www")
	case '@':
		return keep && i > 0 && t[i-1] != ' '
	}
	return false
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
