package releases

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

const (
	histOwner, histRepo = ghemutest.HistoryOwner, ghemutest.HistoryRepo
	histServer          = "https://github.com"
)

var histEnd = ghemutest.HistoryEnd

// historyEmu serves n completed issues closed over the year and the 40
// releases of ghemutest.FortyReleases.
func historyEmu(tb testing.TB, n int, cfg ghemu.Config) *ghemu.Server {
	tb.Helper()
	if len(ghemutest.FortyReleases) != 40 {
		tb.Fatalf("FortyReleases has %d entries", len(ghemutest.FortyReleases))
	}
	return ghemutest.History(tb, n, cfg)
}

type histRun struct {
	parts            []*changelog.Changelog
	search, requests int
	wall             time.Duration
}

func histClient(tb testing.TB, s *ghemu.Server) *fetch.Fetcher {
	tb.Helper()
	c, err := ghapi.NewClient(ghapi.ClientOptions{Token: "tok", APIURL: s.URL()})
	if err != nil {
		tb.Fatal(err)
	}
	return &fetch.Fetcher{Client: c, Server: histServer, Now: func() time.Time { return histEnd.Add(time.Hour) }}
}

func histBase(tb testing.TB) filters.Query {
	tb.Helper()
	q, err := filters.Parse("repo:example/tracker is:issue reason:completed")
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

func countRequests(s *ghemu.Server) (search, all int) {
	for _, r := range s.Requests() {
		all++
		if strings.HasSuffix(r.Path, "/search/issues") {
			search++
		}
	}
	return search, all
}

// onePass plans the history, fetches its span once and splits it.
func onePass(tb testing.TB, s *ghemu.Server, opts HistoryOptions) (History, *changelog.Parts, histRun) {
	tb.Helper()
	ctx := context.Background()
	f := histClient(tb, s)
	s.ResetLog()
	start := time.Now()
	h, err := PlanHistory(ctx, &GitHub{Client: f.Client, Owner: histOwner, Repo: histRepo}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	q := histBase(tb)
	q.Closed = h.Span
	whole, err := f.Fetch(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	windows := make([]filters.Window, len(h.Sections))
	for i, sec := range h.Sections {
		windows[i] = sec.Window
	}
	parts, err := whole.Split(histBase(tb), windows, histServer, filters.EncodingPlus)
	if err != nil {
		tb.Fatal(err)
	}
	run := histRun{parts: parts.Sections, wall: time.Since(start)}
	run.search, run.requests = countRequests(s)
	return h, parts, run
}

// separateRuns is what `notes --release TAG` run once per section does:
// plan the release's window from a fresh listing, then fetch it.
func separateRuns(tb testing.TB, s *ghemu.Server, h History) histRun {
	tb.Helper()
	ctx := context.Background()
	f := histClient(tb, s)
	s.ResetLog()
	start := time.Now()
	var run histRun
	for _, sec := range h.Sections {
		span, err := Plan(ctx, &GitHub{Client: f.Client, Owner: histOwner, Repo: histRepo}, sec.PlanOptions())
		if err != nil {
			tb.Fatal(err)
		}
		q := histBase(tb)
		q.Closed = span.Window
		cl, err := f.Fetch(ctx, q)
		if err != nil {
			tb.Fatal(err)
		}
		run.parts = append(run.parts, cl)
	}
	run.wall = time.Since(start)
	run.search, run.requests = countRequests(s)
	return run
}

// TestHistoryOnePassEqualsSeparateRuns is the acceptance test of the whole
// history: 40 releases and 20 000 issues (2 000 under -race), one fetch of
// the span split into sections equals 40 separate per-release fetches,
// every issue of the span lands in exactly one tiling section (and in the
// hotfix sections whose windows hold it), and the one pass costs at most
// 1.1 x ceil(N/100) + 2 search requests.
func TestHistoryOnePassEqualsSeparateRuns(t *testing.T) {
	n := 20000
	switch {
	case testing.Short():
		n = 800 // 20 issues a release: every window still holds some
	case raceEnabled:
		// Under the race detector 20 000 issues take minutes of CPU to
		// serve and decode twice; the plain run covers that size.
		n = 2000
	}
	s := historyEmu(t, n, ghemu.Config{SearchLimit: 30, RateWindow: 100 * time.Millisecond})
	h, parts, one := onePass(t, s, HistoryOptions{Prereleases: true, Last: 40})
	if len(h.Sections) != 40 {
		t.Fatalf("%d sections, want 40: %v", len(h.Sections), rows(h))
	}
	if len(parts.Outside) != 0 {
		t.Errorf("%d issues outside every window, want 0", len(parts.Outside))
	}

	sep := separateRuns(t, s, h)
	for i, sec := range h.Sections {
		if diff := cmp.Diff(sep.parts[i], one.parts[i]); diff != "" {
			t.Errorf("section %s: one pass differs from its own fetch (-separate +one pass):\n%s", sec.Release.Tag, diff)
		}
	}

	// Every issue of the span in exactly one tiling section, and in a
	// hotfix section exactly when the hotfix's window holds it.
	truth, err := s.SearchQuery(func() filters.Query { q := histBase(t); q.Closed = h.Span; return q }())
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != n {
		t.Fatalf("the span holds %d issues, want %d", len(truth), n)
	}
	in := map[int][]string{}
	for i, sec := range h.Sections {
		for _, is := range one.parts[i].Issues {
			in[is.Number] = append(in[is.Number], sec.Release.Tag)
		}
	}
	for _, is := range truth {
		var want []string
		tiling := 0
		for _, sec := range h.Sections {
			if sec.Window.Contains(is.ClosedAt) {
				want = append(want, sec.Release.Tag)
				if sec.Tiles() {
					tiling++
				}
			}
		}
		if tiling != 1 || !slices.Equal(in[is.Number], want) {
			t.Fatalf("issue #%d closed %s is in the sections %v; its close time gives %v (%d tiling)", is.Number, is.ClosedAt, in[is.Number], want, tiling)
		}
	}

	bound := 1.1*math.Ceil(float64(n)/100) + 2
	if float64(one.search) > bound {
		t.Errorf("one pass: %d search requests, bound %.0f", one.search, bound)
	}
	t.Logf("N=%d, 40 sections: one pass %d search / %d requests in all; 40 separate runs %d search / %d in all; ratios %.2f search, %.2f in all",
		n, one.search, one.requests, sep.search, sep.requests, float64(one.search)/float64(sep.search), float64(one.requests)/float64(sep.requests))
	// Separate runs cost about N/100 search requests plus, per release, a
	// partial last page, the release and tag listings and the tag lookups,
	// plus the hotfix windows' overlap again; one pass costs N/100 plus one
	// listing. So one pass takes at most a third of the requests only
	// while releases average at most about 100 issues; at 500 a release
	// (20 000 over 40) the ratio is near 0.4 for any implementation.
	if perRelease := n / len(h.Sections); perRelease <= 100 && 3*one.requests > sep.requests {
		t.Errorf("one pass takes %d requests, more than a third of the %d of 40 separate runs", one.requests, sep.requests)
	}
	if one.search >= sep.search || one.requests >= sep.requests {
		t.Errorf("one pass takes %d search / %d requests, not fewer than the %d / %d of 40 separate runs", one.search, one.requests, sep.search, sep.requests)
	}
}

// BenchmarkHistory compares, in the same run, one pass over a 40-release
// history (plan, one fetch of the span, split) with 40 per-release runs
// (plan and fetch each), on an emulator with 30 searches per second and
// 20 ms latency. Metrics: search-ratio and request-ratio (one pass over
// separate runs, all endpoints for the latter), wall-ratio, and the
// absolute counts.
func BenchmarkHistory(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			s := historyEmu(b, n, ghemu.Config{SearchLimit: 30, RateWindow: time.Second, Latency: 20 * time.Millisecond})
			var one, sep histRun
			for range b.N {
				h, _, o := onePass(b, s, HistoryOptions{Prereleases: true, Last: 40})
				p := separateRuns(b, s, h)
				one.search, one.requests, one.wall = one.search+o.search, one.requests+o.requests, one.wall+o.wall
				sep.search, sep.requests, sep.wall = sep.search+p.search, sep.requests+p.requests, sep.wall+p.wall
			}
			b.ReportMetric(float64(one.search)/float64(b.N), "one-search/op")
			b.ReportMetric(float64(sep.search)/float64(b.N), "sep-search/op")
			b.ReportMetric(float64(one.requests)/float64(b.N), "one-req/op")
			b.ReportMetric(float64(sep.requests)/float64(b.N), "sep-req/op")
			b.ReportMetric(float64(one.search)/float64(sep.search), "search-ratio")
			b.ReportMetric(float64(one.requests)/float64(sep.requests), "request-ratio")
			b.ReportMetric(one.wall.Seconds()/sep.wall.Seconds(), "wall-ratio")
		})
	}
}

// renderSections is a stand-in for the templates: a heading, the link and
// one line per issue.
func renderSections(h History, parts []*changelog.Changelog) []NewSection {
	out := make([]NewSection, len(h.Sections))
	for i, sec := range h.Sections {
		var b strings.Builder
		if sec.Kind == KindUnreleased {
			b.WriteString("## Unreleased\n\n")
			out[i].Unreleased = true
		} else {
			fmt.Fprintf(&b, "## %s (%s)\n\n", sec.Release.Tag, sec.Release.Time.Format(time.DateOnly))
			out[i].Tag = sec.Release.Tag
		}
		fmt.Fprintf(&b, "[All %d issues](%s)\n\n", parts[i].Total, parts[i].URL)
		for _, is := range parts[i].Issues {
			fmt.Fprintf(&b, "- #%d %s\n", is.Number, is.Title)
		}
		out[i].Body = b.String()
	}
	return out
}

// TestHistoryIncremental writes a CHANGELOG for the 40 releases, then, after
// one more release, updates it: the second run searches only the new
// release's window and Unreleased, and every old section stays byte for
// byte.
func TestHistoryIncremental(t *testing.T) {
	ctx := context.Background()
	n := 2000
	if testing.Short() {
		n = 800
	}
	s := historyEmu(t, n, ghemu.Config{SearchLimit: 30, RateWindow: 100 * time.Millisecond})
	now := histEnd.AddDate(0, 0, 20)
	opts := HistoryOptions{Prereleases: true, Last: 40, Unreleased: true, Now: func() time.Time { return now }}
	h, parts, _ := onePass(t, s, opts)
	file, err := ParseChangelogFile("# Changelog\n\nWritten by hand: thanks to everyone who reported issues.\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := file.Update(renderSections(h, parts.Sections)); err != nil {
		t.Fatal(err)
	}
	first := file.String()

	// v2.0.1 ships; the next run reads the file back.
	s.AddRelease(histOwner, histRepo, ghemu.Release{Tag: "v2.0.1", PublishedAt: histEnd.AddDate(0, 0, 30)})
	now = histEnd.AddDate(0, 0, 45)
	old, err := ParseChangelogFile(first)
	if err != nil {
		t.Fatal(err)
	}
	f := histClient(t, s)
	s.ResetLog()
	h2, err := PlanHistory(ctx, &GitHub{Client: f.Client, Owner: histOwner, Repo: histRepo}, HistoryOptions{Prereleases: true, Unreleased: true, Now: opts.Now})
	if err != nil {
		t.Fatal(err)
	}
	m := h2.Missing(old.Has)
	var got []string
	for _, sec := range m.Sections {
		got = append(got, sec.Release.Tag)
	}
	if diff := cmp.Diff([]string{"", "v2.0.1"}, got); diff != "" {
		t.Fatalf("sections to fetch (-want +got):\n%s", diff)
	}
	q := histBase(t)
	q.Closed = m.Span
	whole, err := f.Fetch(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	windows := []filters.Window{m.Sections[0].Window, m.Sections[1].Window}
	newParts, err := whole.Split(histBase(t), windows, histServer, filters.EncodingPlus)
	if err != nil {
		t.Fatal(err)
	}
	search, all := countRequests(s)
	if bound := int(math.Ceil(float64(whole.Total)/100)) + 2; search > bound {
		t.Errorf("the incremental run took %d search requests for %d issues, bound %d", search, whole.Total, bound)
	}
	t.Logf("incremental run: %d issues in %s, %d search requests, %d requests in all", whole.Total, m.Span, search, all)
	if err := old.Update(renderSections(m, newParts.Sections)); err != nil {
		t.Fatal(err)
	}
	updated, err := ParseChangelogFile(old.String())
	if err != nil {
		t.Fatal(err)
	}
	before, _ := ParseChangelogFile(first)
	if updated.Head != before.Head || len(updated.Sections) != len(before.Sections)+1 {
		t.Fatalf("head %q, %d sections; want %q, %d", updated.Head, len(updated.Sections), before.Head, len(before.Sections)+1)
	}
	if diff := cmp.Diff(before.Sections[1:], updated.Sections[2:]); diff != "" {
		t.Errorf("old release sections changed (-before +after):\n%s", diff)
	}
	if updated.Sections[1].Tag != "v2.0.1" || !updated.Sections[0].Unreleased {
		t.Errorf("new sections on top: %q, %q", updated.Sections[0].Tag, updated.Sections[1].Tag)
	}
}
