package releases

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// SectionKind says how a section of a history relates to the others.
type SectionKind string

// Section kinds. Main-line, prerelease and unreleased sections tile time:
// no gap, no overlap, so every issue closed in the history's span lies in
// exactly one of them. Hotfix sections overlap them on purpose (see the
// package documentation); an issue in a hotfix window is listed there too.
const (
	KindMainLine   SectionKind = "main-line"
	KindPrerelease SectionKind = "prerelease" // only with HistoryOptions.Prereleases
	KindHotfix     SectionKind = "hotfix"     // a release off the main line, with its Plan window
	KindUnreleased SectionKind = "unreleased" // from the latest tiling release to Now
)

// Section is one release of a history with its window.
//
// For a release, Window is exactly what Plan gives with PlanOptions, so the
// section's link is what `relnotes link --release TAG` prints for it (with
// --previous when PreviousOverride), unless the window is empty: then Plan
// fails with the *EmptyWindowError that EmptyWindow returns, and the
// section has no issue and no link. The Unreleased section has an empty
// Release.Tag, Release.Time = Now and Origin OriginNow: its window is the one
// Plan gives a draft release dated by Now whose previous release is
// Previous.
type Section struct {
	Span
	Kind SectionKind
	// PreviousOverride is true when Previous is not the release Plan picks
	// by itself (a prerelease section, or the stable release after one):
	// Plan gives Window only with Options.Previous = Previous.Tag.
	PreviousOverride bool
}

// EmptyWindow returns the error Plan gives for the section's release when
// nothing lies between it and its previous release at the granularity (the
// same second, or the same UTC day with whole days), and nil otherwise. The
// issues of that second or day belong to the next tiling section, so the
// windows still tile; print the error's sentence in place of the link.
func (s Section) EmptyWindow() *EmptyWindowError {
	if s.Previous == nil || !s.Window.Empty() {
		return nil
	}
	return &EmptyWindowError{Span: s.Span}
}

// Tiles reports whether the section is one of those whose windows tile
// time; false for hotfix sections.
func (s Section) Tiles() bool { return s.Kind != KindHotfix }

// PlanOptions are the Options with which Plan gives s.Window for s.Release.
// They are meaningless for the Unreleased section.
func (s Section) PlanOptions() Options {
	o := Options{Release: s.Release.Tag, Granularity: s.Granularity}
	if s.PreviousOverride {
		o.Previous = s.Previous.Tag
	}
	return o
}

// HistoryOptions select the sections of PlanHistory.
type HistoryOptions struct {
	Granularity filters.Granularity // default filters.GranularityInstant
	// Prereleases gives every main-line prerelease a section of its own,
	// tiling with the stable releases; by default a prerelease folds into
	// the next stable release (its issues are that release's).
	Prereleases bool
	// OmitHotfixes leaves out the releases off the main line.
	OmitHotfixes bool
	// Unreleased adds a section from the latest tiling release to Now.
	Unreleased bool
	// Now is the end of the Unreleased section; required with Unreleased.
	Now func() time.Time
	// SinceRelease keeps only the sections of this release and of the
	// releases published after it (and Unreleased).
	SinceRelease string
	// Last keeps only the newest Last release sections (and Unreleased);
	// 0 keeps all.
	Last int
}

// History is the sections of a project's releases, newest first.
type History struct {
	Sections []Section
	// Span is the smallest window that holds every section's window: one
	// search over it, split with changelog's Split, gives every section's
	// issues. When no section can hold an issue, Span is the newest
	// section's empty window (check h.Span.Empty() before fetching).
	Span filters.Window
	// Left are the releases without a section: drafts, tags that could not
	// be dated, releases of another tag family, folded prereleases, and
	// hotfixes with OmitHotfixes; before SinceRelease or Last limits.
	Left []Release
}

// Tiling returns the sections whose windows tile (all but hotfixes),
// newest first.
func (h History) Tiling() []Section {
	var out []Section
	for _, s := range h.Sections {
		if s.Tiles() {
			out = append(out, s)
		}
	}
	return out
}

// PlanHistory finds the sections of every release of src, newest first.
//
// Releases are those of one tag family: the family of SinceRelease when set,
// else of the latest published stable release, or of the latest release
// when none is stable (so that api-v1.2.0 and web-v1.3.0 do not mix). Every
// tag is dated (through TagDater when src implements it: a GitHub source
// costs one or two core requests per tag without a release); drafts and
// tags without a date are left out.
//
// The main-line stable releases (see MainLine) and, with Prereleases, the
// prereleases whose version is higher than every stable release published
// before them, form the tiling sequence in publication order: each one's
// window runs from the one before it (exclusive) to itself, as
// filters.ReleaseWindow computes it. For a main-line stable release in the
// default fold mode that is exactly Plan's window. A release off the main
// line (a hotfix in an older series, or a prerelease of one with
// Prereleases) gets Plan's window, which overlaps the tiling sections.
//
// Two releases with nothing between them at the granularity (the same
// second, or the same UTC day with whole days) give the later one an empty
// window, for which Plan fails with *EmptyWindowError: the section stays
// (see Section.EmptyWindow), holds no issue, and the issues of that day
// belong to the next section. A prerelease that would leave the next tiling
// release such an empty window folds into it even with Prereleases, so a
// final release published the day of its last candidate keeps its issues.
// An empty Unreleased section is left out.
func PlanHistory(ctx context.Context, src Source, opts HistoryOptions) (History, error) {
	g := opts.Granularity
	if g == "" {
		g = filters.GranularityInstant
	}
	if opts.Unreleased && opts.Now == nil {
		return History{}, errors.New("releases: history: an Unreleased section needs HistoryOptions.Now")
	}
	if opts.Last < 0 {
		return History{}, fmt.Errorf("releases: history: Last %d is negative; give a number of releases, or 0 for all", opts.Last)
	}
	rels, err := src.Releases(ctx)
	if err != nil {
		return History{}, err
	}
	dater, _ := src.(TagDater)
	pl := planner{ctx: ctx, rels: rels, dater: dater, ord: newOrder()}
	o := pl.ord

	var h History
	var dated []Release
	for i := range pl.rels {
		if pl.rels[i].Draft {
			h.Left = append(h.Left, pl.rels[i])
			continue
		}
		if err := pl.date(i); err != nil {
			if errors.Is(err, ErrNoDate) {
				h.Left = append(h.Left, pl.rels[i])
				continue
			}
			return History{}, fmt.Errorf("releases: history: %w", err)
		}
		dated = append(dated, pl.rels[i])
	}

	var family *Release
	var since *Release
	if opts.SinceRelease != "" {
		i, err := pl.find(opts.SinceRelease)
		if err != nil {
			return History{}, fmt.Errorf("releases: history: since release %s: %w", opts.SinceRelease, err)
		}
		r := pl.rels[i]
		if r.Time.IsZero() {
			return History{}, fmt.Errorf("releases: history: since release %s: %w: it is a draft or an undated tag", r.Tag, ErrNoDate)
		}
		since, family = &r, &r
	} else {
		for i := range dated {
			if o.stable(dated[i]) && (family == nil || o.before(*family, dated[i])) {
				family = &dated[i]
			}
		}
		for i := range dated { // only prereleases so far
			if family == nil || !o.stable(*family) && o.before(*family, dated[i]) {
				family = &dated[i]
			}
		}
	}
	var fam []Release
	for _, r := range dated {
		if family != nil && o.sameFamily(r, *family) {
			fam = append(fam, r)
		} else {
			h.Left = append(h.Left, r)
		}
	}

	main := map[string]bool{}
	for _, r := range MainLine(fam) {
		main[r.Tag] = true
	}
	var tiling, off []Release
	for _, r := range fam {
		switch {
		case main[r.Tag]:
			tiling = append(tiling, r)
		case !o.stable(r) && o.aboveStables(r, fam):
			if opts.Prereleases {
				tiling = append(tiling, r)
			} else {
				h.Left = append(h.Left, r)
			}
		case !o.stable(r) && !opts.Prereleases, opts.OmitHotfixes:
			h.Left = append(h.Left, r)
		default:
			off = append(off, r)
		}
	}
	sort.SliceStable(tiling, func(i, j int) bool { return o.before(tiling[i], tiling[j]) })
	if opts.Prereleases {
		// A prerelease with nothing between it and the next tiling release
		// at the granularity would leave that release an empty window (and
		// Plan refuses a --previous that is not strictly earlier): it folds
		// into that release instead.
		var keep []Release
		for i := len(tiling) - 1; i >= 0; i-- {
			r := tiling[i]
			if !o.stable(r) && len(keep) > 0 && filters.ReleaseWindow(r.Time, keep[len(keep)-1].Time, g).Empty() {
				h.Left = append(h.Left, r)
				continue
			}
			keep = append(keep, r)
		}
		slices.Reverse(keep)
		tiling = keep
	}

	for i, r := range tiling {
		s := Section{Span: Span{Release: r, Granularity: g}, Kind: KindMainLine}
		if !o.stable(r) {
			s.Kind = KindPrerelease
		}
		var prevT time.Time
		if i > 0 {
			prev := tiling[i-1]
			s.Previous, prevT = &prev, prev.Time
		}
		def, ok, err := pl.previous(r)
		if err != nil {
			return History{}, fmt.Errorf("releases: history: previous stable release of %s: %w", r.Tag, err)
		}
		s.PreviousOverride = ok != (s.Previous != nil) || ok && def.Tag != s.Previous.Tag
		if s.PreviousOverride && s.Previous == nil {
			// Plan would start this window at a release the tiling places
			// later; no --previous can say "none", so the history cannot
			// reproduce Plan here.
			return History{}, fmt.Errorf("releases: history: %s is the first release of the tiling but Plan starts its window at %s", r.Tag, def.Tag)
		}
		s.Window = filters.ReleaseWindow(prevT, r.Time, g)
		h.Sections = append(h.Sections, s)
	}
	for _, r := range off {
		s := Section{Span: Span{Release: r, Granularity: g}, Kind: KindHotfix}
		prev, ok, err := pl.previous(r)
		if err != nil {
			return History{}, fmt.Errorf("releases: history: previous stable release of %s: %w", r.Tag, err)
		}
		var prevT time.Time
		if ok {
			s.Previous, prevT = &prev, prev.Time
		}
		s.Window = filters.ReleaseWindow(prevT, r.Time, g)
		h.Sections = append(h.Sections, s)
	}
	sort.SliceStable(h.Sections, func(i, j int) bool { return o.before(h.Sections[j].Release, h.Sections[i].Release) })

	if since != nil {
		keep := h.Sections[:0]
		for _, s := range h.Sections {
			if s.Release.Tag == since.Tag || o.before(*since, s.Release) {
				keep = append(keep, s)
			}
		}
		h.Sections = keep
	}
	if opts.Last > 0 && len(h.Sections) > opts.Last {
		h.Sections = h.Sections[:opts.Last]
	}
	if opts.Unreleased {
		now := opts.Now().UTC().Truncate(time.Second)
		s := Section{Span: Span{Release: Release{Time: now, Origin: OriginNow}, Granularity: g}, Kind: KindUnreleased}
		var prevT time.Time
		if n := len(tiling); n > 0 {
			prev := tiling[n-1]
			s.Previous, prevT = &prev, prev.Time
		}
		s.Window = filters.ReleaseWindow(prevT, now, g)
		if !s.Window.Empty() {
			h.Sections = append([]Section{s}, h.Sections...)
		}
	}
	h.Span = cover(h.Sections)
	return h, nil
}

// aboveStables reports whether r has a higher version than every stable
// release of its family published before it: the test MainLine applies to
// stable releases, applied to a prerelease.
func (o *order) aboveStables(r Release, rels []Release) bool {
	for _, e := range rels {
		if e.Tag != r.Tag && o.stable(e) && o.sameFamily(e, r) && o.before(e, r) && !o.versionLess(e, r) {
			return false
		}
	}
	return true
}

// cover is the smallest window holding every non-empty window of secs.
func cover(secs []Section) filters.Window {
	var w filters.Window
	found := false
	for _, s := range secs {
		sw := s.Window
		if sw.Empty() {
			continue
		}
		if !found {
			w, found = sw, true
			continue
		}
		if sw.StartsBefore(w) {
			w.From = sw.From
		}
		if sw.EndsAfter(w) {
			w.To = sw.To
		}
	}
	if !found && len(secs) > 0 {
		return secs[0].Window
	}
	return w
}
