package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestErrorMessages pins the one-line wording of the typed errors: each
// says what went wrong, in a person's terms, and names no command-line
// flag (the CLI adds its advice; see cmd/relnotes describe).
func TestErrorMessages(t *testing.T) {
	reset := time.Date(2024, 7, 1, 14, 22, 7, 0, time.UTC)
	tests := []struct {
		err  error
		want string
	}{
		{&RateLimitError{Resource: ResourceSearch, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's search rate limit is exhausted until 14:22:07 UTC (in 1h0m); relnotes waits at most 15m"},
		{&RateLimitError{Resource: ResourceSearch, Secondary: true, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for search requests persisted after repeated waits; wait a few minutes, then run again"},
		// A single back-off beyond MaxWait was never waited for, let alone
		// repeated: the message must say so.
		{&RateLimitError{Resource: ResourceCore, Secondary: true, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for core requests asks for a pause of 1h0m; relnotes waits at most 15m"},
		// Refused again after waiting for resets: a longer wait would not help.
		{&RateLimitError{Resource: ResourceSearch, Reset: reset, Wait: time.Second, MaxWait: 15 * time.Minute, Retries: 3},
			"GitHub's search rate limit was still exhausted after 3 waits for its reset; run again later"},
		{&AuthError{Status: 401}, "GitHub rejected the token (401 Bad credentials)"},
		{&AuthError{Status: 403, Message: "Resource not accessible by integration"},
			"GitHub refused the request (403 Resource not accessible by integration)"},
		// Regression: an empty message used to leave "(403 )".
		{&AuthError{Status: 403}, "GitHub refused the request (403)"},
		{&NotFoundError{Repos: []string{"o/a", "o/b"}}, "one of the repositories o/a, o/b is not found or not visible to this token"},
		{&NotFoundError{}, "the searched resource was not found or is not visible to this token"},
		{&QueryError{Message: "The search is longer than 256 characters."},
			"GitHub rejected the query: The search is longer than 256 characters. (fix the term it names; GitHub takes at most 256 characters besides qualifiers and five AND, OR or NOT operators)"},
		{&HTTPError{Method: "GET", Path: "/search/issues", Status: 502, Message: "Bad Gateway", Attempts: 5},
			"GitHub answered 502 to GET /search/issues: Bad Gateway (after 5 attempts)"},
		{&UnreachableError{Host: "https://ghe.example.com", Err: errors.New("connection refused")},
			"cannot reach the GitHub API at https://ghe.example.com (connection refused)"},
		{&Error{Op: "list releases of acme/app", Err: &AuthError{Status: 401}},
			"list releases of acme/app: GitHub rejected the token (401 Bad credentials)"},
		{ErrTokenFormat, "the GitHub token holds a space, line break or control character; a token is one word"},
	}
	for _, tt := range tests {
		got := tt.err.Error()
		if got != tt.want {
			t.Errorf("%T.Error()\n got %s\nwant %s", tt.err, got, tt.want)
		}
		if strings.Contains(got, "--") || strings.Contains(got, "GH_TOKEN") {
			t.Errorf("%T.Error() = %q names a flag or variable of the CLI", tt.err, got)
		}
	}
}

// TestSecondaryBeyondMaxWait: a Retry-After longer than MaxWait ends the
// request at once with the pause GitHub asked for, not a claim of repeated
// waits.
func TestSecondaryBeyondMaxWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit."}`)
	}))
	defer srv.Close()
	tr := &Transport{Sleep: func(context.Context, time.Duration) error {
		t.Error("the Transport slept although the pause exceeds MaxWait")
		return nil
	}}
	_, err := (&http.Client{Transport: tr}).Get(srv.URL + "/search/issues")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Secondary {
		t.Fatalf("error = %v, want a secondary *RateLimitError", err)
	}
	if want := "asks for a pause of 1h0m; relnotes waits at most 15m"; !strings.Contains(err.Error(), want) || !rl.WaitBound() {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}
