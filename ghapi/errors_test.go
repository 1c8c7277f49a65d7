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
			"GitHub's search rate limit is exhausted until 14:22:07 UTC (in 1h); relnotes waits at most 15m"},
		{&RateLimitError{Resource: ResourceSearch, Secondary: true, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for search requests persisted after repeated waits; wait a few minutes, then run again"},
		// A single back-off beyond MaxWait was never waited for, let alone
		// repeated: the message must say so.
		{&RateLimitError{Resource: ResourceCore, Secondary: true, Reset: reset, Wait: time.Hour, MaxWait: 15 * time.Minute},
			"GitHub's secondary rate limit for core requests asks for a pause of 1h; relnotes waits at most 15m"},
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
	if want := "asks for a pause of 1h; relnotes waits at most 15m"; !strings.Contains(err.Error(), want) || !rl.WaitBound() {
		t.Errorf("error = %v, want it to contain %q", err, want)
	}
}

func TestFormatWait(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{0, "0s"},
		{150 * time.Millisecond, "150ms"},
		{45 * time.Second, "45s"},
		{3*time.Minute + 20*time.Second, "3m 20s"},
		{3 * time.Minute, "3m"},
		{41*time.Minute + 29*time.Second, "41m"},
		{time.Hour, "1h"},
		{time.Hour + 5*time.Minute, "1h 5m"},
		{time.Hour + 10*time.Second, "1h"},
		{51*time.Hour + 20*time.Minute, "2d 3h"},
		{1<<63 - 1, "106751d 23h"},
	}
	for _, tt := range tests {
		if got := FormatWait(tt.d); got != tt.want {
			t.Errorf("FormatWait(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestAbsurdRetryAfter: a Retry-After or reset beyond any sensible wait,
// as seconds, as an HTTP date or past what a Duration holds, ends the
// request at once with one line that says the server's wait is broken,
// never a wait of thousands of hours, and is not blamed on the wait bound.
func TestAbsurdRetryAfter(t *testing.T) {
	now := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		maxW   time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"99999999999"}}, 0},
		{"beyond uint64", http.Header{"Retry-After": {"999999999999999999999999"}}, 0},
		{"just over a day", http.Header{"Retry-After": {"86401"}}, 0},
		{"over a day, within a huge bound", http.Header{"Retry-After": {"90000"}}, 1000 * time.Hour},
		{"HTTP date", http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}, 0},
		{"primary reset", http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Limit": {"30"}, "X-Ratelimit-Reset": {"99999999999"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"API rate limit exceeded"}`)
			}))
			defer srv.Close()
			tr := &Transport{MaxWait: tt.maxW, Now: func() time.Time { return now }, Sleep: func(context.Context, time.Duration) error {
				t.Error("the Transport slept for an absurd wait")
				return errors.New("slept")
			}}
			_, err := (&http.Client{Transport: tr}).Get(srv.URL + "/search/issues")
			var rl *RateLimitError
			if !errors.As(err, &rl) || !rl.Unreasonable || rl.WaitBound() {
				t.Fatalf("error = %v (%+v), want an unreasonable *RateLimitError not blamed on the wait bound", err, rl)
			}
			if want := "asks for a wait of over 1d, which is not a sensible wait"; !strings.Contains(rl.Error(), want) {
				t.Errorf("message %q does not contain %q", rl.Error(), want)
			}
		})
	}
}

// TestRetryAfterForms: Retry-After is delay-seconds or an HTTP date; a
// date in the past or an unreadable value falls back to the default
// back-off, and a value within the bound is waited exactly.
func TestRetryAfterForms(t *testing.T) {
	now := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	tr := &Transport{Now: func() time.Time { return now }}
	tests := []struct {
		v    string
		want time.Duration
	}{
		{"", 0},
		{"30", 30 * time.Second},
		{" 30 ", 30 * time.Second},
		{"-5", 0},
		{"soon", 0},
		{"Mon, 01 Jul 2024 12:02:00 GMT", 2 * time.Minute},
		{"Mon, 01 Jul 2024 11:00:00 GMT", 0},
		{"86400", 24 * time.Hour},
		{"86401", SensibleWait + time.Second},
		{"99999999999", SensibleWait + time.Second},
	}
	for _, tt := range tests {
		if got := tr.retryAfter(http.Header{"Retry-After": {tt.v}}); got != tt.want {
			t.Errorf("Retry-After %q: %v, want %v", tt.v, got, tt.want)
		}
	}
}
