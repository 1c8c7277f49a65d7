package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkReleaseFromAPI: link --release reads the releases through
// --api-url and --token-file as notes does, and its window ends exactly at
// the release while starting one second after the previous one.
func TestLinkReleaseFromAPI(t *testing.T) {
	w := newReleaseWorld(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("secret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "link", "--repo", "acme/tracker", "--releases-repo", "acme/app", "--release", "v1.2.0",
		"--api-url", w.srv.URL(), "--token-file", tokenFile, "--query")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := "repo:acme/tracker is:issue is:closed reason:completed closed:2024-03-26T10:00:01Z..2024-07-13T10:00:00Z"
	if got := strings.TrimSpace(r.stdout); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(r.stderr, "secret-token") {
		t.Errorf("token in stderr: %s", r.stderr)
	}
}
