package releases

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

// memSource is a Source whose undated tags are dated on demand, counting
// the lookups so tests can check that Plan asks only for what it needs.
type memSource struct {
	rels    []Release
	dates   map[string]time.Time // dates of undated tags
	lookups []string
}

func (m *memSource) Releases(context.Context) ([]Release, error) {
	return append([]Release(nil), m.rels...), nil
}

func (m *memSource) TagTime(_ context.Context, tag string) (time.Time, Origin, error) {
	m.lookups = append(m.lookups, tag)
	t, ok := m.dates[tag]
	if !ok {
		return time.Time{}, "", &UnknownTagError{Tag: tag}
	}
	return t, OriginAnnotatedTag, nil
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func inst(s string) filters.Bound { return filters.Bound{T: ts(s)} }
func day(s string) filters.Bound {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return filters.Bound{T: t, Day: true}
}

func rel(tag, at string) Release {
	return Release{Tag: tag, Time: ts(at), Origin: OriginPublished, HasRelease: true, Prerelease: IsPrerelease(tag)}
}

func TestPlan(t *testing.T) {
	history := []Release{
		rel("v4.1.3", "2024-01-10T09:00:00Z"),
		rel("v4.1.4", "2024-02-20T09:00:00Z"),
		rel("v4.2.0", "2024-03-01T09:00:00Z"),
		rel("v4.2.1", "2024-03-26T09:00:00Z"),
		rel("v4.1.5", "2024-04-02T09:00:00Z"), // hotfix in the older series
		rel("v4.2.2-rc1", "2024-06-30T09:00:00Z"),
		{Tag: "v4.2.2-beta", Time: ts("2024-06-01T09:00:00Z"), Prerelease: true, HasRelease: true, Origin: OriginPublished},
		rel("v4.2.2", "2024-07-13T10:00:00Z"),
		{Tag: "v4.2.3", Draft: true, HasRelease: true},
		{Tag: "v4.2.4", Draft: true, HasRelease: true},
		{Tag: "v4.2.3-rc1", Prerelease: true, HasRelease: false}, // tag only, dated on demand
		{Tag: "nightly", Time: ts("2024-08-01T00:00:00Z"), HasRelease: true, Origin: OriginPublished},
		{Tag: "api-v1.0.0", Time: ts("2024-07-01T00:00:00Z"), HasRelease: true, Origin: OriginPublished},
	}
	dates := map[string]time.Time{
		"v4.2.3":     ts("2024-09-09T12:00:00Z"),
		"v4.2.3-rc1": ts("2024-08-20T08:00:00Z"),
	}
	now := func() time.Time { return ts("2024-10-01T00:00:00.5Z") }
	tests := []struct {
		name     string
		opts     Options
		prev     string // "" for none
		window   filters.Window
		lookups  []string
		wantErr  string
		override bool
	}{
		{name: "stable after stable", opts: Options{Release: "v4.2.2"}, prev: "v4.2.1",
			window: filters.Window{From: inst("2024-03-26T09:00:01Z"), To: inst("2024-07-13T10:00:00Z")}},
		{name: "version without v finds the tag", opts: Options{Release: "4.2.2"}, prev: "v4.2.1",
			window: filters.Window{From: inst("2024-03-26T09:00:01Z"), To: inst("2024-07-13T10:00:00Z")}},
		{name: "first of a series follows the highest earlier", opts: Options{Release: "v4.2.0"}, prev: "v4.1.4",
			window: filters.Window{From: inst("2024-02-20T09:00:01Z"), To: inst("2024-03-01T09:00:00Z")}},
		{name: "hotfix stays in its series", opts: Options{Release: "v4.1.5"}, prev: "v4.1.4",
			window: filters.Window{From: inst("2024-02-20T09:00:01Z"), To: inst("2024-04-02T09:00:00Z")}},
		{name: "prerelease starts with its final", opts: Options{Release: "v4.2.2-rc1"}, prev: "v4.2.1",
			window: filters.Window{From: inst("2024-03-26T09:00:01Z"), To: inst("2024-06-30T09:00:00Z")}},
		{name: "draft dated by its tag", opts: Options{Release: "v4.2.3"}, prev: "v4.2.2",
			window: filters.Window{From: inst("2024-07-13T10:00:01Z"), To: inst("2024-09-09T12:00:00Z")}, lookups: []string{"v4.2.3"}},
		{name: "draft without a tag uses now", opts: Options{Release: "v4.2.4", Now: now}, prev: "v4.2.2",
			window: filters.Window{From: inst("2024-07-13T10:00:01Z"), To: inst("2024-10-01T00:00:00Z")}, lookups: []string{"v4.2.4"}},
		{name: "tag-only prerelease", opts: Options{Release: "v4.2.3-rc1"}, prev: "v4.2.2",
			window: filters.Window{From: inst("2024-07-13T10:00:01Z"), To: inst("2024-08-20T08:00:00Z")}, lookups: []string{"v4.2.3-rc1"}},
		{name: "first release", opts: Options{Release: "v4.1.3"}, window: filters.Window{To: inst("2024-01-10T09:00:00Z")}},
		{name: "other tag family", opts: Options{Release: "api-v1.0.0"}, window: filters.Window{To: inst("2024-07-01T00:00:00Z")}},
		{name: "unversioned tag goes by time", opts: Options{Release: "nightly"}, window: filters.Window{To: inst("2024-08-01T00:00:00Z")}},
		{name: "previous override", opts: Options{Release: "v4.2.2", Previous: "v4.2.0"}, prev: "v4.2.0",
			window: filters.Window{From: inst("2024-03-01T09:00:01Z"), To: inst("2024-07-13T10:00:00Z")}},
		{name: "until override", opts: Options{Release: "v4.2.2", Until: day("2024-06-30")}, prev: "v4.2.1", override: true,
			window: filters.Window{From: inst("2024-03-26T09:00:01Z"), To: day("2024-06-30")}},
		{name: "day granularity", opts: Options{Release: "v4.2.2", Granularity: filters.GranularityDay}, prev: "v4.2.1",
			window: filters.Window{From: day("2024-03-26"), To: day("2024-07-12")}},
		{name: "unknown tag", opts: Options{Release: "v4.2.9"}, wantErr: `release v4.2.9: no release or tag "v4.2.9"; did you mean v4.2.0, v4.2.1, v4.2.2, v4.2.3, v4.2.4?`},
		{name: "unknown major suggests the latest releases", opts: Options{Release: "v9.0.0"},
			wantErr: `release v9.0.0: no release or tag "v9.0.0"; did you mean v4.1.4, v4.1.5, v4.2.0, v4.2.1, v4.2.2?`},
		{name: "until before the start", opts: Options{Release: "v4.2.2", Until: day("2024-03-01")},
			wantErr: "end 2024-03-01: before the window of v4.2.2 starts (2024-03-26T09:00:01Z, after v4.2.1)"},
		{name: "until at the start is one second", opts: Options{Release: "v4.2.2", Until: inst("2024-03-26T09:00:01Z")}, prev: "v4.2.1", override: true,
			window: filters.Window{From: inst("2024-03-26T09:00:01Z"), To: inst("2024-03-26T09:00:01Z")}},
		{name: "previous after release", opts: Options{Release: "v4.2.1", Previous: "v4.2.2"},
			wantErr: "previous release v4.2.2: published 2024-07-13T10:00:00Z, not before v4.2.1 (2024-03-26T09:00:00Z)"},
		{name: "draft without date", opts: Options{Release: "v4.2.4"},
			wantErr: "release v4.2.4: release has no date: v4.2.4 is a draft or an undated tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &memSource{rels: history, dates: dates}
			span, err := Plan(context.Background(), src, tt.opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Plan error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			gotPrev := ""
			if span.Previous != nil {
				gotPrev = span.Previous.Tag
			}
			if gotPrev != tt.prev {
				t.Errorf("previous = %q, want %q", gotPrev, tt.prev)
			}
			if diff := cmp.Diff(tt.window, span.Window); diff != "" {
				t.Errorf("window (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.lookups, src.lookups); diff != "" {
				t.Errorf("tag lookups (-want +got):\n%s", diff)
			}
			if span.UntilOverride != tt.override {
				t.Errorf("UntilOverride = %v", span.UntilOverride)
			}
		})
	}
}

func TestPlanUnknownTagIsTyped(t *testing.T) {
	_, err := Plan(context.Background(), &memSource{}, Options{Release: "v1.0.0"})
	var ute *UnknownTagError
	if !errors.As(err, &ute) || ute.Tag != "v1.0.0" {
		t.Fatalf("Plan error = %v, want *UnknownTagError for v1.0.0", err)
	}
}

func TestSpanDescribe(t *testing.T) {
	span, err := Plan(context.Background(), &memSource{rels: []Release{
		rel("v1.0.0", "2024-01-01T00:00:00Z"),
		{Tag: "v1.1.0", Time: ts("2024-02-01T00:00:00Z"), Origin: OriginCommit},
	}}, Options{Release: "v1.1.0"})
	if err != nil {
		t.Fatal(err)
	}
	want := "v1.1.0 (commit date 2024-02-01T00:00:00Z) after v1.0.0 (release published_at 2024-01-01T00:00:00Z)"
	if got := span.Describe(); got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

// history is a generated project: its releases, the tags that are on the
// main line by construction, and the close times of its tracker's issues.
type history struct {
	rels     []Release
	dates    map[string]time.Time
	main     []string
	hotfixes map[string]string // hotfix tag -> its previous in the series
	rcs      map[string]string // prerelease tag -> its final
	closed   []time.Time
}

// genHistory builds at least 10 stable releases over several series with
// release candidates, a hotfix in an older series, tags without a release
// (dated on demand), drafts, and releases on the same day. The clock moves
// forward only, so the construction order is the publication order.
func genHistory(r *rand.Rand) history {
	h := history{dates: map[string]time.Time{}, hotfixes: map[string]string{}, rcs: map[string]string{}}
	now := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(86400)) * time.Second)
	step := func() {
		switch r.IntN(5) {
		case 0: // same day
			now = now.Add(time.Duration(1+r.IntN(3600)) * time.Second)
		default:
			now = now.Add(time.Duration(1+r.IntN(40*86400)) * time.Second)
		}
	}
	publish := func(tag string, pre bool) {
		rl := Release{Tag: tag, Time: now, Prerelease: pre, HasRelease: true, Origin: OriginPublished}
		if r.IntN(6) == 0 { // a tag without a release: dated only on demand
			rl = Release{Tag: tag, Prerelease: IsPrerelease(tag)}
			h.dates[tag] = now
		}
		h.rels = append(h.rels, rl)
	}
	lastPatch := map[int]int{} // minor -> last patch
	minor := 0
	nStable := 10 + r.IntN(8)
	for n := 0; n < nStable; n++ {
		step()
		newSeries := n > 0 && r.IntN(4) == 0
		if newSeries {
			minor++
		}
		patch := 0
		if p, ok := lastPatch[minor]; ok {
			patch = p + 1
		}
		tag := fmt.Sprintf("v3.%d.%d", minor, patch)
		if r.IntN(3) == 0 { // release candidates before the final
			for rc := 1; rc <= 1+r.IntN(2); rc++ {
				rcTag := fmt.Sprintf("%s-rc%d", tag, rc)
				publish(rcTag, true)
				h.rcs[rcTag] = tag
				step()
			}
		}
		if r.IntN(4) == 0 { // a draft of something never published
			h.rels = append(h.rels, Release{Tag: fmt.Sprintf("v3.%d.%d-draft", minor, patch+50), Draft: true, HasRelease: true})
		}
		publish(tag, false)
		lastPatch[minor] = patch
		h.main = append(h.main, tag)
		if minor > 0 && n > 2 && len(h.hotfixes) == 0 && r.IntN(2) == 0 || minor > 0 && n == nStable-1 && len(h.hotfixes) == 0 {
			// a hotfix in the previous series, after the new one started
			step()
			old := minor - 1
			prevTag := fmt.Sprintf("v3.%d.%d", old, lastPatch[old])
			lastPatch[old]++
			hot := fmt.Sprintf("v3.%d.%d", old, lastPatch[old])
			publish(hot, false)
			h.hotfixes[hot] = prevTag
		}
	}
	first := time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC)
	span := now.Add(30 * 86400 * time.Second).Sub(first)
	for i := 0; i < 400; i++ {
		h.closed = append(h.closed, first.Add(time.Duration(r.Int64N(int64(span/time.Second)))*time.Second))
	}
	// Issues closed exactly on and next to every release instant.
	for _, rl := range h.rels {
		t := rl.Time
		if t.IsZero() {
			t = h.dates[rl.Tag]
		}
		if !t.IsZero() {
			h.closed = append(h.closed, t.Add(-time.Second), t, t.Add(time.Second))
		}
	}
	r.Shuffle(len(h.rels), func(i, j int) { h.rels[i], h.rels[j] = h.rels[j], h.rels[i] })
	return h
}

// contains is GitHub's closed:A..B with both ends inclusive, written out
// here rather than taken from filters so the property does not depend on
// the code it tests.
func contains(w filters.Window, t time.Time) bool {
	if !w.From.T.IsZero() && t.Before(w.From.T) {
		return false
	}
	if w.To.T.IsZero() {
		return true
	}
	if w.To.Day {
		return t.Before(w.To.T.AddDate(0, 0, 1))
	}
	return !t.After(w.To.T)
}

// TestWindowsTileProperty checks, over many generated histories, that the
// windows of consecutive main-line stable releases have no gap and no
// overlap: every closed issue up to the last release falls in exactly one
// window, with instant and with day granularity.
func TestWindowsTileProperty(t *testing.T) {
	seeds := 200
	if testing.Short() || raceEnabled {
		seeds = 30
	}
	for seed := 0; seed < seeds; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 17))
		h := genHistory(r)
		src := &memSource{rels: h.rels, dates: h.dates}
		resolved := append([]Release(nil), h.rels...)
		for i := range resolved {
			if d, ok := h.dates[resolved[i].Tag]; ok {
				resolved[i].Time, resolved[i].Origin = d, OriginAnnotatedTag
			}
		}
		var mainTags []string
		for _, m := range MainLine(resolved) {
			mainTags = append(mainTags, m.Tag)
		}
		if diff := cmp.Diff(h.main, mainTags); diff != "" {
			t.Fatalf("seed %d: MainLine (-want +got):\n%s", seed, diff)
		}
		for _, g := range []filters.Granularity{filters.GranularityInstant, filters.GranularityDay} {
			var windows []filters.Window
			var last time.Time
			for _, tag := range h.main {
				span, err := Plan(context.Background(), src, Options{Release: tag, Granularity: g})
				var empty *EmptyWindowError
				if errors.As(err, &empty) {
					// Nothing lies between the two releases at this
					// granularity; the ones around still tile.
					s := empty.Span
					if !s.Window.Empty() || s.Previous == nil || g.Bound(s.Previous.Time) != g.Bound(s.Release.Time) {
						t.Fatalf("seed %d %s: Plan %s: %v for %+v", seed, g, tag, err, s)
					}
					continue
				}
				if err != nil {
					t.Fatalf("seed %d: Plan %s: %v", seed, tag, err)
				}
				windows = append(windows, span.Window)
				last = span.Release.Time
			}
			if !windows[0].From.T.IsZero() {
				t.Fatalf("seed %d %s: the first window %v is not open at the start", seed, g, windows[0])
			}
			limit := last
			if g == filters.GranularityDay {
				limit = windows[len(windows)-1].End().Add(-time.Second)
			}
			for _, c := range h.closed {
				if c.After(limit) {
					continue
				}
				n := 0
				for _, w := range windows {
					if contains(w, c) {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("seed %d %s: issue closed %s is in %d windows of %v; windows %v", seed, g, c, n, h.main, windows)
				}
			}
		}
		for hot, prev := range h.hotfixes {
			span, err := Plan(context.Background(), src, Options{Release: hot})
			if err != nil || span.Previous == nil || span.Previous.Tag != prev {
				t.Fatalf("seed %d: hotfix %s: previous %+v, err %v; want %s", seed, hot, span.Previous, err, prev)
			}
		}
		for rc, final := range h.rcs {
			a, err1 := Plan(context.Background(), src, Options{Release: rc})
			b, err2 := Plan(context.Background(), src, Options{Release: final})
			if err1 != nil || err2 != nil || a.Window.From != b.Window.From {
				t.Fatalf("seed %d: %s starts %v, %s starts %v (%v, %v): a release candidate must share its final's start", seed, rc, a.Window.From, final, b.Window.From, err1, err2)
			}
		}
	}
}

func TestSortAndPrerelease(t *testing.T) {
	rels := []Release{
		rel("v1.10.0", "2024-05-01T00:00:00Z"),
		rel("v1.2.0", "2024-02-01T00:00:00Z"),
		rel("v1.2.0-rc1", "2024-01-20T00:00:00Z"),
		rel("v1.9.1", "2024-06-01T00:00:00Z"),
	}
	Sort(rels)
	var got []string
	for _, r := range rels {
		got = append(got, r.Tag)
	}
	if diff := cmp.Diff([]string{"v1.2.0-rc1", "v1.2.0", "v1.9.1", "v1.10.0"}, got); diff != "" {
		t.Errorf("Sort (-want +got):\n%s", diff)
	}
	for tag, want := range map[string]bool{
		"4.2.3-rc1": true, "v1.0.0-beta.2": true, "4.2.3rc1": true, "1.0b2": true,
		"4.2.3": false, "v4.2": false, "nightly": false, "R4.2.3": false, "api-v1.0.0-alpha": true,
	} {
		if got := IsPrerelease(tag); got != want {
			t.Errorf("IsPrerelease(%q) = %v, want %v", tag, got, want)
		}
	}
	o := newOrder()
	if !sort.SliceIsSorted(rels, func(i, j int) bool { return o.less(rels[i], rels[j]) }) {
		t.Error("Sort output is not sorted by its own order")
	}
}

// TestPlanEmptyWindow: two releases with nothing between them at the
// granularity give *EmptyWindowError naming both, never an empty window a
// link would print; an explicit Until still sets a valid end.
func TestPlanEmptyWindow(t *testing.T) {
	src := &memSource{rels: []Release{
		rel("v1.0.0", "2024-09-09T08:00:00Z"),
		rel("v1.0.1", "2024-09-09T17:00:00Z"),
		rel("v1.0.2", "2024-09-09T17:00:00Z"),
	}}
	tests := []struct {
		name    string
		opts    Options
		err     string // "" for no error
		window  string
		granul  filters.Granularity
		prevTag string
	}{
		{"same day", Options{Release: "v1.0.1", Granularity: filters.GranularityDay},
			"v1.0.1 was published on the same UTC day as v1.0.0 (2024-09-09), so its whole-day window closed:2024-09-09..2024-09-08 ends before it starts", "", filters.GranularityDay, "v1.0.0"},
		{"same day by instant", Options{Release: "v1.0.1"}, "", "2024-09-09T08:00:01Z..2024-09-09T17:00:00Z", "", ""},
		{"an earlier previous", Options{Release: "v1.0.2", Previous: "v1.0.0", Granularity: filters.GranularityInstant}, "", "2024-09-09T08:00:01Z..2024-09-09T17:00:00Z", "", ""},
		{"same day with until", Options{Release: "v1.0.1", Granularity: filters.GranularityDay, Until: filters.Day(ts("2024-09-09T00:00:00Z"))}, "", "2024-09-09", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			span, err := Plan(context.Background(), src, tt.opts)
			if tt.err == "" {
				if err != nil || span.Window.String() != tt.window {
					t.Fatalf("Plan = %v, %v; want %s", span.Window, err, tt.window)
				}
				return
			}
			var empty *EmptyWindowError
			if !errors.As(err, &empty) || err.Error() != tt.err {
				t.Fatalf("Plan error = %v; want *EmptyWindowError %q", err, tt.err)
			}
			if empty.Span.Granularity != tt.granul || empty.Span.Previous.Tag != tt.prevTag || !empty.Span.Window.Empty() {
				t.Errorf("EmptyWindowError.Span = %+v", empty.Span)
			}
		})
	}
	// Same second: v1.0.2 after v1.0.1, found without --previous.
	_, err := Plan(context.Background(), src, Options{Release: "v1.0.2"})
	want := "v1.0.2 was published in the same second as v1.0.1, so its window is empty: closed:2024-09-09T17:00:01Z..2024-09-09T17:00:00Z ends before it starts (both are dated 2024-09-09T17:00:00Z)"
	var empty *EmptyWindowError
	if !errors.As(err, &empty) || err.Error() != want {
		t.Errorf("Plan(v1.0.2) error = %v; want %q", err, want)
	}
}
