package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/ghapi"
)

// TestDescribe pins the one-line messages and exit codes of the libraries'
// typed errors: what went wrong, then which flag or variable fixes it.
func TestDescribe(t *testing.T) {
	reset := time.Date(2024, 7, 1, 14, 22, 7, 0, time.UTC)
	tests := []struct {
		err  error
		want string
		code int
	}{
		{&ghapi.RateLimitError{Resource: ghapi.ResourceSearch, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's search rate limit is exhausted until 14:22:07 UTC (in 1h); relnotes waits at most 15m (--max-wait): run again later or raise --max-wait", exitFailure},
		{&ghapi.RateLimitError{Resource: ghapi.ResourceSearch, Secondary: true, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for search requests persisted after repeated waits; wait a few minutes, then run again", exitFailure},
		{&ghapi.RateLimitError{Resource: ghapi.ResourceCore, Secondary: true, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for core requests asks for a pause of 1h; relnotes waits at most 15m (--max-wait): run again later or raise --max-wait", exitFailure},
		// Refused again after its resets: raising --max-wait would not help.
		{&ghapi.RateLimitError{Resource: ghapi.ResourceSearch, Reset: reset, Wait: time.Second, MaxWait: 15 * time.Minute, Retries: 3},
			"GitHub's search rate limit was still exhausted after 3 waits for its reset; run again later", exitFailure},
		{&fetch.Error{Query: "repo:o/r", Err: &ghapi.AuthError{Status: 401}},
			`fetching issues for "repo:o/r": GitHub rejected the token (401 Bad credentials): check GH_TOKEN/GITHUB_TOKEN or --token-file`, exitFailure},
		{&ghapi.Error{Op: "list releases of acme/app", Err: &ghapi.AuthError{Status: 401}},
			"list releases of acme/app: GitHub rejected the token (401 Bad credentials): check GH_TOKEN/GITHUB_TOKEN or --token-file", exitFailure},
		{&ghapi.AuthError{Status: 403, Message: "Resource not accessible by integration"},
			"GitHub refused the request (403 Resource not accessible by integration): check that the token may read these repositories (and, to publish, that it has contents: write)", exitFailure},
		{&ghapi.NotFoundError{Repos: []string{"o/a", "o/b"}}, "one of the repositories o/a, o/b is not found or not visible to this token", exitFailure},
		{&ghapi.NotFoundError{}, "the searched resource was not found or is not visible to this token: check --api-url (for GitHub Enterprise, https://HOST/api/v3)", exitFailure},
		{&ghapi.Error{Op: "list tags of acme/app", Err: &ghapi.UnreachableError{Host: "https://ghe.example.com", Err: errors.New("connection refused")}},
			"list tags of acme/app: cannot reach the GitHub API at https://ghe.example.com (connection refused): check --api-url (or GITHUB_API_URL) and the network", exitFailure},
		{&fetch.Error{Query: "repo:o/r", Err: fmt.Errorf("%w (page 3, after 4 attempts)", fetch.ErrIncomplete)},
			`fetching issues for "repo:o/r": GitHub search timed out and returned incomplete results (page 3, after 4 attempts): run again later, or pass --allow-incomplete to accept a partial list`, exitFailure},
		{ghapi.ErrTokenFormat, "the GitHub token holds a space, line break or control character; a token is one word: set GH_TOKEN, GITHUB_TOKEN or the --token-file to the token alone", exitUsage},
		{&ghapi.URLError{URL: "ftp://x"}, `GitHub API URL "ftp://x" is not an http(s) URL such as https://api.github.com or https://HOST/api/v3: check --api-url (or GITHUB_API_URL)`, exitUsage},
		{usagef("bad\n\tflag"), "bad flag", exitUsage},
		{&exitError{code: exitFindings, err: errors.New("gap")}, "gap", exitFindings},
	}
	for _, tt := range tests {
		msg, code := describe(tt.err)
		if msg != tt.want || code != tt.code {
			t.Errorf("describe(%T)\n got %d %s\nwant %d %s", tt.err, code, msg, tt.code, tt.want)
		}
	}
}

// TestTokenWithControlCharacter: a token with a line break or control
// character inside is refused at once with exit 2 and one line naming its
// source; no request is sent (it used to be retried for 10 s and reported
// as "cannot reach the GitHub API").
func TestTokenWithControlCharacter(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("ghp_abc\x01def\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"newline in GH_TOKEN", map[string]string{"GH_TOKEN": "ghp_abc\ndef"}, nil, "GH_TOKEN holds a line break, space or control character"},
		{"control character in GITHUB_TOKEN", map[string]string{"GITHUB_TOKEN": "ghp_abc\x1bdef"}, nil, "GITHUB_TOKEN holds a line break, space or control character"},
		{"control character in --token-file", nil, []string{"--token-file", file}, "must hold one token on one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"GITHUB_API_URL": srv.URL}
			for k, v := range tt.env {
				env[k] = v
			}
			start := time.Now()
			r := runCLI(t, env, append([]string{"notes", "--repo", "o/r", "--quiet"}, tt.args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line containing %q", r.code, r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, "abc") || strings.Contains(r.stderr, "def") {
				t.Errorf("stderr shows the token: %q", r.stderr)
			}
			if time.Since(start) > 5*time.Second || requests.Load() != 0 {
				t.Errorf("took %v and sent %d requests; want an answer before any request", time.Since(start), requests.Load())
			}
		})
	}
}

// TestServerEchoingTheToken: whatever the server puts in its error body,
// the token never reaches stderr, for search and release requests alike.
func TestServerEchoingTheToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusUnauthorized
		if strings.Contains(r.URL.Path, "/search/") {
			status = http.StatusUnprocessableEntity
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"message": "got " + r.Header.Get("Authorization"),
			"errors": []map[string]string{{"message": "term " + r.Header.Get("Authorization") + " is invalid"}}})
	}))
	defer srv.Close()
	env := map[string]string{"GITHUB_API_URL": srv.URL, "GITHUB_TOKEN": testToken}
	for _, args := range [][]string{
		{"notes", "--repo", "o/r", "--quiet"},
		{"link", "--repo", "o/r", "--release", "v1"},
	} {
		r := runCLI(t, env, args...)
		if r.code != exitFailure || !strings.Contains(r.stderr, "***") || strings.Contains(r.stdout+r.stderr, testToken) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and the token scrubbed", args, r.code, r.stderr)
		}
	}
}
