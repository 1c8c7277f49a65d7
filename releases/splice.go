package releases

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Markers delimit the part of a release body that relnotes owns.
const (
	StartMarker = "<!-- relnotes:start -->"
	EndMarker   = "<!-- relnotes:end -->"
)

// MaxBodyLen is GitHub's limit on a release body, in characters; the API
// answers 422 "body is too long (maximum is 125000 characters)" above it.
const MaxBodyLen = 125000

// ErrMarkers is wrapped by Splice when the body's markers are unusable: a
// start without an end, an end before the start, or more than one section.
var ErrMarkers = errors.New("release body has unmatched relnotes markers")

// BodyTooLongError is returned before sending a body over MaxBodyLen.
type BodyTooLongError struct {
	Len int // characters (Unicode code points)
}

// Error gives the length and the limit and says how to shorten the notes.
func (e *BodyTooLongError) Error() string {
	return fmt.Sprintf("the release body would be %d characters, over GitHub's limit of %d: use a shorter format (e.g. --format announcement, which has only the link) or exclude more labels", e.Len, MaxBodyLen)
}

// Splice puts notes between the relnotes markers of body and reports whether
// the body changed. Everything outside the markers is kept byte for byte;
// without markers, the section is appended after a blank line. The section
// is StartMarker, newline, notes (one trailing newline trimmed), newline,
// EndMarker, so a second Splice with the same notes changes nothing. Notes
// that contain a marker are refused: the next run could not find the
// section again.
func Splice(body, notes string) (string, bool, error) {
	if strings.Contains(notes, StartMarker) || strings.Contains(notes, EndMarker) {
		return body, false, fmt.Errorf("%w: the notes themselves contain %s or %s", ErrMarkers, StartMarker, EndMarker)
	}
	notes = strings.TrimSuffix(strings.TrimSuffix(notes, "\n"), "\r")
	inner := "\n" + notes + "\n"
	si := strings.Index(body, StartMarker)
	ei := strings.Index(body, EndMarker)
	switch {
	case si < 0 && ei < 0:
		sep := ""
		switch {
		case body == "":
		case strings.HasSuffix(body, "\n\n"), strings.HasSuffix(body, "\r\n\r\n"):
		case strings.HasSuffix(body, "\n"):
			sep = "\n"
		default:
			sep = "\n\n"
		}
		return body + sep + StartMarker + inner + EndMarker + "\n", true, nil
	case si < 0:
		return body, false, fmt.Errorf("%w: %s without %s; fix the release body by hand", ErrMarkers, EndMarker, StartMarker)
	case ei < 0:
		return body, false, fmt.Errorf("%w: %s without %s; fix the release body by hand", ErrMarkers, StartMarker, EndMarker)
	case ei < si:
		return body, false, fmt.Errorf("%w: %s comes before %s; fix the release body by hand", ErrMarkers, EndMarker, StartMarker)
	}
	innerStart := si + len(StartMarker)
	rest := body[ei+len(EndMarker):]
	if strings.Contains(rest, StartMarker) || strings.Contains(rest, EndMarker) || strings.Contains(body[innerStart:ei], StartMarker) {
		return body, false, fmt.Errorf("%w: more than one relnotes section; keep one pair of markers", ErrMarkers)
	}
	out := body[:innerStart] + inner + body[ei:]
	return out, out != body, nil
}

// CheckBodyLen returns a *BodyTooLongError when body is over MaxBodyLen.
func CheckBodyLen(body string) error {
	if n := utf8.RuneCountInString(body); n > MaxBodyLen {
		return &BodyTooLongError{Len: n}
	}
	return nil
}
