package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// TestNotesFailuresWriteNothing: whatever makes a fetch fail, the run exits
// non-zero with one line on stderr that does not hold the token, and
// --output keeps what it held. A partial list is never written.
func TestNotesFailuresWriteNothing(t *testing.T) {
	tests := []struct {
		name  string
		fault ghemu.Fault
		args  []string
		code  int
	}{
		{"search results stay incomplete", ghemu.Fault{Kind: ghemu.FaultIncomplete, Count: 1000}, nil, exitFailure},
		{"bad credentials", ghemu.Fault{Kind: ghemu.FaultUnauthorized, Count: 1000}, nil, exitFailure},
		{"repository not found", ghemu.Fault{Kind: ghemu.FaultNotFound, Count: 1000}, nil, exitFailure},
		{"query refused", ghemu.Fault{Kind: ghemu.FaultValidation, Count: 1000}, nil, exitFailure},
		{"primary rate limit beyond --max-wait", ghemu.Fault{Kind: ghemu.FaultPrimary, Count: 1000}, []string{"--max-wait", "0s"}, exitFailure},
		{"secondary rate limit beyond --max-wait", ghemu.Fault{Kind: ghemu.FaultSecondary, Count: 1000, RetryAfter: time.Hour}, []string{"--max-wait", "1s"}, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ghemutest.Start(t, ghemu.Config{Issues: ghemu.Sample(demoNow), Token: testToken})
			srv.Inject(tt.fault)
			out := filepath.Join(t.TempDir(), "notes.md")
			if err := os.WriteFile(out, []byte("previous notes\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append(append(append([]string{}, notesArgs...), "--output", out), tt.args...)
			r := runCLI(t, emuEnv(srv), args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", r.code, tt.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "relnotes: ") || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("stderr is not one relnotes line: %q", r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, testToken) {
				t.Errorf("the token appeared in the output")
			}
			if b, _ := os.ReadFile(out); string(b) != "previous notes\n" {
				t.Errorf("--output now holds %.60q", b)
			}
			if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*tmp-*")); len(m) != 0 {
				t.Errorf("temporary files left: %v", m)
			}
		})
	}
}

// TestQueryOverGitHubLimits: a query GitHub's search would refuse is refused
// before any request, by link too (its link would show an error page).
func TestQueryOverGitHubLimits(t *testing.T) {
	long := strings.Repeat("word ", 60)
	for _, cmd := range []string{"link", "notes"} {
		r := runCLI(t, nil, cmd, "--repo", "acme/app", "--since", "2024-01-01", "--until", "2024-02-01", "--term", long)
		if r.code != exitUsage || !strings.Contains(r.stderr, "256") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%s with 300 keyword characters: exit %d, stderr %q; want exit 2 naming the 256-character limit", cmd, r.code, r.stderr)
		}
	}
}
