package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/releases"
)

// TestPublishFailureLeavesOutput: --output describes notes the release
// carries, so a run that fetched and rendered but then failed to update the
// release (here its second read of the release is refused) leaves the file
// as it was, and exits 1 with one line.
func TestPublishFailureLeavesOutput(t *testing.T) {
	w := newReleaseWorld(t)
	out := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(out, []byte("previous notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Release ids start at 1001: the fault hits the read by id and the
	// PATCH, not the lookup by tag.
	w.srv.Inject(ghemu.Fault{Kind: ghemu.FaultUnauthorized, Path: "/releases/100", Count: 10})
	r := runCLI(t, w.env, "publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.3.0", "--granularity", "day", "--output", out)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if last := lines[len(lines)-1]; r.code != exitFailure || !strings.HasPrefix(last, "relnotes: read release v1.3.0 of acme/app: GitHub rejected the token (401") {
		t.Fatalf("exit %d, last line %q; want 1 and the 401 of the second read", r.code, last)
	}
	if got, _ := os.ReadFile(out); string(got) != "previous notes\n" {
		t.Errorf("--output was overwritten by a failed publish: %q", got)
	}
	if n := patches(w); n != 0 {
		t.Errorf("%d PATCHes", n)
	}
}

// TestPublishChecksBodyBeforeFetch: markers that cannot be used are known
// from the release alone, so the run fails before any search request (the
// fetch can take minutes and most of the search budget) and --output is
// left alone.
func TestPublishChecksBodyBeforeFetch(t *testing.T) {
	w := newReleaseWorld(t)
	w.srv.AddRelease("acme", "app", releaseFromBody("v1.4.0", "Intro\n"+releases.StartMarker+"\nold notes, end marker lost\n"))
	out := filepath.Join(t.TempDir(), "notes.md")
	r := runCLI(t, w.env, "publish", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.4.0", "--until", "2024-10-01", "--output", out)
	if r.code == 0 || !strings.Contains(r.stderr, "unmatched relnotes markers") {
		t.Fatalf("exit %d, stderr %q; want a failure naming the markers", r.code, r.stderr)
	}
	for _, req := range w.srv.Requests() {
		if strings.Contains(req.Path, "/search/") {
			t.Fatalf("searched (%s) although the release body could not take the notes", req.Path)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--output exists after a refused run: %v", err)
	}
}
