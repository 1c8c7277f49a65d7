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
	return fmt.Sprintf("the release body would be %d characters, over GitHub's limit of %d", e.Len, MaxBodyLen)
}

// Splice puts notes between the relnotes markers of body and reports whether
// the body changed. Everything outside the markers is kept byte for byte;
// without markers, the section is appended after a blank line. The section
// is StartMarker, newline, notes (one trailing newline trimmed), newline,
// EndMarker, so a second Splice with the same notes changes nothing. Notes
// that contain a marker are refused: the next run could not find the
// section again, and so are notes that leave a code block open. Markers inside a fenced code block (a maintainer showing
// how relnotes works) are text, not markers; a body that ends inside an
// open fence gets a closing fence before the appended section, so that the
// section is not swallowed by the code block.
func Splice(body, notes string) (string, bool, error) {
	if strings.Contains(notes, StartMarker) || strings.Contains(notes, EndMarker) {
		return body, false, fmt.Errorf("%w: the notes themselves contain %s or %s", ErrMarkers, StartMarker, EndMarker)
	}
	if _, _, open := findMarkers(notes); open != "" {
		return body, false, fmt.Errorf("%w: the notes end inside a code block opened by %s, which would hide the end marker; close the block", ErrMarkers, open)
	}
	notes = strings.TrimSuffix(strings.TrimSuffix(notes, "\n"), "\r")
	inner := "\n" + notes + "\n"
	starts, ends, openFence := findMarkers(body)
	switch {
	case len(starts) == 0 && len(ends) == 0:
		sep := ""
		switch {
		case body == "":
		case openFence != "":
			sep = "\n" + openFence + "\n\n"
			if strings.HasSuffix(body, "\n") {
				sep = sep[1:]
			}
		case strings.HasSuffix(body, "\n\n"), strings.HasSuffix(body, "\r\n\r\n"):
		case strings.HasSuffix(body, "\n"):
			sep = "\n"
		default:
			sep = "\n\n"
		}
		return body + sep + StartMarker + inner + EndMarker + "\n", true, nil
	case len(starts) == 0:
		return body, false, fmt.Errorf("%w: %s without %s; fix the release body by hand", ErrMarkers, EndMarker, StartMarker)
	case len(ends) == 0:
		return body, false, fmt.Errorf("%w: %s without %s; fix the release body by hand", ErrMarkers, StartMarker, EndMarker)
	case len(starts) > 1 || len(ends) > 1:
		return body, false, fmt.Errorf("%w: more than one relnotes section; keep one pair of markers", ErrMarkers)
	case ends[0] < starts[0]:
		return body, false, fmt.Errorf("%w: %s comes before %s; fix the release body by hand", ErrMarkers, EndMarker, StartMarker)
	}
	out := body[:starts[0]+len(StartMarker)] + inner + body[ends[0]:]
	return out, out != body, nil
}

// findMarkers returns the offsets of the start and end markers of body that
// lie outside fenced code blocks, and the fence that is still open at the
// end of body ("" when none), written as the line that would close it.
func findMarkers(body string) (starts, ends []int, openFence string) {
	openFence = outsideFences(body, func(off int, line string) {
		for _, m := range []struct {
			marker string
			into   *[]int
		}{{StartMarker, &starts}, {EndMarker, &ends}} {
			for i := 0; ; {
				j := strings.Index(line[i:], m.marker)
				if j < 0 {
					break
				}
				*m.into = append(*m.into, off+i+j)
				i += j + len(m.marker)
			}
		}
	})
	return starts, ends, openFence
}

// outsideFences calls visit with the offset and text (newline included) of
// every line of body outside fenced code blocks, fence lines excepted, and
// returns the fence still open at the end of body ("" when none). Fences
// follow CommonMark: a line indented by at most three spaces that starts
// with three or more backticks or tildes opens a block, and a line of at
// least as many of the same character (nothing else but spaces) closes it.
func outsideFences(body string, visit func(off int, line string)) (openFence string) {
	var fence string // the opening fence run, e.g. "````"
	for off := 0; off < len(body); {
		line := body[off:]
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i+1]
		}
		if run, info := fenceRun(line); run != "" {
			switch {
			case fence == "" && !(run[0] == '`' && strings.Contains(info, "`")):
				fence = run
			case fence != "" && run[0] == fence[0] && len(run) >= len(fence) && strings.TrimSpace(info) == "":
				fence = ""
			}
		} else if fence == "" {
			visit(off, line)
		}
		off += len(line)
	}
	return fence
}

// fenceRun returns the run of three or more backticks or tildes that line
// starts with after at most three spaces, and the rest of the line.
func fenceRun(line string) (run, info string) {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || len(trimmed) < 3 || (trimmed[0] != '`' && trimmed[0] != '~') {
		return "", ""
	}
	n := len(trimmed) - len(strings.TrimLeft(trimmed, trimmed[:1]))
	if n < 3 {
		return "", ""
	}
	return trimmed[:n], strings.TrimRight(trimmed[n:], "\r\n")
}

// CheckBodyLen returns a *BodyTooLongError when body is over MaxBodyLen.
func CheckBodyLen(body string) error {
	if n := utf8.RuneCountInString(body); n > MaxBodyLen {
		return &BodyTooLongError{Len: n}
	}
	return nil
}
