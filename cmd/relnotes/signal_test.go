package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// relnotesBinary builds the command once per test run: signals are a
// property of the process, so they are tested on a real one.
func relnotesBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "relnotes-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "relnotes")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// TestSignalsEndEveryCommand: SIGINT or SIGTERM ends each command that can
// wait (on the API, on standard input) with exit 130 within a second, and
// --output keeps its old content with no temporary file left beside it.
func TestSignalsEndEveryCommand(t *testing.T) {
	bin := relnotesBinary(t)
	// An API that never answers: every request waits until the client gives up.
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(hang)

	api := []string{"--api-url", srv.URL, "--repo", "acme/app"}
	tests := []struct {
		name string
		args []string
	}{
		{"notes fetching", append([]string{"notes", "--since", "2024-01-01"}, api...)},
		{"notes reading stdin", []string{"notes", "--repo", "acme/app", "--input", "-"}},
		{"link --release", append([]string{"link", "--release", "v1.0.0"}, api...)},
		{"check", append([]string{"check", "https://github.com/acme/app/issues?q=closed%3A2024-01-01..2024-02-01", "--release", "v1.0.0"}, api[:2]...)},
		{"publish", append([]string{"publish", "--release", "v1.0.0", "--dry-run"}, api...)},
	}
	for _, tt := range tests {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(tt.name+"/"+sig.String(), func(t *testing.T) {
				dir := t.TempDir()
				out := filepath.Join(dir, "notes.md")
				if err := os.WriteFile(out, []byte("previous\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				args := tt.args
				if tt.name != "link --release" && tt.name != "check" {
					args = append(args[:len(args):len(args)], "--output", out)
				}
				cmd := exec.Command(bin, args...)
				cmd.Dir = dir
				cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "GH_TOKEN=ghs_signaltest", "HOME=" + dir}
				stdin, err := cmd.StdinPipe() // kept open: --input - waits for more
				if err != nil {
					t.Fatal(err)
				}
				defer stdin.Close()
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(300 * time.Millisecond) // let it reach the wait
				sent := time.Now()
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case <-done:
				case <-time.After(5 * time.Second):
					cmd.Process.Kill()
					t.Fatalf("still running 5 s after %v; stderr %q", sig, stderr.String())
				}
				if took := time.Since(sent); took > time.Second {
					t.Errorf("took %s to stop after %v, want under a second", took, sig)
				}
				if code := cmd.ProcessState.ExitCode(); code != 130 {
					t.Errorf("exit %d, want 130; stderr %q", code, stderr.String())
				}
				if !strings.HasPrefix(stderr.String(), "relnotes: interrupted") || strings.Count(stderr.String(), "\n") > 2 {
					t.Errorf("stderr %q, want a line saying it was interrupted", stderr.String())
				}
				if b, _ := os.ReadFile(out); string(b) != "previous\n" {
					t.Errorf("--output now holds %q", b)
				}
				if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*")); len(m) != 0 {
					t.Errorf("temporary files left: %v", m)
				}
			})
		}
	}
}
