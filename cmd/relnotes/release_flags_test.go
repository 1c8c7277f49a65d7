package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/internal/ghemu"
)

// TestReleaseFlagMessages pins what a person reads when --release goes
// wrong, found by driving the CLI by hand: each message is one line, says
// what to change, and never shows the token.
func TestReleaseFlagMessages(t *testing.T) {
	w := newReleaseWorld(t)
	w.srv.AddTag("acme", "app", ghemu.Tag{Name: "v1.4.0", Annotated: true, TaggerDate: relV130.AddDate(0, 1, 0)}) // pushed, no release yet
	sameSecond := filepath.Join(t.TempDir(), "same.csv")
	if err := os.WriteFile(sameSecond, []byte("1.0,2024-03-26T10:00:00Z\n1.1,2024-03-26T10:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	noToken := map[string]string{"GITHUB_API_URL": w.env["GITHUB_API_URL"]}
	badToken := map[string]string{"GITHUB_API_URL": w.env["GITHUB_API_URL"], "GITHUB_TOKEN": "wrong-secret"}
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string // a line stderr must contain
		lacks  string // text stderr must not contain
	}{
		{"tags live in another repository", w.env, []string{"link", "--repo", "acme/tracker", "--release", "v1.3.0"}, exitUsage,
			`no release or tag "v1.3.0": acme/tracker has no versioned releases or tags; if the tags live in another repository, pass --releases-repo OWNER/NAME`, ""},
		{"mistyped major lists the latest", w.env, []string{"link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v2.3.0"}, exitUsage,
			`no release or tag "v2.3.0"; did you mean v1.0.0, v1.1.0, v1.2.0, v1.3.0, v1.4.0?`, "--releases-repo OWNER/NAME"},
		{"until before the start", w.env, []string{"link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0", "--until", "2024-01-01"}, exitUsage,
			"relnotes: --until 2024-01-01: before the window of v1.3.0 starts (2024-07-13T10:00:01Z, after v1.2.0): give a later --until", "same UTC day"},
		{"same second is not blamed on days", w.env, []string{"link", "--repo", "acme/tracker", "--releases-file", sameSecond, "--release", "1.1"}, exitUsage,
			"1.1 was published in the same second as 1.0, so its window is empty", "--granularity instant"},
		{"rejected token", badToken, []string{"link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0"}, exitFailure,
			"relnotes: list releases of acme/app: GitHub rejected the token (401 Bad credentials): check GH_TOKEN/GITHUB_TOKEN or --token-file", "[]"},
		{"publish without a token fails before fetching", noToken, []string{"publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0"}, exitUsage,
			"publish needs a token that may edit releases (contents: write)", "window"},
		{"publish to a tag without a release fails before fetching", w.env, []string{"publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.4.0"}, exitFailure,
			"acme/app has no release for tag v1.4.0: create the release first", "window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.srv.ResetLog()
			r := runCLI(t, tt.env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s", r.code, tt.code, tt.stderr, r.stderr)
			}
			if tt.lacks != "" && strings.Contains(r.stderr, tt.lacks) {
				t.Errorf("stderr has %q:\n%s", tt.lacks, r.stderr)
			}
			if tt.code != 0 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("the error is not one line:\n%s", r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "secret") {
				t.Errorf("a token reached the output")
			}
			if strings.HasPrefix(tt.args[0], "publish") {
				for _, req := range w.srv.Requests() {
					if strings.Contains(req.Path, "/search/") || req.Method == "PATCH" {
						t.Errorf("a refused publish sent %s %s", req.Method, req.Path)
					}
				}
			}
		})
	}
}

// TestSameDayReleases: two releases on one UTC day have no whole day between
// them. link, notes and check refuse the day window with one line naming
// both releases and the fix, instead of printing a window that explain and
// check reject; with --granularity instant all three agree on a valid one.
func TestSameDayReleases(t *testing.T) {
	w := newReleaseWorld(t)
	file := filepath.Join(t.TempDir(), "releases.csv")
	if err := os.WriteFile(file, []byte("1.0,2024-07-13T10:00:00Z\n1.1,2024-09-09T08:00:00Z\n1.2,2024-09-09T17:30:00Z\n1.3,2024-09-09\n1.4,2024-09-09\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := []string{"--repo", "acme/tracker", "--releases-file", file}
	sameDay := "relnotes: 1.2 was published on the same UTC day as 1.1 (2024-09-09), so its whole-day window closed:2024-09-09..2024-09-08 ends before it starts: use --granularity instant\n"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // the whole of stderr, when the run fails
	}{
		{"link", append([]string{"link", "--release", "1.2", "--granularity", "day"}, src...), exitUsage, sameDay},
		{"link --query", append([]string{"link", "--query", "--release", "1.2", "--granularity", "day"}, src...), exitUsage, sameDay},
		{"notes", append([]string{"notes", "--release", "1.2", "--granularity", "day"}, src...), exitUsage, sameDay},
		{"check a day link", []string{"check", "--no-count", "--release", "1.2", "--releases-file", file, trackerLink("2024-09-09..2024-09-09")}, exitUsage, sameDay},
		{"dates without times", append([]string{"link", "--release", "1.4", "--granularity", "day"}, src...), exitUsage,
			"relnotes: 1.4 was published in the same second as 1.3, so its window is empty: closed:2024-09-09..2024-09-08 ends before it starts (both are dated 2024-09-09T00:00:00Z): give each release its time of day in --releases-file, or pass --previous TAG with an earlier release\n"},
		{"instant", append([]string{"link", "--release", "1.2", "--granularity", "instant"}, src...), 0, ""},
		{"day window of the first release of the day", append([]string{"link", "--release", "1.1", "--granularity", "day"}, src...), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, w.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, tt.code, r.stdout, r.stderr)
			}
			if tt.code != 0 {
				if d := cmp.Diff(tt.stderr, r.stderr); d != "" || r.stdout != "" {
					t.Errorf("stderr (-want +got):\n%s\nstdout %q", d, r.stdout)
				}
				return
			}
			// The printed link is one explain reads and check accepts
			// for the same release.
			link := strings.TrimSpace(r.stdout)
			if e := runCLI(t, w.env, "explain", link); e.code != 0 {
				t.Errorf("explain refuses the link %s: %s", link, e.stderr)
			}
			rel := tt.args[slices.Index(tt.args, "--release")+1]
			c := runCLI(t, w.env, "check", "--no-count", "--release", rel, "--releases-file", file, link)
			if c.code != 0 || !strings.HasPrefix(c.stdout, "ok: ") {
				t.Errorf("check of %s: exit %d\n%s%s", link, c.code, c.stdout, c.stderr)
			}
		})
	}
}
