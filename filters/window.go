package filters

import (
	"fmt"
	"strings"
	"time"
)

const (
	dayLayout     = "2006-01-02"
	instantLayout = "2006-01-02T15:04:05Z"

	// Bounds outside these years are rejected: GitHub has no items before
	// 1970, and a year past 9999 cannot be written as YYYY-MM-DD.
	minYear = 1970
	maxYear = 9999
)

// Day returns the Bound for the whole UTC day that has t's calendar date
// (year, month and day as t shows them in its own location).
func Day(t time.Time) Bound {
	y, m, d := t.Date()
	return Bound{T: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Day: true}
}

// Instant returns the Bound for the instant t, truncated to a whole second
// because GitHub's timestamps have one-second resolution. The zero t gives
// the open Bound.
func Instant(t time.Time) Bound {
	if t.IsZero() {
		return Bound{}
	}
	return Bound{T: t.Truncate(time.Second)}
}

// IsOpen reports whether b is an open end ("*").
func (b Bound) IsOpen() bool { return b.T.IsZero() }

// String returns b as written in a query: a day as 2006-01-02, an instant in
// UTC with Z (2006-01-02T15:04:05Z), an open end as "*".
func (b Bound) String() string { return b.text() }

func (b Bound) text() string {
	if b.IsOpen() {
		return "*"
	}
	if b.Day {
		return b.T.UTC().Format(dayLayout)
	}
	return b.T.UTC().Format(instantLayout)
}

func (b Bound) equal(o Bound) bool {
	return b.Day == o.Day && b.T.Equal(o.T)
}

// IsZero reports whether both ends of w are open, so w restricts nothing.
func (w Window) IsZero() bool { return w.From.IsOpen() && w.To.IsOpen() }

// Start returns the first instant inside w, or the zero time if From is open.
func (w Window) Start() time.Time {
	if w.From.IsOpen() {
		return time.Time{}
	}
	return w.From.T
}

// End returns the first instant after w (an exclusive end): the next
// midnight UTC for a day, T+1s for an instant, the zero time if To is open.
func (w Window) End() time.Time {
	switch {
	case w.To.IsOpen():
		return time.Time{}
	case w.To.Day:
		return w.To.T.AddDate(0, 0, 1)
	default:
		return w.To.T.Add(time.Second)
	}
}

// Empty reports whether no instant lies inside w (its start is not before its
// end). A Window from Parse is never empty; Intersect can return one.
func (w Window) Empty() bool {
	return !w.From.IsOpen() && !w.To.IsOpen() && !w.Start().Before(w.End())
}

// StartsBefore reports whether w starts before o does. An open start comes
// before every bounded one; two open starts are equal.
func (w Window) StartsBefore(o Window) bool {
	switch {
	case w.From.IsOpen():
		return !o.From.IsOpen()
	case o.From.IsOpen():
		return false
	}
	return w.Start().Before(o.Start())
}

// EndsAfter reports whether w ends after o does. An open end comes after
// every bounded one; two open ends are equal.
func (w Window) EndsAfter(o Window) bool {
	switch {
	case w.To.IsOpen():
		return !o.To.IsOpen()
	case o.To.IsOpen():
		return false
	}
	return w.End().After(o.End())
}

// HalfOpen returns the window of the whole seconds in [start, end): the
// inverse of Start and End, so HalfOpen(w.Start(), w.End()) holds exactly the
// instants of w. A zero start or end leaves that side open. The window is
// Empty when no whole second lies in [start, end).
func HalfOpen(start, end time.Time) Window {
	ceil := func(t time.Time) time.Time {
		c := t.Truncate(time.Second)
		if c.Before(t) {
			c = c.Add(time.Second)
		}
		return c.UTC()
	}
	var w Window
	if !start.IsZero() {
		w.From = Bound{T: ceil(start)}
	}
	if !end.IsZero() {
		w.To = Bound{T: ceil(end).Add(-time.Second)}
	}
	return w
}

// Validate reports why String cannot write w so that ParseWindow reads w
// back: a day bound that is not midnight UTC, a bound that is not a whole
// second or lies outside the years 1970 to 9999, or a window that is Empty.
// A Window from ParseWindow is always valid; one from ReleaseWindow is valid
// unless it is Empty.
func (w Window) Validate() error {
	for _, b := range []Bound{w.From, w.To} {
		if b.IsOpen() {
			continue
		}
		switch u := b.T.UTC(); {
		case b.Day && !u.Equal(Day(u).T):
			return fmt.Errorf("window day bound %s is not midnight UTC: build it with filters.Day", u.Format(instantLayout))
		case !b.T.Equal(b.T.Truncate(time.Second)):
			return fmt.Errorf("window bound %s is not a whole second: build it with filters.Instant", b.T.Format("2006-01-02T15:04:05.999999999Z07:00"))
		case u.Year() < minYear || u.Year() > maxYear:
			return fmt.Errorf("window bound %s is outside the years %d to %d: use a date from %d-01-01 to %d-12-31", b.text(), minYear, maxYear, minYear, maxYear)
		}
	}
	if w.Empty() {
		return fmt.Errorf("window %s starts after it ends: swap the dates", w)
	}
	return nil
}

// Granularity is how the ends of a release's window are written: exact UTC
// seconds, or whole UTC days for announcements.
type Granularity string

// Granularities.
const (
	// GranularityInstant writes exact UTC seconds.
	GranularityInstant Granularity = "instant"
	// GranularityDay writes whole UTC days.
	GranularityDay Granularity = "day"
)

// ParseGranularity reads "instant" (also "" and "second") and "day" (also
// "date"), in any case and with surrounding space.
func ParseGranularity(s string) (Granularity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "instant", "second":
		return GranularityInstant, nil
	case "day", "date":
		return GranularityDay, nil
	}
	return "", fmt.Errorf("filters: unknown granularity %q: use instant or day", s)
}

// Bound returns the Bound of granularity g that holds the instant t: its UTC
// day for GranularityDay, its whole second otherwise. The zero t gives the
// open Bound.
func (g Granularity) Bound(t time.Time) Bound {
	switch {
	case t.IsZero():
		return Bound{}
	case g == GranularityDay:
		return Day(t.UTC())
	}
	return Instant(t.UTC())
}

// ReleaseWindow returns the closed window of a release published at cur
// whose previous release was published at prev, chosen so that the windows
// of consecutive releases neither overlap nor leave a gap:
//
//   - GranularityInstant: prev+1s..cur in whole UTC seconds; an issue closed
//     in the second a release was published belongs to that release.
//   - GranularityDay: the UTC day of prev through the day before the UTC day
//     of cur; an issue closed on the day a release was published belongs to
//     the next release, so a list published that day never grows afterwards.
//
// A zero prev means there is no previous release, and the window is open at
// the start; cur must not be zero.
//
// Two releases in the same second, or with GranularityDay on the same UTC
// day, have nothing between them at that granularity: the window is then
// Empty (e.g. 2024-09-09..2024-09-08), which Validate and ParseWindow refuse.
// No other window would do: one that held that day would overlap the next
// release's. Callers must check Empty and report it rather than print it.
func ReleaseWindow(prev, cur time.Time, g Granularity) Window {
	if g == GranularityDay {
		return Window{From: g.Bound(prev), To: Day(cur.UTC().AddDate(0, 0, -1))}
	}
	w := Window{To: g.Bound(cur)}
	if !prev.IsZero() {
		w.From = g.Bound(prev.Add(time.Second))
	}
	return w
}

// Contains reports whether t lies inside w. Both ends are inclusive: a day
// bound covers the whole UTC day.
func (w Window) Contains(t time.Time) bool {
	if !w.From.IsOpen() && t.Before(w.Start()) {
		return false
	}
	if !w.To.IsOpen() && !t.Before(w.End()) {
		return false
	}
	return true
}

// Intersect returns the window of instants inside both w and o. The result
// may be Empty.
func (w Window) Intersect(o Window) Window {
	r := w
	if !o.From.IsOpen() && (r.From.IsOpen() || o.Start().After(r.Start())) {
		r.From = o.From
	}
	if !o.To.IsOpen() && (r.To.IsOpen() || o.End().Before(r.End())) {
		r.To = o.To
	}
	return r
}

func (w Window) equal(o Window) bool { return w.From.equal(o.From) && w.To.equal(o.To) }

// String returns w in the value form of a closed: or created: qualifier:
// "A..B", ">=A" when To is open, "<=B" when From is open, a single "A" when
// both ends are the same bound, and "" for the zero Window.
func (w Window) String() string {
	switch {
	case w.IsZero():
		return ""
	case w.To.IsOpen():
		return ">=" + w.From.text()
	case w.From.IsOpen():
		return "<=" + w.To.text()
	case w.From.equal(w.To):
		return w.From.text()
	}
	return w.From.text() + ".." + w.To.text()
}

// ParseWindow parses the value of a closed: or created: qualifier: A..B,
// A..*, *..B, >=A, >A, <=B, <B or a single A, where each bound is a day
// (YYYY-MM-DD, a whole UTC day) or an RFC 3339 time. Exclusive forms are
// normalised as the Window doc says. "" and "*" give the zero Window.
// Errors are *ParseError.
func ParseWindow(s string) (Window, error) {
	w, err := parseWindow(s, 0)
	if err != nil {
		err.Input = s
		return Window{}, err
	}
	return w, nil
}

// boundRole says how a bound is rounded to whole seconds.
type boundRole int

const (
	roleFrom   boundRole = iota // >=X: first whole second at or after X
	roleTo                      // <=X: last whole second at or before X
	roleAfter                   // >X: first whole second after X
	roleBefore                  // <X: last whole second before X
)

// parseWindow reads a window value starting at byte pos of the whole query,
// so errors point into the query. The returned error has no Input yet.
func parseWindow(s string, pos int) (Window, *ParseError) {
	var w Window
	var err *ParseError
	switch {
	case s == "" || s == "*":
		return Window{}, nil
	case strings.HasPrefix(s, ">="):
		w.From, err = parseBound(s[2:], pos+2, roleFrom)
	case strings.HasPrefix(s, ">"):
		w.From, err = parseBound(s[1:], pos+1, roleAfter)
	case strings.HasPrefix(s, "<="):
		w.To, err = parseBound(s[2:], pos+2, roleTo)
	case strings.HasPrefix(s, "<"):
		w.To, err = parseBound(s[1:], pos+1, roleBefore)
	default:
		a, b, isRange := strings.Cut(s, "..")
		if !isRange {
			if w.From, err = parseBound(s, pos, roleFrom); err == nil {
				w.To, err = parseBound(s, pos, roleTo)
			}
			break
		}
		if a != "*" {
			w.From, err = parseBound(a, pos, roleFrom)
		}
		if err == nil && b != "*" {
			w.To, err = parseBound(b, pos+len(a)+2, roleTo)
		}
	}
	if err != nil {
		return Window{}, err
	}
	if w.Empty() {
		return Window{}, &ParseError{Pos: pos, Msg: fmt.Sprintf("window %q ends before it starts", s),
			Hint: "put the earlier date first, as in 2024-03-26..2024-09-09"}
	}
	return w, nil
}

func parseBound(s string, pos int, role boundRole) (Bound, *ParseError) {
	b, ok := readBound(s, role)
	if !ok {
		return Bound{}, &ParseError{Pos: pos, Msg: fmt.Sprintf("invalid date %q", s), Hint: dateHint}
	}
	if !inRange(b) {
		return Bound{}, &ParseError{Pos: pos, Msg: fmt.Sprintf("date %q is out of range", s), Hint: rangeHint}
	}
	return b, nil
}

// readBound reads a day (YYYY-MM-DD) or an RFC 3339 time as a bound in the
// given role. GitHub's times have one-second resolution, so an instant is
// rounded to the nearest whole second inside the window: a sub-second
// start rounds up, a sub-second end rounds down. Queries (closed:,
// created:) and flags (--since, --until) both read bounds here, so a time
// means the same window whichever way it is written. ok is false when s is
// neither form.
func readBound(s string, role boundRole) (b Bound, ok bool) {
	if len(s) == len(dayLayout) {
		t, err := time.Parse(dayLayout, s)
		if err != nil {
			return Bound{}, false
		}
		b = Bound{T: t, Day: true}
		switch role {
		case roleAfter:
			b.T = b.T.AddDate(0, 0, 1)
		case roleBefore:
			b.T = b.T.AddDate(0, 0, -1)
		}
		return b, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return Bound{}, false
	}
	floor := t.Truncate(time.Second)
	ceil := floor
	if !floor.Equal(t) {
		ceil = floor.Add(time.Second)
	}
	switch role {
	case roleFrom:
		b.T = ceil
	case roleTo:
		b.T = floor
	case roleAfter:
		b.T = floor.Add(time.Second)
	case roleBefore:
		b.T = ceil.Add(-time.Second)
	}
	return b, true
}

// inRange reports whether b lies in the years a bound may name.
func inRange(b Bound) bool {
	y := b.T.UTC().Year()
	return y >= minYear && y <= maxYear
}
