package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// seedLink is the link of ../shared/seed-announcement.md (Qubes OS 4.2.3).
const seedLink = "https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+cannot+reproduce%22+-label%3A%22R%3A+declined%22+-label%3A%22R%3A+duplicate%22+-label%3A%22R%3A+not+applicable%22+-label%3A%22R%3A+self-closed%22+-label%3A%22R%3A+upstream+issue%22"

var seedArgs = []string{"link", "--repo", "QubesOS/qubes-issues", "--since", "2024-03-26", "--until", "2024-09-09",
	"--exclude-label", "R: cannot reproduce", "--exclude-label", "R: declined", "--exclude-label", "R: duplicate",
	"--exclude-label", "R: not applicable", "--exclude-label", "R: self-closed", "--exclude-label", "R: upstream issue"}

type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs one command line in-process with the given environment (and
// nothing of the real one).
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &App{
		Stdin:   strings.NewReader(""),
		Stdout:  &stdout,
		Stderr:  &stderr,
		Getenv:  func(k string) string { return env[k] },
		Now:     func() time.Time { return time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC) },
		WorkDir: t.TempDir(),
		timing:  ghemutest.Timing,
	}
	code := app.Run(context.Background(), args)
	return result{stdout.String(), stderr.String(), code}
}

func TestLinkSeedAnnouncement(t *testing.T) {
	r := runCLI(t, nil, seedArgs...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := strings.TrimSuffix(r.stdout, "\n"); got != seedLink {
		t.Errorf("link differs from the seed announcement's:\n got %s\nwant %s", got, seedLink)
	}
	// The seed's link must also be what the announcement file really holds.
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seed-announcement.md"))
	if err == nil && !bytes.Contains(b, []byte("("+seedLink+")")) {
		t.Errorf("seed-announcement.md does not contain the expected link")
	}
}

func TestLinkVariants(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"query text", nil, []string{"link", "--repo", "o/r", "--since", "2024-01-01", "--query"},
			"repo:o/r is:issue is:closed reason:completed closed:>=2024-01-01"},
		{"percent encoding", nil, []string{"link", "--repo", "o/r", "--until", "2024-01-31", "--label", "T: bug", "--encoding", "percent"},
			"https://github.com/o/r/issues?q=is%3Aissue%20is%3Aclosed%20reason%3Acompleted%20label%3A%22T%3A%20bug%22%20closed%3A%3C%3D2024-01-31"},
		{"server from environment", map[string]string{"GITHUB_SERVER_URL": "https://ghe.example.com"}, []string{"link", "--repo", "o/r", "--reason", "any", "--state", "any", "--kind", "any"},
			"https://ghe.example.com/o/r/issues?q="},
		{"flag beats environment", map[string]string{"GITHUB_SERVER_URL": "https://ghe.example.com"}, []string{"link", "--repo", "o/r", "--server-url", "https://github.com/", "--kind", "pr"},
			"https://github.com/o/r/issues?q=is%3Apr+is%3Aclosed+reason%3Acompleted"},
		{"several repositories", nil, []string{"link", "--repo", "a/b", "--repo", "c/d", "--since", "2024-01-01T10:00:00+02:00", "--until", "2024-02-01T00:00:00Z"},
			"https://github.com/search?q=repo%3Aa%2Fb+repo%3Ac%2Fd+is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-01-01T08%3A00%3A00Z..2024-02-01T00%3A00%3A00Z&type=issues"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if got := strings.TrimSpace(r.stdout); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestBadInput: every mistake gets one line naming the problem and the fix,
// exit code 2, and nothing on stdout.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // substring of the first stderr line
	}{
		{"since after until", []string{"link", "--repo", "o/r", "--since", "2024-09-10", "--until", "2024-09-09"}, "is after --until"},
		{"invalid date", []string{"link", "--repo", "o/r", "--since", "2024-13-01"}, "is not a date: use YYYY-MM-DD"},
		{"impossible day", []string{"link", "--repo", "o/r", "--until", "2024-02-30"}, "is not a date"},
		{"repo form", []string{"link", "--repo", "qubes-issues"}, "not in OWNER/NAME form"},
		{"unknown reason", []string{"link", "--repo", "o/r", "--reason", "wontfix"}, "--reason \"wontfix\" is not one of completed, not-planned, any"},
		{"unknown kind", []string{"link", "--repo", "o/r", "--kind", "discussion"}, "--kind"},
		{"unknown encoding", []string{"link", "--repo", "o/r", "--encoding", "base64"}, "--encoding"},
		{"unknown flag", []string{"link", "--repository", "o/r"}, "unknown flag: --repository"},
		{"unknown command", []string{"lnk"}, "unknown command"},
		{"no repository", []string{"link", "--since", "2024-01-01"}, "no repository"},
		{"bad server", []string{"link", "--repo", "o/r", "--server-url", "github.com"}, "is not a web server URL"},
		{"label with quote", []string{"link", "--repo", "o/r", "--exclude-label", `say "hi"`}, "contains a double quote"},
		{"explain not a search", []string{"explain", "https://github.com/QubesOS/qubes-issues/pulls/12"}, "cannot"},
		{"explain code search", []string{"explain", "https://github.com/search?q=foo&type=code"}, "cannot"},
		{"explain no argument", []string{"explain"}, "explain takes one link or query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit code %d, want %d", r.code, exitUsage)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			first, rest, _ := strings.Cut(r.stderr, "\n")
			if !strings.HasPrefix(first, "relnotes: ") || !strings.Contains(first, tt.want) || rest != "" {
				t.Errorf("stderr %q, want one line starting with relnotes: and containing %q", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
				t.Errorf("stack trace in stderr: %s", r.stderr)
			}
		})
	}
}

// TestExplainSeed: explain lists the six excluded labels and the window, and
// its command line reproduces the link byte for byte.
func TestExplainSeed(t *testing.T) {
	r := runCLI(t, nil, "explain", seedLink)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	goldenCompare(t, "explain-seed.golden", r.stdout)
	for _, l := range []string{"R: cannot reproduce", "R: declined", "R: duplicate", "R: not applicable", "R: self-closed", "R: upstream issue"} {
		if !strings.Contains(r.stdout, l) {
			t.Errorf("explain does not mention %q", l)
		}
	}
	if !strings.Contains(r.stdout, "closed 2024-03-26 through 2024-09-09, whole days in UTC, 168 days") {
		t.Errorf("explain does not state the window in words:\n%s", r.stdout)
	}
	_, after, ok := strings.Cut(r.stdout, "Reproduce with:\n  ")
	if !ok {
		t.Fatalf("no command line in:\n%s", r.stdout)
	}
	line, _, _ := strings.Cut(after, "\n")
	args := shellSplit(t, line)
	if len(args) < 2 || args[0] != "relnotes" {
		t.Fatalf("command line %q does not start with relnotes", line)
	}
	again := runCLI(t, nil, args[1:]...)
	if got := strings.TrimSpace(again.stdout); got != seedLink {
		t.Errorf("command line %q prints\n%s\nwant\n%s", line, got, seedLink)
	}
}

// shellSplit undoes shellJoin: words separated by spaces, single quotes
// grouping, '\” for a quote.
func shellSplit(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func goldenCompare(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden file (run go test -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestSuggestions(t *testing.T) {
	tests := []struct {
		args []string
		want string // the whole stderr
	}{
		{[]string{"link", "--sinse", "2024-01-01"}, "relnotes: unknown flag: --sinse; did you mean --since?\n"},
		{[]string{"notes", "--exclude-labl", "x"}, "relnotes: unknown flag: --exclude-labl; did you mean --exclude-label?\n"},
		{[]string{"link", "--zzzzz"}, "relnotes: unknown flag: --zzzzz (see 'relnotes link --help')\n"},
		{[]string{"lnk"}, "relnotes: unknown command \"lnk\" for \"relnotes\"; did you mean link?\n"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		if r.code != 2 || r.stderr != tt.want {
			t.Errorf("relnotes %v: exit %d, stderr %q; want 2, %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	for _, tt := range []struct{ s, want string }{
		{"sinse", "since"}, {"md", ""}, {"markdwn", "markdown"}, {"htm", "html"}, {"x", ""}, {"repo", "repo"},
	} {
		if got := closest(tt.s, []string{"since", "until", "markdown", "html", "json", "repo"}); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := runCLI(t, nil, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "relnotes ") || !strings.Contains(r.stdout, " go1.") || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("relnotes %v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
}
