package ghemutest

import (
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
)

// The repository, issues and releases of History.
const (
	HistoryOwner, HistoryRepo = "example", "tracker"
)

// The year History's completed issues are closed in.
var (
	HistoryStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	HistoryEnd   = time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
)

// HistoryRelease is one entry of FortyReleases: Day is days after
// HistoryStart, or -1 for HistoryEnd.
type HistoryRelease struct {
	Tag       string
	Day       float64
	TagOnly   bool // a git tag without a GitHub release
	Annotated bool
}

// FortyReleases is a year of a project: a main line with release
// candidates and a beta, an LTS series v1.0.x with hotfixes all year (and a
// candidate of one), tags without a release (annotated and lightweight),
// releases on the same day as the one before, and a draft (v2.1.0, not in
// the list). v0.9.0, one second before the year, is the release before the
// 40: with the newest 40 sections the span is exactly the year.
var FortyReleases = []HistoryRelease{
	{Tag: "v1.0.0-rc.1", Day: 3}, {Tag: "v1.0.0", Day: 8},
	{Tag: "v1.1.0-rc.1", Day: 20}, {Tag: "v1.1.0", Day: 27},
	{Tag: "v1.1.1", Day: 40, TagOnly: true},
	{Tag: "v1.0.1", Day: 55},
	{Tag: "v1.2.0", Day: 60}, {Tag: "v1.2.1", Day: 60.1},
	{Tag: "v1.2.2", Day: 75, TagOnly: true, Annotated: true},
	{Tag: "v1.3.0-rc.1", Day: 90}, {Tag: "v1.3.0", Day: 96},
	{Tag: "v1.0.2", Day: 110},
	{Tag: "v1.3.1", Day: 112},
	{Tag: "v1.4.0-beta.1", Day: 130}, {Tag: "v1.4.0-rc.1", Day: 137}, {Tag: "v1.4.0", Day: 141}, {Tag: "v1.4.1", Day: 141.2},
	{Tag: "v1.0.3", Day: 160, TagOnly: true},
	{Tag: "v1.4.2", Day: 165},
	{Tag: "v1.5.0", Day: 180}, {Tag: "v1.5.1", Day: 195, TagOnly: true},
	{Tag: "v1.0.4", Day: 210},
	{Tag: "v1.5.2", Day: 212},
	{Tag: "v1.6.0-rc.1", Day: 230}, {Tag: "v1.6.0", Day: 236}, {Tag: "v1.6.1", Day: 250}, {Tag: "v1.6.2", Day: 258},
	{Tag: "v1.0.5-rc.1", Day: 265}, {Tag: "v1.0.5", Day: 268},
	{Tag: "v1.7.0", Day: 280}, {Tag: "v1.7.1", Day: 280.05}, {Tag: "v1.7.2", Day: 300, TagOnly: true, Annotated: true},
	{Tag: "v1.8.0-rc.1", Day: 315}, {Tag: "v1.8.0", Day: 320},
	{Tag: "v1.0.6", Day: 330},
	{Tag: "v1.8.1", Day: 338},
	{Tag: "v1.9.0-rc.1", Day: 350}, {Tag: "v1.9.0", Day: 356}, {Tag: "v1.9.1", Day: 362},
	{Tag: "v2.0.0", Day: -1},
}

// History serves n completed issues of example/tracker closed over the
// year (among four times as many others) and the releases of
// FortyReleases, plus v0.9.0 and the draft v2.1.0, with cfg's limits.
func History(tb testing.TB, n int, cfg ghemu.Config) *ghemu.Server {
	tb.Helper()
	cfg.Issues = ghemu.GenerateDense(11, HistoryOwner+"/"+HistoryRepo, n, HistoryStart, HistoryEnd)
	s := Start(tb, cfg)
	add := func(r HistoryRelease, at time.Time) {
		if r.TagOnly {
			tg := ghemu.Tag{Name: r.Tag, CommitDate: at}
			if r.Annotated {
				tg = ghemu.Tag{Name: r.Tag, Annotated: true, TaggerDate: at, CommitDate: at.Add(-time.Hour)}
			}
			s.AddTag(HistoryOwner, HistoryRepo, tg)
			return
		}
		s.AddRelease(HistoryOwner, HistoryRepo, ghemu.Release{Tag: r.Tag, Name: r.Tag, Prerelease: strings.Contains(r.Tag, "-"), PublishedAt: at, CreatedAt: at.Add(-time.Hour)})
		s.AddTag(HistoryOwner, HistoryRepo, ghemu.Tag{Name: r.Tag, CommitDate: at.Add(-time.Hour)})
	}
	add(HistoryRelease{Tag: "v0.9.0"}, HistoryStart.Add(-time.Second))
	for _, r := range FortyReleases {
		add(r, HistoryReleaseTime(r))
	}
	s.AddRelease(HistoryOwner, HistoryRepo, ghemu.Release{Tag: "v2.1.0", Draft: true})
	return s
}

// HistoryReleaseTime is when r is published.
func HistoryReleaseTime(r HistoryRelease) time.Time {
	if r.Day < 0 {
		return HistoryEnd
	}
	return HistoryStart.Add(time.Duration(r.Day * 24 * float64(time.Hour))).Truncate(time.Second)
}
