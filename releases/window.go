package releases

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// Convention is the sentence that explain and notes print to state how the
// window's ends were chosen, so a reader can check the link by hand.
func Convention(g filters.Granularity) string {
	if g == filters.GranularityDay {
		return "Whole UTC days: a release published on day D lists the issues closed from the day " +
			"the previous stable release was published through the day before D; issues closed on D " +
			"itself belong to the next release, so consecutive windows neither overlap nor leave a gap " +
			"and a published list never grows afterwards."
	}
	return "Exact UTC instants: a release lists the issues closed after the previous stable release " +
		"was published (exclusive) up to the second it was published (inclusive), so consecutive " +
		"windows neither overlap nor leave a gap."
}

// Options select the window of one release.
type Options struct {
	Release  string // the tag; required
	Previous string // overrides the previous stable release
	// Until, when not open, replaces the window's end (e.g. the day a release
	// candidate was cut).
	Until       filters.Bound
	Granularity filters.Granularity
	// Now dates a draft release that has no tag yet; nil leaves such a
	// release an error.
	Now func() time.Time
}

// Span is the window of one release and how it was derived.
type Span struct {
	Release     Release
	Previous    *Release // nil when the release is the first of its family
	Window      filters.Window
	Granularity filters.Granularity
	// UntilOverride is true when Options.Until replaced the end.
	UntilOverride bool
}

// Describe says in one line which releases bound the window and where their
// times came from, e.g. "4.2.3 (release published_at 2024-09-09T12:00:00Z)
// after 4.2.2 (release published_at 2024-07-13T10:00:00Z)".
func (s Span) Describe() string {
	d := fmt.Sprintf("%s (%s %s)", s.Release.Tag, s.Release.Origin, s.Release.Time.Format(time.RFC3339))
	if s.Previous == nil {
		d += ", the first stable release: the window is open at the start"
	} else {
		d += fmt.Sprintf(" after %s (%s %s)", s.Previous.Tag, s.Previous.Origin, s.Previous.Time.Format(time.RFC3339))
	}
	return d
}

// UnknownTagError is returned when a tag names no release or tag of the
// source. Near lists similar tags that do exist.
type UnknownTagError struct {
	Tag  string
	Near []string
}

// Error names the tag and, when there are any, the similar tags.
func (e *UnknownTagError) Error() string {
	msg := fmt.Sprintf("no release or tag %q", e.Tag)
	if len(e.Near) > 0 {
		msg += "; did you mean " + strings.Join(e.Near, ", ") + "?"
	}
	return msg
}

// EmptyWindowError is returned by Plan when a release and the release before
// it were published in the same second or, with filters.GranularityDay, on
// the same UTC day: nothing lies between them at that granularity, and the
// window filters.ReleaseWindow gives (Span.Window) is empty. No other window
// would be right: one that held that day would overlap the next release's.
// Span.Previous is never nil.
type EmptyWindowError struct {
	Span Span
}

// Error names both releases, the day or second they share and the empty
// window.
func (e *EmptyWindowError) Error() string {
	s := e.Span
	if s.Release.Time.Equal(s.Previous.Time) {
		return fmt.Sprintf("%s was published in the same second as %s, so its window is empty: closed:%s ends before it starts (both are dated %s)",
			s.Release.Tag, s.Previous.Tag, s.Window, filters.Instant(s.Release.Time))
	}
	return fmt.Sprintf("%s was published on the same UTC day as %s (%s), so its whole-day window closed:%s ends before it starts",
		s.Release.Tag, s.Previous.Tag, filters.Day(s.Release.Time.UTC()), s.Window)
}

// ErrNoDate is wrapped when a release's time cannot be found.
var ErrNoDate = errors.New("release has no date")

// ErrOrder is wrapped when two ends of a window are the wrong way round: a
// previous release that is not before the release, or an end before the
// start.
var ErrOrder = errors.New("out of order")

type orderError string

func (e orderError) Error() string        { return string(e) }
func (e orderError) Is(target error) bool { return target == ErrOrder }

// Op names the input of Plan or of a Source that an *Error is about.
type Op string

// The inputs an *Error can be about.
const (
	OpRelease  Op = "release"          // Options.Release
	OpPrevious Op = "previous release" // Options.Previous
	OpUntil    Op = "end"              // Options.Until
	OpFile     Op = "releases file"    // File.Path
	OpGit      Op = "git repository"   // Git.Dir
)

// Error is a problem with one input of a release window: Op says which,
// Value is that input as given (a tag, a bound, a path) and Err the cause,
// which may be an *UnknownTagError, an *EmptyWindowError, a *ParseError,
// or wrap ErrNoDate or ErrOrder.
type Error struct {
	Op    Op
	Value string
	Err   error
}

// Error formats the problem as "OP VALUE: CAUSE".
func (e *Error) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Value, e.Err) }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Plan finds the window of opts.Release in the releases of src. Tag dates
// are looked up (through TagDater, when src implements it) only for the
// release itself and for the candidates it must compare, highest version
// first, so the cost stays at a few requests.
func Plan(ctx context.Context, src Source, opts Options) (Span, error) {
	if opts.Release == "" {
		return Span{}, errors.New("releases: plan: no release tag given in Options.Release")
	}
	g := opts.Granularity
	if g == "" {
		g = filters.GranularityInstant
	}
	rels, err := src.Releases(ctx)
	if err != nil {
		return Span{}, err
	}
	dater, _ := src.(TagDater)
	pl := planner{ctx: ctx, rels: rels, dater: dater, now: opts.Now, ord: newOrder()}

	cur, err := pl.dated(opts.Release)
	if err != nil {
		return Span{}, &Error{Op: OpRelease, Value: opts.Release, Err: err}
	}
	span := Span{Release: cur, Granularity: g}
	if opts.Previous != "" {
		prev, err := pl.dated(opts.Previous)
		if err != nil {
			return Span{}, &Error{Op: OpPrevious, Value: opts.Previous, Err: err}
		}
		if !prev.Time.Before(cur.Time) {
			return Span{}, &Error{Op: OpPrevious, Value: opts.Previous, Err: orderError(fmt.Sprintf("published %s, not before %s (%s)",
				prev.Time.Format(time.RFC3339), cur.Tag, cur.Time.Format(time.RFC3339)))}
		}
		span.Previous = &prev
	} else {
		prev, ok, err := pl.previous(cur)
		if err != nil {
			return Span{}, fmt.Errorf("releases: previous stable release of %s: %w", cur.Tag, err)
		}
		if ok {
			span.Previous = &prev
		}
	}
	var prevT time.Time
	if span.Previous != nil {
		prevT = span.Previous.Time
	}
	span.Window = filters.ReleaseWindow(prevT, cur.Time, g)
	// An empty window would yield a link GitHub reads as an empty range: a
	// silent "no issues" instead of the mistake.
	if !opts.Until.IsOpen() {
		span.Window.To = opts.Until
		span.UntilOverride = true
		if span.Window.Empty() {
			return Span{}, &Error{Op: OpUntil, Value: opts.Until.String(), Err: orderError(fmt.Sprintf("before the window of %s starts (%s, after %s)",
				cur.Tag, span.Window.From, span.Previous.Tag))}
		}
	} else if span.Window.Empty() {
		return Span{}, &EmptyWindowError{Span: span}
	}
	return span, nil
}

type planner struct {
	ctx   context.Context
	rels  []Release
	dater TagDater
	now   func() time.Time
	ord   *order
}

// find returns the index of tag: an exact match, else the one release whose
// version equals it ("4.2.3" finds "v4.2.3").
func (p *planner) find(tag string) (int, error) {
	for i, r := range p.rels {
		if r.Tag == tag {
			return i, nil
		}
	}
	want, ok := p.ord.parse(tag)
	match := -1
	var near []Release
	for i, r := range p.rels {
		v, vok := p.ord.parse(r.Tag)
		if !ok || !vok {
			continue
		}
		if v.v.Equal(want.v) {
			if match >= 0 {
				return -1, fmt.Errorf("%q matches both %s and %s: give the exact tag", tag, p.rels[match].Tag, r.Tag)
			}
			match = i
		} else if v.v.Major() == want.v.Major() && v.v.Minor() == want.v.Minor() && v.v.Prerelease() == "" {
			near = append(near, r)
		}
	}
	if match >= 0 {
		return match, nil
	}
	if len(near) == 0 {
		// Nothing in the same minor series (a typo in the major, or a
		// tag that is not a version): the latest stable releases are
		// what a person most likely meant (of the same tag family, so
		// that a mistyped v9.0.0 is not answered with api-v1.0.0).
		for _, r := range p.rels {
			if v, vok := p.ord.parse(r.Tag); vok && p.ord.stable(r) && (!ok || v.prefix == want.prefix) {
				near = append(near, r)
			}
		}
	}
	Sort(near)
	if len(near) > 5 {
		near = near[len(near)-5:]
	}
	var names []string
	for _, r := range near {
		names = append(names, r.Tag)
	}
	return -1, &UnknownTagError{Tag: tag, Near: names}
}

// dated returns the release for tag with its time filled in.
func (p *planner) dated(tag string) (Release, error) {
	i, err := p.find(tag)
	if err != nil {
		return Release{}, err
	}
	if err := p.date(i); err != nil {
		return Release{}, err
	}
	return p.rels[i], nil
}

func (p *planner) date(i int) error {
	r := &p.rels[i]
	if !r.Time.IsZero() {
		return nil
	}
	if p.dater != nil {
		t, origin, err := p.dater.TagTime(p.ctx, r.Tag)
		if err == nil {
			r.Time, r.Origin = t.UTC().Truncate(time.Second), origin
			return nil
		}
		var ute *UnknownTagError
		if !r.Draft || !errors.As(err, &ute) {
			return err
		}
	}
	if r.Draft && p.now != nil {
		r.Time, r.Origin = p.now().UTC().Truncate(time.Second), OriginNow
		return nil
	}
	return fmt.Errorf("%w: %s is a draft or an undated tag", ErrNoDate, r.Tag)
}

// previous scans stable candidates from the highest version down and dates
// each only when needed: the first one published before cur is the answer,
// because every later candidate has a lower version.
func (p *planner) previous(cur Release) (Release, bool, error) {
	o := p.ord
	_, curVersioned := o.parse(cur.Tag)
	var cands []int
	for i, r := range p.rels {
		if r.Tag == cur.Tag || !o.stable(r) || !o.sameFamily(r, cur) {
			continue
		}
		if curVersioned && !o.versionLess(r, cur) {
			continue
		}
		if !curVersioned && r.Time.IsZero() {
			continue // unversioned tags are ordered by time only: undated ones cannot be placed
		}
		cands = append(cands, i)
	}
	sort.SliceStable(cands, func(a, b int) bool { return o.less(p.rels[cands[b]], p.rels[cands[a]]) })
	for _, i := range cands {
		if err := p.date(i); err != nil {
			if errors.Is(err, ErrNoDate) {
				continue
			}
			return Release{}, false, err
		}
		r := p.rels[i]
		if o.before(r, cur) && (!curVersioned || o.versionLess(r, cur)) {
			return r, true, nil
		}
	}
	return Release{}, false, nil
}
