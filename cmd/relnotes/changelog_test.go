package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
	"github.com/relnotes/relnotes/internal/html5check"
	"github.com/relnotes/relnotes/releases"
)

// runAt runs one command line in-process as runCLI does, with the clock at
// now and the configuration looked for in dir.
func runAt(t *testing.T, env map[string]string, now time.Time, dir string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &App{
		Stdin:   strings.NewReader(""),
		Stdout:  &stdout,
		Stderr:  &stderr,
		Getenv:  func(k string) string { return env[k] },
		Now:     func() time.Time { return now },
		WorkDir: dir,
		timing:  ghemutest.Timing,
	}
	code := app.Run(context.Background(), args)
	return result{stdout.String(), stderr.String(), code}
}

// historyWorld is the 40-release project of ghemutest.History with n
// completed issues.
func historyWorld(t *testing.T, n int) (*ghemu.Server, map[string]string) {
	t.Helper()
	s := ghemutest.History(t, n, ghemu.Config{SearchLimit: 30, RateWindow: 100 * time.Millisecond, Token: testToken})
	return s, map[string]string{"GITHUB_API_URL": s.URL(), "GITHUB_TOKEN": testToken}
}

func searchRequests(s *ghemu.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, "/search/issues") {
			n++
		}
	}
	return n
}

var historyArgs = []string{"changelog", "--repo", "example/tracker", "--exclude-label", "R: duplicate", "--prereleases", "--last", "40", "--quiet"}

// TestChangelogEqualsNotesRelease is the command's acceptance test: on the
// 40-release history, every section of `changelog --format json` is what
// `notes --release TAG --format json` prints for that release (with
// --previous where the section starts after a prerelease), link and issues
// byte for byte, and the whole history costs one search over its span.
func TestChangelogEqualsNotesRelease(t *testing.T) {
	n := 2000
	s, env := historyWorld(t, n)
	for _, g := range []string{"instant", "day"} {
		t.Run(g, func(t *testing.T) { equalsNotesRelease(t, s, env, n, g) })
	}
}

func equalsNotesRelease(t *testing.T, s *ghemu.Server, env map[string]string, n int, g string) {
	now := ghemutest.HistoryEnd.Add(time.Hour)
	dir := t.TempDir()
	s.ResetLog()
	r := runAt(t, env, now, dir, append(historyArgs, "--format", "json", "--granularity", g)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	searches := searchRequests(s)
	if bound := 1.1*math.Ceil(float64(n)/100) + 2; float64(searches) > bound {
		t.Errorf("changelog took %d search requests for %d issues, bound %.0f", searches, n, bound)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not a JSON array: %v", err)
	}

	c, err := ghapi.NewClient(ghapi.ClientOptions{Token: testToken, APIURL: s.URL()})
	if err != nil {
		t.Fatal(err)
	}
	h, err := releases.PlanHistory(context.Background(), &releases.GitHub{Client: c, Owner: "example", Repo: "tracker"},
		releases.HistoryOptions{Prereleases: true, Last: 40, Granularity: filters.Granularity(g)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(h.Sections) || len(h.Sections) < 39 {
		t.Fatalf("%d sections in the output, %d planned; want 40 or so", len(got), len(h.Sections))
	}
	s.ResetLog()
	total, empty := 0, 0
	for i, sec := range h.Sections {
		sect := got[i]
		if sect["tag"] != sec.Release.Tag || sect["kind"] != string(sec.Kind) {
			t.Fatalf("section %d is %v (%v); want %s (%s)", i, sect["tag"], sect["kind"], sec.Release.Tag, sec.Kind)
		}
		args := []string{"notes", "--repo", "example/tracker", "--exclude-label", "R: duplicate", "--quiet", "--format", "json",
			"--release", sec.Release.Tag, "--granularity", g}
		if sec.PreviousOverride {
			args = append(args, "--previous", sec.Previous.Tag)
		}
		nr := runAt(t, env, now, dir, args...)
		if sec.EmptyWindow() != nil {
			empty++
			if nr.code != 2 || sect["empty_window"] == nil {
				t.Errorf("%s: empty window; notes exit %d, section %v", sec.Release.Tag, nr.code, sect["empty_window"])
			}
			continue
		}
		if nr.code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), nr.code, nr.stderr)
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(nr.stdout), &want); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"tag", "kind", "title", "published_at", "previous"} {
			delete(sect, k)
		}
		if diff := cmp.Diff(want, sect); diff != "" {
			t.Errorf("section %s differs from notes --release (-notes +changelog):\n%s", sec.Release.Tag, diff)
		}
		total += int(want["total"].(float64))
	}
	if total < n || g == "day" && empty == 0 {
		t.Errorf("%d issues in all, %d empty windows: the history does not exercise what it should", total, empty)
	}
	sep := searchRequests(s)
	t.Logf("changelog: %d search requests; %d notes --release runs: %d", searches, len(h.Sections), sep)
	if 3*searches > sep {
		t.Errorf("changelog took %d search requests, more than a third of the %d of separate runs", searches, sep)
	}
}

// TestChangelogIncremental: after one more release, a run on the file it
// wrote searches only the new windows, keeps every old section byte for
// byte, and --rewrite regenerates what was edited by hand.
func TestChangelogIncremental(t *testing.T) {
	s, env := historyWorld(t, 2000)
	dir := t.TempDir()
	out := filepath.Join(dir, "CHANGELOG.md")
	args := append(historyArgs, "--unreleased", "--output", out)
	now := ghemutest.HistoryEnd.AddDate(0, 0, 20)
	if r := runAt(t, env, now, dir, args...); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	first := readFile(t, out)
	// A person adds text around the sections.
	first = strings.Replace(first, "# Changelog\n", "# Changelog\n\nThanks to everyone who reported issues.\n", 1) + "\nOlder releases: see the wiki.\n"
	writeFile(t, out, first)

	s.AddRelease("example", "tracker", ghemu.Release{Tag: "v2.0.1", PublishedAt: ghemutest.HistoryEnd.AddDate(0, 0, 30)})
	now = ghemutest.HistoryEnd.AddDate(0, 0, 45)
	s.ResetLog()
	r := runAt(t, env, now, dir, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	searches := searchRequests(s)
	before, after := parseChangelog(t, first), parseChangelog(t, readFile(t, out))
	if len(after.Sections) != len(before.Sections)+1 || after.Sections[1].Tag != "v2.0.1" || !after.Sections[0].Unreleased {
		t.Fatalf("%d sections, want %d with Unreleased and v2.0.1 on top", len(after.Sections), len(before.Sections)+1)
	}
	if after.Head != before.Head {
		t.Errorf("head changed: %q, was %q", after.Head, before.Head)
	}
	if diff := cmp.Diff(before.Sections[1:], after.Sections[2:]); diff != "" {
		t.Errorf("old sections changed (-before +after):\n%s", diff)
	}
	// Only the new windows (v2.0.1 and Unreleased) were searched: their
	// issues' pages, and the pass for issues changed during the fetch.
	fetched := sectionTotal(t, after.Sections[0].Text) + sectionTotal(t, after.Sections[1].Text)
	if bound := (fetched+99)/100 + 2; searches > bound {
		t.Errorf("the incremental run took %d search requests for the %d issues of the new windows, bound %d", searches, fetched, bound)
	}
	t.Logf("incremental run: %d search requests for %d issues in 2 new sections", searches, fetched)

	// An issue line edited by hand stays, until --rewrite.
	text := readFile(t, out)
	at := strings.Index(text, "<!-- relnotes:section v1.9.1 -->")
	edited := text[:at] + strings.Replace(text[at:], "Total: ", "Total (checked by hand): ", 1)
	writeFile(t, out, edited)
	r = runAt(t, env, now, dir, args...)
	if r.code != 0 || readFile(t, out) != edited {
		t.Fatalf("exit %d (%s); the hand edit did not survive an incremental run", r.code, r.stderr)
	}
	if r := runAt(t, env, now, dir, append(args, "--rewrite")...); r.code != 0 {
		t.Fatalf("--rewrite: exit %d: %s", r.code, r.stderr)
	}
	fresh := filepath.Join(dir, "fresh.md")
	if r := runAt(t, env, now, dir, append(historyArgs, "--unreleased", "--output", fresh)...); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := strings.Replace(readFile(t, fresh), "# Changelog\n", "# Changelog\n\nThanks to everyone who reported issues.\n", 1) + "\nOlder releases: see the wiki.\n"
	if got := readFile(t, out); got != want {
		t.Errorf("--rewrite differs from a fresh file with the same text around the sections:\n%s", releases.UnifiedDiff(want, got, "fresh", "rewritten"))
	}
}

// TestChangelogDamagedMarkers: a file whose markers were damaged by hand is
// refused with one line naming the file and the line, exit 2, and left as
// it was.
func TestChangelogDamagedMarkers(t *testing.T) {
	dir := t.TempDir()
	rels := filepath.Join(dir, "releases.csv")
	writeFile(t, rels, "v1.0.0,2024-01-10T10:00:00Z\nv1.1.0,2024-03-10T10:00:00Z\n")
	in := filepath.Join(dir, "issues.json")
	writeFile(t, in, `{"issues": []}`)
	for name, text := range map[string]string{
		"no end":    "# Changelog\n\n<!-- relnotes:section v1.0.0 -->\n## v1.0.0\n",
		"mismatch":  "<!-- relnotes:section v1.0.0 -->\n<!-- relnotes:section-end v1.1.0 -->\n",
		"malformed": "<!-- relnotes:section v1.0.0-->\n",
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, name+".md")
			writeFile(t, out, text)
			r := runAt(t, nil, demoNow, dir, "changelog", "--repo", "example/tracker", "--input", in, "--releases-file", rels, "--output", out)
			if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, out+": CHANGELOG line ") || !strings.Contains(r.stderr, "--rewrite") {
				t.Errorf("exit %d, stderr %q; want 2 and one line naming the file, the line and --rewrite", r.code, r.stderr)
			}
			if readFile(t, out) != text {
				t.Errorf("the file changed")
			}
		})
	}
}

// TestChangelogGolden renders a small offline history (the demo's issues,
// a releases file with a prerelease, a hotfix and two releases on one day)
// in each format.
func TestChangelogGolden(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "issues.json")
	r := runCLI(t, nil, "demo", "--format", "json")
	if r.code != 0 {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	writeFile(t, in, r.stdout)
	rels := filepath.Join(dir, "releases.csv")
	writeFile(t, rels, "v1.0.0,2024-04-10T10:00:00Z\nv1.1.0-rc.1,2024-05-20T10:00:00Z\nv1.1.0,2024-06-01T10:00:00Z\n"+
		"v1.0.1,2024-06-20T10:00:00Z\nv1.2.0,2024-08-01T08:00:00Z\nv1.2.1,2024-08-01T16:00:00Z\n")
	// Grouped as notes groups them, with a format for notes that the
	// history leaves for markdown.
	conf := writeFile(t, filepath.Join(dir, ".relnotes.yml"), "format: announcement\nsections:\n"+
		"  - title: Bugs\n    labels: [\"T: bug\"]\n  - title: Enhancements\n    labels: [\"T: enhancement\"]\n")
	base := []string{"changelog", "--repo", "example/tracker", "--input", in, "--releases-file", rels, "--granularity", "day",
		"--unreleased", "--last", "4", "--exclude-label", "R: duplicate", "--config", conf}
	for _, tt := range []struct{ golden, format string }{
		{"changelog.md", "markdown"}, {"changelog.html", "html"}, {"changelog.json", "json"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			args := slices.Concat(base, []string{"--format", tt.format})
			if tt.format == "html" {
				args = append(args, "--standalone")
			}
			r := runCLI(t, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "issues closed in the span fell outside every release window") && tt.format == "markdown" {
				t.Errorf("stderr does not say how many issues are in no section: %q", r.stderr)
			}
			if tt.format == "html" {
				if err := html5check.Validate(r.stdout); err != nil {
					t.Errorf("not a valid HTML5 page: %v", err)
				}
			}
			goldenCompare(t, tt.golden, r.stdout)
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sectionTotal reads the "Total: N issues." line of a Markdown section.
func sectionTotal(t *testing.T, text string) int {
	t.Helper()
	var n int
	_, rest, _ := strings.Cut(text, "\nTotal: ")
	if _, err := fmt.Sscanf(rest, "%d issue", &n); err != nil {
		t.Fatalf("no total in %q", text)
	}
	return n
}

func parseChangelog(t *testing.T, text string) *releases.ChangelogFile {
	t.Helper()
	f, err := releases.ParseChangelogFile(text)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
