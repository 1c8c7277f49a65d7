package changelog

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

// TestErrorMessages pins the one-line wording of the typed errors: each says
// what went wrong and what to do.
func TestErrorMessages(t *testing.T) {
	reset := time.Date(2024, 7, 1, 14, 22, 7, 0, time.UTC)
	tests := []struct {
		err  error
		want string
	}{
		{&RateLimitError{Resource: ResourceSearch, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's search rate limit is exhausted until 14:22:07 UTC (in 1h0m); relnotes waits at most 15m (--max-wait): run again later or raise --max-wait"},
		{&RateLimitError{Resource: ResourceSearch, Secondary: true, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for search requests persisted after repeated waits; wait a few minutes, then run again"},
		// A single back-off beyond MaxWait was never waited for, let alone
		// repeated: the message must say so and name the flag.
		{&RateLimitError{Resource: ResourceCore, Secondary: true, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for core requests asks for a pause of 1h0m; relnotes waits at most 15m (--max-wait): run again later or raise --max-wait"},
		{&AuthError{Status: 401}, "GitHub rejected the token (401 Bad credentials): check GH_TOKEN/GITHUB_TOKEN or --token-file"},
		{&AuthError{Status: 403, Message: "Resource not accessible by integration"},
			"GitHub refused the request (403 Resource not accessible by integration): check that the token may read these repositories"},
		// Regression: an empty message used to leave "(403 )".
		{&AuthError{Status: 403}, "GitHub refused the request (403): check that the token may read these repositories"},
		{&NotFoundError{Repos: []string{"o/a", "o/b"}}, "one of the repositories o/a, o/b is not found or not visible to this token"},
		{&NotFoundError{}, "the searched resource was not found or is not visible to this token: check --api-url (for GitHub Enterprise, https://HOST/api/v3)"},
		{&QueryError{Message: "The search is longer than 256 characters."},
			"GitHub rejected the query: The search is longer than 256 characters. (fix the term it names; GitHub takes at most 256 characters besides qualifiers and five AND, OR or NOT operators)"},
		{&HTTPError{Method: "GET", Path: "/search/issues", Status: 502, Message: "Bad Gateway", Attempts: 5},
			"GitHub answered 502 to GET /search/issues: Bad Gateway (after 5 attempts)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%T.Error()\n got %s\nwant %s", tt.err, got, tt.want)
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
	if want := "asks for a pause of 1h0m; relnotes waits at most 15m (--max-wait)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}
