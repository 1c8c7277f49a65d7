package ghemu

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// Shift is one change FaultShift makes to the tracker, relative to the
// query it aims at (Fault.Query). Each acts on one issue that no other change
// of the same fault touched.
type Shift int

// Shift kinds.
const (
	// ShiftReopen reopens a closed issue the query matches.
	ShiftReopen Shift = iota
	// ShiftClose closes, as completed, an issue the query does not match,
	// at a time inside the query's closed: window (now when it has none),
	// so that the query matches it.
	ShiftClose
	// ShiftLabelOut gives an issue the query matches the first label the
	// query excludes, or takes away the labels of its first label: term;
	// with no label terms it adds the label "shifted".
	ShiftLabelOut
	// ShiftLabelIn is the reverse: it removes the excluded labels of an
	// issue, or adds the first label a label: term asks for, when that
	// makes the query match it.
	ShiftLabelIn
	// ShiftMoveOut moves the close time of an issue the query matches out
	// of the query's closed: window (to the day before or after it).
	ShiftMoveOut
	// ShiftMoveIn moves the close time of a closed issue into the window
	// when that makes the query match it.
	ShiftMoveIn
)

// AllShifts lists every Shift, for Fault.Shifts.
func AllShifts() []Shift {
	return []Shift{ShiftReopen, ShiftClose, ShiftLabelOut, ShiftLabelIn, ShiftMoveOut, ShiftMoveIn}
}

var shiftNames = [...]string{"reopen", "close", "label-out", "label-in", "move-out", "move-in"}

// String names the change, e.g. "reopen".
func (k Shift) String() string {
	if k >= 0 && int(k) < len(shiftNames) {
		return shiftNames[k]
	}
	return "Shift(" + strconv.Itoa(int(k)) + ")"
}

// shift makes the changes of one FaultShift and swaps in the changed
// tracker. q is the request's search text, the default target.
func (s *Server) shift(f Fault, q string) {
	s.shiftMu.Lock()
	defer s.shiftMu.Unlock()
	s.mu.Lock()
	n := s.shifted
	s.shifted++
	s.mu.Unlock()

	target := f.Query
	if target == "" {
		target = q
	}
	fq, err := filters.Parse(target)
	if err != nil {
		return
	}
	// The target is the set a client means to list, not the slice of it
	// one request pins by update time: a change always moves updated_at.
	fq.Other = slices.DeleteFunc(slices.Clone(fq.Other), func(t string) bool {
		return strings.HasPrefix(strings.ToLower(strings.TrimPrefix(t, "-")), "updated:")
	})
	d := s.data.Load()
	m, err := compile(fq, d)
	if err != nil {
		return
	}
	c := &shifter{
		m:       m,
		win:     fq.Closed,
		q:       fq,
		now:     s.cfg.Now().UTC().Truncate(time.Second),
		rng:     rand.New(rand.NewPCG(uint64(f.Seed), uint64(n))),
		issues:  make([]Issue, len(d.recs)),
		touched: map[int]bool{},
	}
	for i := range d.recs {
		c.issues[i] = d.recs[i].iss.clone()
	}
	kinds := f.Shifts
	if len(kinds) == 0 {
		kinds = []Shift{ShiftReopen, ShiftClose}
	}
	changed := false
	for _, k := range kinds {
		changed = c.apply(k) || changed
	}
	if changed {
		s.data.Store(newDataset(c.issues))
	}
}

// shifter is the state of one FaultShift.
type shifter struct {
	m       *matcher
	q       filters.Query
	win     filters.Window
	now     time.Time
	rng     *rand.Rand
	issues  []Issue
	touched map[int]bool
}

func (c *shifter) matches(is Issue) bool {
	r := newRec(is)
	return c.m.match(&r)
}

// apply makes one change of kind k to the first issue, in a random order,
// that it can act on, and reports whether it found one.
func (c *shifter) apply(k Shift) bool {
	for _, i := range c.rng.Perm(len(c.issues)) {
		if c.touched[i] {
			continue
		}
		is := c.issues[i]
		before := c.matches(is)
		after, ok := c.change(k, is.clone(), before)
		if !ok {
			continue
		}
		after.UpdatedAt = c.now
		c.issues[i] = after
		c.touched[i] = true
		return true
	}
	return false
}

// change returns is changed as k says, and false when k cannot act on is.
func (c *shifter) change(k Shift, is Issue, matched bool) (Issue, bool) {
	switch k {
	case ShiftReopen:
		if !matched || is.State != "closed" {
			return is, false
		}
		is.State, is.StateReason, is.ClosedAt = "open", "reopened", time.Time{}
		return is, true
	case ShiftClose:
		if matched {
			return is, false
		}
		t, ok := c.inWindow(is)
		if !ok {
			return is, false
		}
		is.State, is.StateReason, is.ClosedAt = "closed", "completed", t
		return is, c.matches(is)
	case ShiftLabelOut:
		if !matched {
			return is, false
		}
		switch {
		case len(c.q.ExcludeLabels) > 0:
			is.Labels = append(is.Labels, c.q.ExcludeLabels[0])
		case len(c.q.Labels) > 0:
			is.Labels = slices.DeleteFunc(is.Labels, func(l string) bool {
				return slices.ContainsFunc(c.q.Labels[0], func(x string) bool { return strings.EqualFold(x, l) })
			})
		default:
			is.Labels = append(is.Labels, "shifted")
		}
		return is, true
	case ShiftLabelIn:
		if matched || len(c.q.ExcludeLabels)+len(c.q.Labels) == 0 {
			return is, false
		}
		is.Labels = slices.DeleteFunc(is.Labels, func(l string) bool {
			return slices.ContainsFunc(c.q.ExcludeLabels, func(x string) bool { return strings.EqualFold(x, l) })
		})
		for _, g := range c.q.Labels {
			if !slices.ContainsFunc(is.Labels, func(l string) bool {
				return slices.ContainsFunc(g, func(x string) bool { return strings.EqualFold(x, l) })
			}) {
				is.Labels = append(is.Labels, g[0])
			}
		}
		return is, c.matches(is)
	case ShiftMoveOut:
		if !matched || is.State != "closed" {
			return is, false
		}
		switch {
		case !c.win.From.IsOpen() && c.win.Start().Add(-24*time.Hour).After(is.CreatedAt):
			is.ClosedAt = c.win.Start().Add(-24 * time.Hour)
		case !c.win.To.IsOpen() && c.win.End().Add(24*time.Hour).Before(c.now):
			is.ClosedAt = c.win.End().Add(24 * time.Hour)
		default:
			return is, false
		}
		return is, true
	case ShiftMoveIn:
		if matched || is.State != "closed" || c.win.IsZero() {
			return is, false
		}
		t, ok := c.inWindow(is)
		if !ok {
			return is, false
		}
		is.ClosedAt = t
		return is, c.matches(is)
	}
	return is, false
}

// inWindow picks a close time for is inside the query's closed: window, no
// earlier than its creation and no later than now; now when the query has
// no window.
func (c *shifter) inWindow(is Issue) (time.Time, bool) {
	if c.win.IsZero() {
		return c.now, !c.now.Before(is.CreatedAt)
	}
	lo, hi := is.CreatedAt.UTC().Truncate(time.Second), c.now
	if !c.win.From.IsOpen() && c.win.Start().After(lo) {
		lo = c.win.Start()
	}
	if !c.win.To.IsOpen() && c.win.End().Add(-time.Second).Before(hi) {
		hi = c.win.End().Add(-time.Second)
	}
	if hi.Before(lo) {
		return time.Time{}, false
	}
	return lo.Add(time.Duration(c.rng.Int64N(int64(hi.Sub(lo)/time.Second)+1)) * time.Second), true
}
