package filters

import "fmt"

// ParseError reports a search query or link that Parse, Query.AddTerms or
// ParseWindow cannot read. Callers match it with errors.As.
type ParseError struct {
	// Input is the query text that failed. When the query came from a link,
	// Input is the link's decoded q parameter and Link is the whole link;
	// when the link itself is wrong (no q, a code search ...) Input is the
	// link and Pos is -1.
	Input string
	// Pos is the byte offset in Input where the problem starts, or -1 when
	// the problem is the input as a whole.
	Pos int
	// Msg says what is wrong, e.g. `invalid date "2024-13-01"`.
	Msg string
	// Hint says how to fix it; it may be empty.
	Hint string
	// Link is the link Input was taken from, or "".
	Link string
}

// Error returns one line: the input, what is wrong, where, and the fix.
func (e *ParseError) Error() string {
	s := fmt.Sprintf("cannot parse %q", e.Input)
	if e.Link != "" {
		s += " (the q parameter of the link)"
	}
	s += ": " + e.Msg
	if e.Pos >= 0 {
		s += fmt.Sprintf(" at position %d", e.Pos)
	}
	if e.Hint != "" {
		s += ": " + e.Hint
	}
	return s
}

const dateHint = "use YYYY-MM-DD or an RFC 3339 time such as 2024-03-26T00:00:00Z"

var rangeHint = fmt.Sprintf("use a date from %d-01-01 to %d-12-31", minYear, maxYear)
