package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/releases"
)

// TestHistorySectionLinksAreLinkRelease holds the history's promise to the
// CLI: the link of every section (Changelog.Split's URL for the section's
// window) is byte for byte what `relnotes link --release TAG` prints, with
// --previous exactly when the section says so, for both granularities.
// Sections with an empty window have no link, and link --release refuses
// them too.
func TestHistorySectionLinksAreLinkRelease(t *testing.T) {
	file := filepath.Join(t.TempDir(), "releases.csv")
	lines := "v1.0.0,2024-01-10T10:00:00Z\nv1.1.0-rc1,2024-02-01T10:00:00Z\nv1.1.0,2024-02-10T10:00:00Z\n" +
		"v1.2.0,2024-04-01T10:00:00Z\nv1.1.1,2024-04-15T10:00:00Z\nv1.2.1,2024-05-01T10:00:00Z\nv1.2.2,2024-05-01T18:00:00Z\n"
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "link", "--repo", "acme/tracker", "--exclude-label", "R: duplicate", "--query")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	base, err := filters.Parse(strings.TrimSpace(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []filters.Granularity{filters.GranularityInstant, filters.GranularityDay} {
		for _, pre := range []bool{false, true} {
			h, err := releases.PlanHistory(context.Background(), releases.File{Path: file}, releases.HistoryOptions{Granularity: g, Prereleases: pre})
			if err != nil {
				t.Fatal(err)
			}
			var windows []filters.Window
			var links []string
			for _, s := range h.Sections {
				cli := []string{"link", "--repo", "acme/tracker", "--exclude-label", "R: duplicate", "--releases-file", file,
					"--release", s.Release.Tag, "--granularity", string(g)}
				if s.PreviousOverride {
					cli = append(cli, "--previous", s.Previous.Tag)
				}
				r := runCLI(t, nil, cli...)
				if s.EmptyWindow() != nil {
					if r.code == 0 {
						t.Errorf("%s %s: the section's window is empty, but link --release printed %s", g, s.Release.Tag, r.stdout)
					}
					continue
				}
				if r.code != 0 {
					t.Fatalf("%s: exit %d: %s", strings.Join(cli, " "), r.code, r.stderr)
				}
				windows = append(windows, s.Window)
				links = append(links, strings.TrimSuffix(r.stdout, "\n"))
			}
			whole := base
			whole.Closed = h.Span
			cl, err := changelog.New(whole, "https://github.com", filters.EncodingPlus, nil, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			parts, err := cl.Split(base, windows, "https://github.com", filters.EncodingPlus)
			if err != nil {
				t.Fatal(err)
			}
			if len(windows) < 5 {
				t.Fatalf("%s: only %d sections with a window", g, len(windows))
			}
			for i, w := range windows {
				if got := parts.Sections[i].URL; got != links[i] {
					t.Errorf("%s %s:\nsection link %s\nlink --release %s", g, w, got, links[i])
				}
			}
		}
	}
}
