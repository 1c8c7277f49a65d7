package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer two goroutines can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// shellWords splits a command line as sh does for the quoting demo --serve
// prints: words separated by spaces, '...' and "..." quoting.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("unbalanced quotes in %q", line)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// TestDemoServe starts demo --serve, runs the commands it prints as a
// person would paste them, and checks what each does against the sandbox.
func TestDemoServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout syncBuffer
	app := &App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: io.Discard,
		Getenv: func(string) string { return "" }, Now: time.Now, WorkDir: t.TempDir()}
	done := make(chan int, 1)
	go func() { done <- app.Run(ctx, []string{"demo", "--serve"}) }()

	var out string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out = stdout.String()
		if strings.Count(out, "  relnotes ") == 4 && strings.HasSuffix(out, "\n") {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("demo --serve exited %d:\n%s", code, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo --serve printed no commands:\n%s", out)
		}
	}
	env := map[string]string{}
	var cmds [][]string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			env[k] = v
		}
		if strings.HasPrefix(line, "relnotes ") {
			cmds = append(cmds, shellWords(t, line)[1:])
		}
	}
	if env["GH_TOKEN"] == "" || len(cmds) != 4 {
		t.Fatalf("want a GH_TOKEN and 4 commands in:\n%s", out)
	}
	for _, c := range cmds {
		if !strings.Contains(strings.Join(c, " "), "--api-url http://127.0.0.1:") {
			t.Errorf("command %q does not name the sandbox's --api-url", c)
		}
	}

	notes := runCLI(t, env, cmds[0]...)
	if notes.code != 0 || !strings.Contains(notes.stdout, "Total: 7 issues.") {
		t.Errorf("notes: exit %d, %s\n%s", notes.code, notes.stderr, notes.stdout)
	}
	check := runCLI(t, env, cmds[1]...)
	if check.code != exitFindings || !strings.Contains(check.stdout, "12 days overlap, 13 issues listed twice") {
		t.Errorf("check: exit %d, %s\n%s", check.code, check.stderr, check.stdout)
	}
	dry := runCLI(t, env, cmds[2]...)
	if dry.code != 0 || !strings.Contains(dry.stdout, "+<!-- relnotes:start -->") || !strings.Contains(dry.stderr, "would change; nothing sent") {
		t.Errorf("publish --dry-run: exit %d, %s\n%s", dry.code, dry.stderr, dry.stdout)
	}
	pub := runCLI(t, env, cmds[3]...)
	if pub.code != 0 || !strings.Contains(pub.stderr, "relnotes: updated the body of release v4.2.3") {
		t.Errorf("publish: exit %d, %s", pub.code, pub.stderr)
	}
	again := runCLI(t, env, cmds[2]...)
	if again.code != 0 || !strings.Contains(again.stderr, "release v4.2.3 is up to date; nothing sent") {
		t.Errorf("publish --dry-run after publish: exit %d, %s", again.code, again.stderr)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo --serve exited %d when interrupted", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("demo --serve did not stop when interrupted")
	}
}

// TestDemoReadsConfiguration: demo takes the configuration and notes'
// flags, and keeps the sample tracker's defaults for what they leave unset.
func TestDemoReadsConfiguration(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/.relnotes.yml", "sections:\n  - title: Only bugs\n    labels: [\"T: bug\"]\ncatch-all: Everything else\n")
	r := runIn(t, dir, "demo", "--release", "v4.2.3", "--granularity", "day", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "### Only bugs") || strings.Contains(r.stdout, "### Enhancements") ||
		!strings.Contains(r.stdout, "closed%3A2024-07-13..2024-09-08+-label%3A%22R%3A+cannot+reproduce%22") {
		t.Errorf("exit %d, %s\n%s", r.code, r.stderr, r.stdout)
	}
	if strings.Contains(r.stderr, "GitHub API sandbox") {
		t.Errorf("--quiet still prints the summary: %s", r.stderr)
	}
}
