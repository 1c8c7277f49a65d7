package changelog

import (
	"fmt"

	"github.com/relnotes/relnotes/filters"
)

// Parts is a Changelog split by window.
type Parts struct {
	// Sections has one Changelog per window, in the order the windows
	// were given.
	Sections []*Changelog
	// Outside are the issues no window holds (by their close time).
	Outside []Issue
}

// SplitError says why a Changelog cannot be split as asked.
type SplitError struct {
	Query string // the Changelog's query
	Msg   string
}

// Error says what does not fit.
func (e *SplitError) Error() string {
	return fmt.Sprintf("changelog: split %q: %s", e.Query, e.Msg)
}

// Split places every issue of c into each window that holds its close time
// and returns one Changelog per window: the one New gives for base with that
// window as its closed: window, on server with enc, so that its Query, URL
// and Window are byte for byte those of a fetch of that window alone, and its
// issues are verified with that query's Match. GeneratedAt is c's; c's own
// fetch warnings are c's to report. Windows may overlap (an issue then lands
// in each).
//
// c must have been fetched for base with a closed window that holds every
// window, else the sections could miss issues, and no window may be Empty
// (it has no valid link): Split fails with a *SplitError then, and also when an issue inside a window fails that
// window's Match (the windows and the query disagree).
func (c *Changelog) Split(base filters.Query, windows []filters.Window, server string, enc filters.Encoding) (*Parts, error) {
	fail := func(format string, a ...any) (*Parts, error) {
		return nil, &SplitError{Query: c.Query, Msg: fmt.Sprintf(format, a...)}
	}
	whole, err := filters.Parse(c.Query)
	if err != nil {
		return fail("its query does not parse: %v", err)
	}
	b := base
	b.Closed = whole.Closed
	if b.String() != c.Query {
		return fail("it was not fetched for the sections' query %q", b.String())
	}
	for _, w := range windows {
		if w.Empty() {
			return fail("the window %s is empty: it can hold no issue and has no link (a search refuses it); leave it out", w)
		}
		if w.StartsBefore(whole.Closed) || w.EndsAfter(whole.Closed) {
			return fail("its window %s does not hold the window %s; fetch a window that holds every section", whole.Closed, w)
		}
	}

	byWindow := make([][]Issue, len(windows))
	out := &Parts{Sections: make([]*Changelog, len(windows))}
	for _, is := range c.Issues {
		in := false
		for i, w := range windows {
			if w.Contains(is.ClosedAt) {
				byWindow[i] = append(byWindow[i], is)
				in = true
			}
		}
		if !in {
			out.Outside = append(out.Outside, is)
		}
	}
	for i, w := range windows {
		q := base
		q.Closed = w
		sec, err := New(q, server, enc, byWindow[i], c.GeneratedAt)
		if err != nil {
			return nil, err
		}
		if sec.Dropped > 0 {
			return fail("issues inside the window %s fail its query, so the changelog's issues and its query disagree: %s", w, sec.Warnings[0])
		}
		out.Sections[i] = sec
	}
	return out, nil
}
