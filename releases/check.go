package releases

import (
	"fmt"
	"time"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
)

// FindingKind is what is wrong with a window edge.
type FindingKind string

// Finding kinds.
const (
	// Overlap: issues the link lists that another announcement lists too.
	Overlap FindingKind = "overlap"
	// Gap: issues that no announcement lists.
	Gap FindingKind = "gap"
)

// Finding is one overlap or gap between a hand-written link and the window
// it should have, or the previous announcement's link. From and To are a
// half-open UTC interval [From, To); an unbounded side is the zero Time.
type Finding struct {
	Kind FindingKind
	From time.Time
	To   time.Time
	// Text is the sentence before the figures, e.g. "starts 2024-03-26 but
	// the previous stable release 4.2.2 was published 2024-07-13".
	Text string
	// Issues is how many issues of the query fall in [From, To); -1 when
	// they were not counted.
	Issues int
}

// Days is the length of the finding in whole days (rounded down); -1 when
// one side is unbounded.
func (f Finding) Days() int {
	if f.From.IsZero() || f.To.IsZero() {
		return -1
	}
	return int(f.To.Sub(f.From) / (24 * time.Hour))
}

// Window is the finding as a closed search window, for counting its issues.
func (f Finding) Window() filters.Window { return filters.HalfOpen(f.From, f.To) }

// String is the finding as printed by relnotes check, e.g. "starts
// 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13:
// 109 days overlap, 12 issues listed twice".
func (f Finding) String() string {
	var size string
	switch d := f.Days(); {
	case d < 0:
		size = "unbounded " + string(f.Kind)
	case d > 0:
		size = english.Plural(d, "day") + " " + string(f.Kind)
	default:
		size = fmt.Sprintf("%s %s", f.To.Sub(f.From), f.Kind)
	}
	s := f.Text + ": " + size
	if f.Issues >= 0 {
		what := "listed twice"
		if f.Kind == Gap {
			what = "in no announcement"
		}
		s += ", " + english.Plural(f.Issues, "issue") + " " + what
	}
	return s
}

// Report is the outcome of Compare.
type Report struct {
	Findings []Finding
}

// OK reports whether the link tiles with its neighbours: no overlap, no gap.
func (r Report) OK() bool { return len(r.Findings) == 0 }

// Compare checks the closed window of a hand-written link against the
// window relnotes derives (want; nil to skip) and against the previous
// announcement's link (prevLink; nil to skip). Compare a day link with a
// Day-granularity span, or differences of hours are reported.
func Compare(link filters.Window, want *Span, prevLink *filters.Window) Report {
	var rep Report
	add := func(kind FindingKind, from, to time.Time, text string) {
		rep.Findings = append(rep.Findings, Finding{Kind: kind, From: from, To: to, Text: text, Issues: -1})
	}
	ls, le := link.Start(), link.End()
	// Release times are written in the link's own terms: dates next to a
	// day link.
	linkG := filters.GranularityInstant
	if link.From.Day || link.To.Day {
		linkG = filters.GranularityDay
	}
	if want != nil {
		ws, we := want.Window.Start(), want.Window.End()
		prevName := "the first release has no previous release, and the window is open"
		if want.Previous != nil {
			prevName = fmt.Sprintf("the previous stable release %s was published %s", want.Previous.Tag, linkG.Bound(want.Previous.Time))
		}
		switch {
		case link.StartsBefore(want.Window):
			add(Overlap, ls, ws, startsText(link.From)+" but "+prevName)
		case want.Window.StartsBefore(link):
			add(Gap, ws, ls, startsText(link.From)+" but "+prevName)
		}
		curName := fmt.Sprintf("%s was published %s", want.Release.Tag, linkG.Bound(want.Release.Time))
		if linkG == filters.GranularityDay && want.Window.To.Day {
			// "ends 09-09 but it was published 09-09" reads as no problem
			// until the day convention is spelled out.
			curName += ", so its list ends " + want.Window.To.String()
		}
		if want.UntilOverride {
			curName = fmt.Sprintf("the window of %s ends %s (its end given explicitly)", want.Release.Tag, want.Window.To)
		}
		switch {
		case link.EndsAfter(want.Window):
			add(Overlap, we, le, endsText(link.To)+" but "+curName)
		case want.Window.EndsAfter(link):
			add(Gap, le, we, endsText(link.To)+" but "+curName)
		}
	}
	if prevLink != nil {
		pe := prevLink.End()
		after := filters.Window{From: filters.Instant(pe)} // the first instant after the previous link
		prevEnds := " but the previous announcement's link ends " + prevLink.To.String()
		switch {
		case prevLink.To.IsOpen():
			from := "the start"
			if !link.From.IsOpen() {
				from = link.From.String()
			}
			add(Overlap, ls, le, fmt.Sprintf("the previous announcement's link has no end, so it covers everything from %s on", from))
		case link.StartsBefore(after):
			to := pe
			if prevLink.EndsAfter(link) {
				to = le
			}
			add(Overlap, ls, to, startsText(link.From)+prevEnds)
		case after.StartsBefore(link):
			add(Gap, pe, ls, startsText(link.From)+prevEnds)
		}
	}
	return rep
}

func startsText(b filters.Bound) string {
	if b.IsOpen() {
		return "has no start"
	}
	return "starts " + b.String()
}

func endsText(b filters.Bound) string {
	if b.IsOpen() {
		return "has no end"
	}
	return "ends " + b.String()
}
