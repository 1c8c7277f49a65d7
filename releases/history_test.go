package releases

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

// sectionRow is a section reduced to what a reader checks by eye.
type sectionRow struct {
	Tag, Previous, Kind, Window string
	Override                    bool
}

func rows(h History) []sectionRow {
	var out []sectionRow
	for _, s := range h.Sections {
		r := sectionRow{Tag: s.Release.Tag, Kind: string(s.Kind), Window: s.Window.String(), Override: s.PreviousOverride}
		if s.Previous != nil {
			r.Previous = s.Previous.Tag
		}
		out = append(out, r)
	}
	return out
}

func tags(rels []Release) []string {
	var out []string
	for _, r := range rels {
		out = append(out, r.Tag)
	}
	return out
}

// handHistory: a main line with release candidates, a hotfix series in the
// 1.1 line after 1.2.0 shipped (with a candidate of its own), an undated tag
// without a release, a draft, another tag family, and 1.2.2 on the same day
// as 1.2.1.
func handHistory() *memSource {
	return &memSource{
		rels: []Release{
			rel("v1.0.0", "2024-01-10T10:00:00Z"),
			rel("v1.1.0-rc1", "2024-02-01T10:00:00Z"),
			rel("v1.1.0", "2024-02-10T10:00:00Z"),
			{Tag: "v1.1.1"}, // a tag without a release, 2024-03-01
			rel("v1.2.0-rc1", "2024-03-20T10:00:00Z"),
			rel("v1.2.0-rc2", "2024-03-25T10:00:00Z"),
			rel("v1.2.0", "2024-04-01T10:00:00Z"),
			rel("v1.1.2-rc1", "2024-04-10T10:00:00Z"),
			rel("v1.1.2", "2024-04-15T10:00:00Z"),
			rel("v1.2.1", "2024-05-01T10:00:00Z"),
			rel("v1.1.3", "2024-05-01T12:00:00Z"),
			rel("v1.2.2", "2024-05-01T18:00:00Z"),
			{Tag: "v1.3.0-draft", Draft: true, HasRelease: true},
			rel("api-v0.1.0", "2024-04-20T10:00:00Z"),
		},
		dates: map[string]time.Time{"v1.1.1": ts("2024-03-01T10:00:00Z")},
	}
}

func TestPlanHistory(t *testing.T) {
	now := func() time.Time { return ts("2024-06-01T08:30:00Z") }
	tests := []struct {
		name     string
		opts     HistoryOptions
		want     []sectionRow
		wantSpan string
		wantLeft []string
	}{
		{
			name: "fold prereleases, instant",
			opts: HistoryOptions{},
			want: []sectionRow{
				{"v1.2.2", "v1.2.1", "main-line", "2024-05-01T10:00:01Z..2024-05-01T18:00:00Z", false},
				{"v1.1.3", "v1.1.2", "hotfix", "2024-04-15T10:00:01Z..2024-05-01T12:00:00Z", false},
				{"v1.2.1", "v1.2.0", "main-line", "2024-04-01T10:00:01Z..2024-05-01T10:00:00Z", false},
				{"v1.1.2", "v1.1.1", "hotfix", "2024-03-01T10:00:01Z..2024-04-15T10:00:00Z", false},
				{"v1.2.0", "v1.1.1", "main-line", "2024-03-01T10:00:01Z..2024-04-01T10:00:00Z", false},
				{"v1.1.1", "v1.1.0", "main-line", "2024-02-10T10:00:01Z..2024-03-01T10:00:00Z", false},
				{"v1.1.0", "v1.0.0", "main-line", "2024-01-10T10:00:01Z..2024-02-10T10:00:00Z", false},
				{"v1.0.0", "", "main-line", "<=2024-01-10T10:00:00Z", false},
			},
			wantSpan: "<=2024-05-01T18:00:00Z",
			wantLeft: []string{"v1.3.0-draft", "api-v0.1.0", "v1.1.0-rc1", "v1.2.0-rc1", "v1.2.0-rc2", "v1.1.2-rc1"},
		},
		{
			name: "prereleases as sections, day, unreleased, last 5",
			opts: HistoryOptions{Granularity: filters.GranularityDay, Prereleases: true, Unreleased: true, Now: now, Last: 5},
			want: []sectionRow{
				{"", "v1.2.2", "unreleased", "2024-05-01..2024-05-31", false},
				{"v1.2.2", "v1.2.1", "main-line", "2024-05-01..2024-04-30", false},
				{"v1.1.3", "v1.1.2", "hotfix", "2024-04-15..2024-04-30", false},
				{"v1.2.1", "v1.2.0", "main-line", "2024-04-01..2024-04-30", false},
				{"v1.1.2", "v1.1.1", "hotfix", "2024-03-01..2024-04-14", false},
				{"v1.1.2-rc1", "v1.1.1", "hotfix", "2024-03-01..2024-04-09", false},
			},
			wantSpan: "2024-03-01..2024-05-31",
			wantLeft: []string{"v1.3.0-draft", "api-v0.1.0"},
		},
		{
			name: "since a prerelease, no hotfixes",
			opts: HistoryOptions{Prereleases: true, OmitHotfixes: true, SinceRelease: "1.2.0-rc2"},
			want: []sectionRow{
				{"v1.2.2", "v1.2.1", "main-line", "2024-05-01T10:00:01Z..2024-05-01T18:00:00Z", false},
				{"v1.2.1", "v1.2.0", "main-line", "2024-04-01T10:00:01Z..2024-05-01T10:00:00Z", false},
				{"v1.2.0", "v1.2.0-rc2", "main-line", "2024-03-25T10:00:01Z..2024-04-01T10:00:00Z", true},
				{"v1.2.0-rc2", "v1.2.0-rc1", "prerelease", "2024-03-20T10:00:01Z..2024-03-25T10:00:00Z", true},
			},
			wantSpan: "2024-03-20T10:00:01Z..2024-05-01T18:00:00Z",
			wantLeft: []string{"v1.3.0-draft", "api-v0.1.0", "v1.1.2-rc1", "v1.1.2", "v1.1.3"},
		},
		{
			name: "another family",
			opts: HistoryOptions{SinceRelease: "api-v0.1.0", Unreleased: true, Now: now},
			want: []sectionRow{
				{"", "api-v0.1.0", "unreleased", "2024-04-20T10:00:01Z..2024-06-01T08:30:00Z", false},
				{"api-v0.1.0", "", "main-line", "<=2024-04-20T10:00:00Z", false},
			},
			wantSpan: "<=2024-06-01T08:30:00Z",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := PlanHistory(context.Background(), handHistory(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows(h)); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if got := h.Span.String(); got != tt.wantSpan {
				t.Errorf("Span %s, want %s", got, tt.wantSpan)
			}
			if tt.wantLeft != nil {
				if diff := cmp.Diff(tt.wantLeft, tags(h.Left)); diff != "" {
					t.Errorf("Left (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestPlanHistoryErrors(t *testing.T) {
	tests := []struct {
		name string
		opts HistoryOptions
		want string
	}{
		{"unreleased without a clock", HistoryOptions{Unreleased: true}, "releases: history: an Unreleased section needs HistoryOptions.Now"},
		{"negative last", HistoryOptions{Last: -1}, "releases: history: Last -1 is negative; give a number of releases, or 0 for all"},
		{"unknown since", HistoryOptions{SinceRelease: "v9.9.9"}, `releases: history: since release v9.9.9: no release or tag "v9.9.9"; did you mean v1.1.2, v1.1.3, v1.2.0, v1.2.1, v1.2.2?`},
		{"since a draft", HistoryOptions{SinceRelease: "v1.3.0-draft"}, "releases: history: since release v1.3.0-draft: release has no date: it is a draft or an undated tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanHistory(context.Background(), handHistory(), tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error %v, want %s", err, tt.want)
			}
		})
	}
}

// genLongHistory builds a history of stable releases over several minor
// series, with release candidates, hotfix series in older lines (some with
// a candidate), tags without a release (dated on demand), drafts, and
// releases in the same second or on the same day. The clock only moves
// forward, so construction order is publication order. It returns the
// source, every dated release (for the issue close times) and the last
// release time.
func genLongHistory(r *rand.Rand, nReleases int) (*memSource, []Release) {
	src := &memSource{dates: map[string]time.Time{}}
	now := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(86400)) * time.Second)
	var all []Release
	step := func() {
		switch r.IntN(8) {
		case 0: // the same second
		case 1, 2: // the same day
			now = now.Add(time.Duration(1+r.IntN(3600)) * time.Second)
		default:
			now = now.Add(time.Duration(3600+r.IntN(20*86400)) * time.Second)
		}
	}
	publish := func(tag string) {
		rl := Release{Tag: tag, Time: now, Prerelease: IsPrerelease(tag), HasRelease: true, Origin: OriginPublished}
		all = append(all, rl)
		if r.IntN(5) == 0 {
			rl = Release{Tag: tag, Prerelease: IsPrerelease(tag)}
			src.dates[tag] = now
		}
		src.rels = append(src.rels, rl)
	}
	lastPatch := map[int]int{0: -1}
	minor := 0
	for n := 0; n < nReleases; {
		step()
		switch k := r.IntN(10); {
		case k == 0 && minor > 0: // a hotfix series in an older line
			old := r.IntN(minor)
			for i := 0; i < 1+r.IntN(3) && n < nReleases; i++ {
				lastPatch[old]++
				tag := fmt.Sprintf("v2.%d.%d", old, lastPatch[old])
				if r.IntN(3) == 0 && n+1 < nReleases {
					publish(tag + "-rc1")
					n++
					step()
				}
				publish(tag)
				n++
				step()
			}
		case k == 1: // a draft
			src.rels = append(src.rels, Release{Tag: fmt.Sprintf("v2.%d.%d", minor+1, 99), Draft: true, HasRelease: true})
		default:
			if k < 4 && n > 0 {
				minor++
				lastPatch[minor] = -1
			}
			lastPatch[minor]++
			tag := fmt.Sprintf("v2.%d.%d", minor, lastPatch[minor])
			for rc := 1; r.IntN(3) == 0 && rc <= 2 && n+1 < nReleases; rc++ {
				publish(fmt.Sprintf("%s-rc.%d", tag, rc))
				n++
				step()
			}
			publish(tag)
			n++
		}
	}
	r.Shuffle(len(src.rels), func(i, j int) { src.rels[i], src.rels[j] = src.rels[j], src.rels[i] })
	return src, all
}

// closeTimes are issue close times over the history: random ones and the
// seconds around every release.
func closeTimes(r *rand.Rand, all []Release, end time.Time) []time.Time {
	first := all[0].Time.AddDate(0, -1, 0)
	var out []time.Time
	for i := 0; i < 300; i++ {
		out = append(out, first.Add(time.Duration(r.Int64N(int64(end.Sub(first)/time.Second)))*time.Second))
	}
	for _, rl := range all {
		out = append(out, rl.Time.Add(-time.Second), rl.Time, rl.Time.Add(time.Second))
	}
	return out
}

// TestHistoryProperty checks, over generated histories and every option
// combination, that each release section's window is the one Plan gives
// with the section's PlanOptions, that the tiling sections tile time (every
// close time up to Now lies in exactly one of them, with Unreleased), that
// every section's window lies inside Span, and that the links parse back to
// the windows.
func TestHistoryProperty(t *testing.T) {
	seeds := 60
	if testing.Short() || raceEnabled {
		seeds = 8
	}
	ctx := context.Background()
	base, err := filters.Parse("repo:example/tracker is:issue reason:completed")
	if err != nil {
		t.Fatal(err)
	}
	for seed := 0; seed < seeds; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 29))
		src, all := genLongHistory(r, 25+r.IntN(20))
		last := all[len(all)-1].Time
		nowT := last.Add(time.Duration(r.IntN(3)) * 86400 * time.Second).Add(time.Duration(r.IntN(7200)) * time.Second)
		closed := closeTimes(r, all, nowT)
		for _, g := range []filters.Granularity{filters.GranularityInstant, filters.GranularityDay} {
			for _, pre := range []bool{false, true} {
				opts := HistoryOptions{Granularity: g, Prereleases: pre, Unreleased: true, Now: func() time.Time { return nowT }}
				name := fmt.Sprintf("seed %d %s prereleases=%v", seed, g, pre)
				h, err := PlanHistory(ctx, src, opts)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkHistory(t, name, src, h, base, closed, nowT)
				// The limits cut the same sections off the newest end.
				rels := h.Sections
				if rels[0].Kind == KindUnreleased {
					rels = rels[1:]
				}
				n := 1 + r.IntN(len(rels))
				lim, err := PlanHistory(ctx, src, HistoryOptions{Granularity: g, Prereleases: pre, Last: n})
				if err != nil {
					t.Fatalf("%s last %d: %v", name, n, err)
				}
				if diff := cmp.Diff(rows(History{Sections: rels[:n]}), rows(lim)); diff != "" {
					t.Fatalf("%s: Last %d (-want +got):\n%s", name, n, diff)
				}
				oldest := lim.Sections[len(lim.Sections)-1].Release.Tag
				since, err := PlanHistory(ctx, src, HistoryOptions{Granularity: g, Prereleases: pre, SinceRelease: oldest})
				if err != nil {
					t.Fatalf("%s since %s: %v", name, oldest, err)
				}
				if got := since.Sections[len(since.Sections)-1].Release.Tag; got != oldest {
					t.Fatalf("%s: SinceRelease %s ends at %s", name, oldest, got)
				}
			}
		}
	}
}

func checkHistory(t *testing.T, name string, src Source, h History, base filters.Query, closed []time.Time, now time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, s := range h.Sections {
		if s.Kind == KindUnreleased {
			continue
		}
		span, err := Plan(ctx, src, s.PlanOptions())
		if e := s.EmptyWindow(); e != nil {
			var pe *EmptyWindowError
			if !errors.As(err, &pe) || !cmp.Equal(pe.Span.Window, s.Window) || pe.Error() != e.Error() {
				t.Fatalf("%s: section %s has the empty window %s (%v); Plan gives %v", name, s.Release.Tag, s.Window, e, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: Plan %+v: %v", name, s.PlanOptions(), err)
		}
		if !cmp.Equal(span.Window, s.Window) || span.Previous == nil != (s.Previous == nil) || span.Previous != nil && span.Previous.Tag != s.Previous.Tag {
			t.Fatalf("%s: section %s has window %s after %v, Plan gives %s after %v", name, s.Release.Tag, s.Window, s.Previous, span.Window, span.Previous)
		}
		if s.Kind == KindMainLine && s.PreviousOverride && (s.Previous == nil || s.Previous.Stable()) {
			t.Fatalf("%s: main-line section %s after stable %v needs --previous", name, s.Release.Tag, s.Previous)
		}
	}
	tiling := h.Tiling()
	for _, c := range closed {
		if c.After(now) {
			continue
		}
		var in []string
		for _, s := range tiling {
			if contains(s.Window, c) && !s.Window.Empty() {
				in = append(in, s.Release.Tag)
			}
		}
		// With Day granularity Unreleased ends the day before now.
		if len(in) != 1 && !(len(in) == 0 && h.Sections[0].Granularity == filters.GranularityDay && !c.Before(filters.Day(now).T)) {
			t.Fatalf("%s: issue closed %s is in the tiling sections %q", name, c.Format(time.RFC3339), in)
		}
	}
	for _, s := range h.Sections {
		if s.Window.Empty() {
			continue
		}
		if got := h.Span.Intersect(s.Window); !cmp.Equal(got, s.Window) {
			t.Fatalf("%s: section %s window %s is not inside Span %s", name, s.Release.Tag, s.Window, h.Span)
		}
		q := base
		q.Closed = s.Window
		back, err := filters.Parse(q.URL("https://github.com", filters.EncodingPlus))
		if err != nil || !cmp.Equal(back.Closed, s.Window) {
			t.Fatalf("%s: the link of %s parses back to %v (%v), want %s", name, s.Release.Tag, back.Closed, err, s.Window)
		}
	}
}

func TestPlanHistoryOnlyPrereleases(t *testing.T) {
	src := &memSource{rels: []Release{rel("v0.1.0-alpha.1", "2024-01-10T10:00:00Z"), rel("v0.1.0-alpha.2", "2024-02-10T10:00:00Z"), rel("api-v0.0.1-rc.1", "2024-01-01T00:00:00Z")}}
	now := func() time.Time { return ts("2024-03-01T00:00:00Z") }
	for _, tt := range []struct {
		pre  bool
		want []sectionRow
	}{
		{false, []sectionRow{{"", "", "unreleased", "<=2024-03-01T00:00:00Z", false}}},
		{true, []sectionRow{
			{"", "v0.1.0-alpha.2", "unreleased", "2024-02-10T10:00:01Z..2024-03-01T00:00:00Z", false},
			{"v0.1.0-alpha.2", "v0.1.0-alpha.1", "prerelease", "2024-01-10T10:00:01Z..2024-02-10T10:00:00Z", true},
			{"v0.1.0-alpha.1", "", "prerelease", "<=2024-01-10T10:00:00Z", false},
		}},
	} {
		h, err := PlanHistory(context.Background(), src, HistoryOptions{Prereleases: tt.pre, Unreleased: true, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, rows(h)); diff != "" {
			t.Errorf("prereleases=%v (-want +got):\n%s", tt.pre, diff)
		}
	}
}
