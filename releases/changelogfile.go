package releases

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Section markers of a CHANGELOG file. A release section is
//
//	<!-- relnotes:section TAG -->
//	...
//	<!-- relnotes:section-end TAG -->
//
// and the Unreleased section is delimited by UnreleasedMarker and
// UnreleasedEndMarker. Each marker is a line of its own. TAG is the tag with
// '%', '<', '>', control characters, spaces and the second '-' of "--"
// percent-encoded, so that no tag can end the HTML comment early.
const (
	sectionPrefix       = "<!-- relnotes:section "
	sectionEndPrefix    = "<!-- relnotes:section-end "
	markerSuffix        = " -->"
	UnreleasedMarker    = "<!-- relnotes:unreleased -->"
	UnreleasedEndMarker = "<!-- relnotes:unreleased-end -->"
	markerLead          = "<!-- relnotes:section"
)

// ChangelogFile is a CHANGELOG split into the sections relnotes wrote and
// the text around them; String gives back the file byte for byte.
type ChangelogFile struct {
	Head     string        // the text before the first section
	Sections []FileSection // in file order
}

// FileSection is one section of a ChangelogFile.
type FileSection struct {
	Tag        string // the release's tag; "" for the Unreleased section
	Unreleased bool
	// Text is the section's bytes, from its start marker's line through its
	// end marker's line and that line's newline.
	Text string
	// After is the text between this section and the next one (or the end).
	After string
}

// String is the file.
func (f *ChangelogFile) String() string {
	var b strings.Builder
	b.WriteString(f.Head)
	for _, s := range f.Sections {
		b.WriteString(s.Text)
		b.WriteString(s.After)
	}
	return b.String()
}

// Has reports whether the file has the section of tag.
func (f *ChangelogFile) Has(tag string) bool {
	for _, s := range f.Sections {
		if !s.Unreleased && s.Tag == tag {
			return true
		}
	}
	return false
}

// MarkerError is a CHANGELOG whose section markers cannot be read: a start
// without its end, an end without its start, a section inside another, a
// tag with two sections, or a line that starts like a marker but is none.
type MarkerError struct {
	Line int // 1-based
	Msg  string
}

// Error gives the line and the problem.
func (e *MarkerError) Error() string {
	return fmt.Sprintf("CHANGELOG line %d: %s; fix the relnotes section markers by hand, or regenerate the whole file", e.Line, e.Msg)
}

// ParseChangelogFile splits text into its sections. Markers inside fenced
// code blocks are text, as in Splice. Errors are *MarkerError.
func ParseChangelogFile(text string) (*ChangelogFile, error) {
	f := &ChangelogFile{}
	type open struct {
		sec   FileSection
		start int // offset of the start marker's line
		line  int
	}
	var cur *open
	var merr *MarkerError
	seen := map[string]int{} // key -> line
	last := 0                // end of the last section
	lines := lineNumbers(text)
	outsideFences(text, func(off int, line string) {
		if merr != nil || !strings.HasPrefix(line, "<!-- relnotes:") {
			return
		}
		n := lines(off)
		tag, unreleased, end, ok := parseMarker(strings.TrimRight(line, "\r\n"))
		if !ok {
			if strings.HasPrefix(line, markerLead) || strings.HasPrefix(line, "<!-- relnotes:unreleased") {
				merr = &MarkerError{Line: n, Msg: fmt.Sprintf("%q is not a relnotes section marker", strings.TrimRight(line, "\r\n"))}
			}
			return
		}
		name := "the Unreleased section"
		if !unreleased {
			name = "the section of " + tag
		}
		key := "t" + tag
		if unreleased {
			key = "u"
		}
		switch {
		case !end && cur != nil:
			merr = &MarkerError{Line: n, Msg: fmt.Sprintf("%s starts inside %s, which started on line %d and has no end marker", name, sectionName(cur.sec), cur.line)}
		case !end && seen[key] > 0:
			merr = &MarkerError{Line: n, Msg: fmt.Sprintf("%s is in the file twice (also on line %d)", name, seen[key])}
		case !end:
			seen[key] = n
			if len(f.Sections) == 0 {
				f.Head = text[:off]
			} else {
				f.Sections[len(f.Sections)-1].After = text[last:off]
			}
			cur = &open{sec: FileSection{Tag: tag, Unreleased: unreleased}, start: off, line: n}
		case cur == nil:
			merr = &MarkerError{Line: n, Msg: fmt.Sprintf("the end marker of %s has no start marker before it", name)}
		case cur.sec.Unreleased != unreleased || cur.sec.Tag != tag:
			merr = &MarkerError{Line: n, Msg: fmt.Sprintf("the end marker of %s closes %s, which started on line %d", name, sectionName(cur.sec), cur.line)}
		default:
			last = off + len(line)
			cur.sec.Text = text[cur.start:last]
			f.Sections = append(f.Sections, cur.sec)
			cur = nil
		}
	})
	switch {
	case merr != nil:
		return nil, merr
	case cur != nil:
		return nil, &MarkerError{Line: cur.line, Msg: sectionName(cur.sec) + " has no end marker"}
	case len(f.Sections) == 0:
		f.Head = text
	default:
		f.Sections[len(f.Sections)-1].After = text[last:]
	}
	return f, nil
}

func sectionName(s FileSection) string {
	if s.Unreleased {
		return "the Unreleased section"
	}
	return "the section of " + s.Tag
}

// lineNumbers returns a function giving the 1-based line of an offset of
// text; offsets must not decrease between calls.
func lineNumbers(text string) func(off int) int {
	n, at := 1, 0
	return func(off int) int {
		n += strings.Count(text[at:off], "\n")
		at = off
		return n
	}
}

// parseMarker reads one marker line.
func parseMarker(line string) (tag string, unreleased, end, ok bool) {
	switch line {
	case UnreleasedMarker:
		return "", true, false, true
	case UnreleasedEndMarker:
		return "", true, true, true
	}
	rest, isEnd := strings.CutPrefix(line, sectionEndPrefix)
	if !isEnd {
		if rest, ok = strings.CutPrefix(line, sectionPrefix); !ok {
			return "", false, false, false
		}
	}
	key, ok := strings.CutSuffix(rest, markerSuffix)
	if !ok || key == "" {
		return "", false, false, false
	}
	tag, ok = parseMarkerKey(key)
	if !ok || markerKey(tag) != key {
		return "", false, false, false
	}
	return tag, false, isEnd, true
}

// markerKey writes a tag for a marker (see the constants' comment).
func markerKey(tag string) string {
	var b strings.Builder
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if c <= ' ' || c == 0x7f || c == '%' || c == '<' || c == '>' || c == '-' && i > 0 && tag[i-1] == '-' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func parseMarkerKey(key string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		if key[i] != '%' {
			b.WriteByte(key[i])
			continue
		}
		if i+2 >= len(key) {
			return "", false
		}
		c, err := strconv.ParseUint(key[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(c))
		i += 2
	}
	return b.String(), true
}

// NewSection is a rendered section to put into a ChangelogFile.
type NewSection struct {
	Tag        string // "" with Unreleased
	Unreleased bool
	Body       string // the rendered Markdown, without markers
}

// ErrSectionBody is wrapped when a section's body cannot go between markers.
var ErrSectionBody = errors.New("section body unusable between relnotes markers")

// text is the section with its markers.
func (n NewSection) text() (string, error) {
	if n.Unreleased != (n.Tag == "") {
		return "", fmt.Errorf("%w: give a tag, or mark the section Unreleased, not both", ErrSectionBody)
	}
	if strings.Contains(n.Body, "<!-- relnotes:") {
		return "", fmt.Errorf("%w: the body of %s contains a relnotes marker", ErrSectionBody, sectionName(FileSection{Tag: n.Tag, Unreleased: n.Unreleased}))
	}
	if open := outsideFences(n.Body, func(int, string) {}); open != "" {
		return "", fmt.Errorf("%w: the body of %s ends inside a code block opened by %s, which would hide the end marker; close the block", ErrSectionBody, sectionName(FileSection{Tag: n.Tag, Unreleased: n.Unreleased}), open)
	}
	start, end := UnreleasedMarker, UnreleasedEndMarker
	if !n.Unreleased {
		start, end = sectionPrefix+markerKey(n.Tag)+markerSuffix, sectionEndPrefix+markerKey(n.Tag)+markerSuffix
	}
	body := strings.TrimSuffix(strings.TrimSuffix(n.Body, "\n"), "\r")
	return start + "\n" + body + "\n" + end + "\n", nil
}

// Update puts secs, newest first, into f, and keeps every release section
// f has byte for byte, as well as the text around the sections:
//
//   - f's Unreleased section is replaced by the first of secs (or dropped,
//     with the blank lines after it, when secs is empty) when it comes
//     before every release section, as Update writes it; an Unreleased
//     section further down is dropped.
//   - Otherwise secs go before f's first release section, a blank line
//     after each.
//   - A file without sections gets them after its title, when its first
//     line is a level-1 heading ("# Changelog"), else at the top.
//
// secs must not hold a tag f has, nor two Unreleased sections; a body may
// not contain a relnotes marker or end inside a code block. On an error f
// is unchanged.
func (f *ChangelogFile) Update(secs []NewSection) error {
	texts := make([]string, len(secs))
	unreleased := 0
	for i, s := range secs {
		t, err := s.text()
		if err != nil {
			return err
		}
		if !s.Unreleased && (f.Has(s.Tag) || slices.ContainsFunc(secs[:i], func(o NewSection) bool { return o.Tag == s.Tag })) {
			return fmt.Errorf("%w: the section of %s is given twice, or the file has it already", ErrSectionBody, s.Tag)
		}
		if s.Unreleased {
			unreleased++
		}
		texts[i] = t
	}
	if unreleased > 1 {
		return fmt.Errorf("%w: more than one Unreleased section", ErrSectionBody)
	}
	fresh := make([]FileSection, len(secs))
	for i, s := range secs {
		fresh[i] = FileSection{Tag: s.Tag, Unreleased: s.Unreleased, Text: texts[i], After: "\n"}
	}

	old := f.Sections
	firstRelease := len(old)
	for i, s := range old {
		if !s.Unreleased {
			firstRelease = i
			break
		}
	}
	var out []FileSection
	head := f.Head
	placed := false
	for i, s := range old {
		if s.Unreleased {
			if i < firstRelease && !placed && len(fresh) > 0 {
				fresh[len(fresh)-1].After = s.After
				out = append(out, fresh...)
				placed = true
				continue
			}
			// Drop it; text people wrote after it stays, attached to what
			// comes before.
			if strings.Trim(s.After, "\r\n") != "" {
				if len(out) == 0 {
					head += s.After
				} else {
					out[len(out)-1].After += s.After
				}
			}
			continue
		}
		if !placed && len(fresh) > 0 {
			out = append(out, fresh...)
			placed = true
		}
		out = append(out, s)
	}
	if !placed && len(fresh) > 0 {
		at := titleEnd(head)
		before, after := head[:at], head[at:]
		switch {
		case before == "" || strings.HasSuffix(before, "\n\n") || strings.HasSuffix(before, "\r\n\r\n"):
		case strings.HasSuffix(before, "\n"):
			before += "\n"
		default:
			before += "\n\n"
		}
		if after != "" && !strings.HasPrefix(after, "\n") && !strings.HasPrefix(after, "\r\n") {
			after = "\n" + after
		}
		fresh[len(fresh)-1].After = after
		head = before
		out = fresh
	}
	f.Head, f.Sections = head, out
	return nil
}

// titleEnd is the offset after the first line of text when it is an ATX
// level-1 heading (and after the blank lines that follow), else 0.
func titleEnd(text string) int {
	line, _, _ := strings.Cut(text, "\n")
	if !strings.HasPrefix(strings.TrimLeft(line, " "), "# ") || len(line)-len(strings.TrimLeft(line, " ")) > 3 {
		return 0
	}
	at := len(line)
	if at < len(text) {
		at++
	}
	for at < len(text) {
		next, _, _ := strings.Cut(text[at:], "\n")
		if strings.TrimRight(next, "\r") != "" {
			break
		}
		at += len(next)
		if at < len(text) {
			at++
		}
	}
	return at
}

// Missing is what a CHANGELOG lacks when has reports the release sections
// it holds: the sections of h newer than the newest one it holds (all of
// them when it holds none) and Unreleased, with a Span that covers just
// those. An older section the file lacks is not planned again: the file is
// taken as it is below its newest section.
func (h History) Missing(has func(tag string) bool) History {
	var out History
	for _, s := range h.Sections {
		if s.Kind != KindUnreleased && has(s.Release.Tag) {
			break
		}
		out.Sections = append(out.Sections, s)
	}
	out.Span = cover(out.Sections)
	return out
}
