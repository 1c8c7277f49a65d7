package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{"tags live in another repository", w.env, []string{"link", "--repo", "acme/tracker", "--release", "v1.3.0"}, exitFailure,
			`no release or tag "v1.3.0": acme/tracker has no versioned releases or tags; if the tags live in another repository, pass --releases-repo OWNER/NAME`, ""},
		{"mistyped major lists the latest", w.env, []string{"link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v2.3.0"}, exitFailure,
			`no release or tag "v2.3.0"; did you mean v1.0.0, v1.1.0, v1.2.0, v1.3.0, v1.4.0?`, "--releases-repo OWNER/NAME"},
		{"until before the start", w.env, []string{"link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0", "--until", "2024-01-01"}, exitFailure,
			"--until 2024-01-01 is before the window of v1.3.0 starts (2024-07-13T10:00:01Z, after v1.2.0): give a later --until", "same UTC day"},
		{"same second is not blamed on days", w.env, []string{"link", "--repo", "acme/tracker", "--releases-file", sameSecond, "--release", "1.1"}, 0,
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
