package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relnotes/relnotes/releases"
)

func patches(w *releaseWorld) int {
	n := 0
	for _, r := range w.srv.Requests() {
		if r.Method == "PATCH" {
			n++
		}
	}
	return n
}

func releaseBody(t *testing.T, w *releaseWorld, tag string) string {
	t.Helper()
	for _, r := range w.srv.Releases("acme", "app") {
		if r.Tag == tag {
			return r.Body
		}
	}
	t.Fatalf("no release %s", tag)
	return ""
}

func TestPublishTwiceChangesOnce(t *testing.T) {
	w := newReleaseWorld(t)
	before := releaseBody(t, w, "v1.3.0")
	notesFile := filepath.Join(t.TempDir(), "notes.md")
	args := []string{"publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0", "--granularity", "day", "--output", notesFile}

	dry := runCLI(t, w.env, append(args, "--dry-run")...)
	if dry.code != 0 || patches(w) != 0 {
		t.Fatalf("dry run: exit %d, %d PATCHes\n%s", dry.code, patches(w), dry.stderr)
	}
	if !strings.HasPrefix(dry.stdout, "--- a/v1.3.0") || !strings.Contains(dry.stdout, "+"+releases.StartMarker) {
		t.Errorf("dry run did not print a diff adding the section:\n%s", dry.stdout)
	}

	for i := 0; i < 2; i++ {
		if r := runCLI(t, w.env, args...); r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i+1, r.code, r.stderr)
		}
	}
	if n := patches(w); n != 1 {
		t.Errorf("two runs sent %d PATCHes, want 1", n)
	}
	after := releaseBody(t, w, "v1.3.0")
	if !strings.HasPrefix(after, before) {
		t.Fatalf("the text before the section changed:\n%q\n%q", before, after)
	}
	notes, err := os.ReadFile(notesFile)
	if err != nil {
		t.Fatal(err)
	}
	section := after[len(before):]
	if want := "\n\n" + releases.StartMarker + "\n" + strings.TrimSuffix(string(notes), "\n") + "\n" + releases.EndMarker + "\n"; section != want {
		t.Errorf("section = %q, want %q", section, want)
	}
	// The notes list the issues of v1.3.0's day window only.
	if !strings.Contains(string(notes), "Issue 85") || strings.Contains(string(notes), "Issue 60") {
		t.Errorf("notes do not match the window 2024-07-13..2024-09-08:\n%s", notes)
	}

	// Edit outside the markers by hand, publish again: the hand edit stays.
	edited := "Edited intro.\n" + after + "Footer\r\n"
	w.srv.AddRelease("acme", "app", releaseFromBody("v1.4.0", edited))
	r := runCLI(t, w.env, "publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.4.0", "--notes-file", notesFile, "--until", "2024-10-01")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if got := releaseBody(t, w, "v1.4.0"); got != edited {
		t.Errorf("same notes in an edited body changed it:\n%q\n%q", edited, got)
	}
}

func TestPublishRefusals(t *testing.T) {
	w := newReleaseWorld(t)
	big := filepath.Join(t.TempDir(), "big.md")
	if err := os.WriteFile(big, []byte(strings.Repeat("- an issue title\n", 8000)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"too long", []string{"publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.2.0", "--notes-file", big}, exitFailure, "use a shorter format"},
		{"no release", []string{"publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v9.0.0", "--notes-file", big}, exitFailure, "has no release for tag v9.0.0"},
		{"no --release", []string{"publish", "--repo", "acme/tracker"}, exitUsage, "publish needs --release TAG"},
		{"since with release", []string{"publish", "--repo", "acme/tracker", "--release", "v1.2.0", "--since", "2024-01-01"}, exitUsage, "--since and --release"},
		{"two repos, no releases repo", []string{"publish", "--repo", "acme/tracker", "--repo", "acme/other", "--release", "v1.2.0"}, exitUsage, "--releases-repo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, w.env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.msg)
			}
		})
	}
	if n := patches(w); n != 0 {
		t.Errorf("refused runs sent %d PATCHes", n)
	}
}
