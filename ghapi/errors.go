package changelog

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrIncomplete is wrapped by Fetch's error when GitHub kept answering
// incomplete_results: true for a page after the bounded retries, and the
// caller did not opt in to partial results (Fetcher.AllowIncomplete).
var ErrIncomplete = errors.New("GitHub search timed out and returned incomplete results; run again later, or pass --allow-incomplete to accept a partial list")

// ErrInconsistent is wrapped by Fetch's error when the search results kept
// shifting while being paged (the distinct items of a chunk did not add up
// to its total_count, twice in a row).
var ErrInconsistent = errors.New("GitHub search results changed while being paged, twice in a row; run again in a minute")

// ErrTooDense is wrapped by Fetch's error when more than 1000 matching issues
// were created within one second: GitHub search cannot list them all, and no
// created-time split can separate them.
var ErrTooDense = errors.New("more than 1000 matching issues were created within one second, beyond what GitHub search can list; narrow the query (for example by repository or label)")

// RateLimitError reports a rate limit relnotes did not wait out: the primary
// budget of Resource is exhausted until Reset, further away than MaxWait, or
// a secondary (abuse) limit persisted through the bounded retries.
type RateLimitError struct {
	Resource  string        // "search" or "core"
	Reset     time.Time     // when the budget returns; zero when unknown
	Wait      time.Duration // time left until Reset when relnotes gave up
	MaxWait   time.Duration // the --max-wait bound
	Secondary bool          // a secondary limit, not the primary budget
}

func (e *RateLimitError) Error() string {
	switch {
	case e.Secondary && e.Wait > e.MaxWait:
		return fmt.Sprintf("GitHub's secondary rate limit for %s requests asks for a pause of %s; relnotes waits at most %s (--max-wait): run again later or raise --max-wait",
			e.Resource, roundWait(e.Wait), roundWait(e.MaxWait))
	case e.Secondary:
		return fmt.Sprintf("GitHub's secondary rate limit for %s requests persisted after repeated waits; wait a few minutes, then run again", e.Resource)
	}
	return fmt.Sprintf("GitHub's %s rate limit is exhausted until %s (in %s); relnotes waits at most %s (--max-wait): run again later or raise --max-wait",
		e.Resource, e.Reset.UTC().Format("15:04:05 MST"), roundWait(e.Wait), roundWait(e.MaxWait))
}

// roundWait prints a wait the way a person reads it: 1h0m, 41m, 3m20s, 150ms.
func roundWait(d time.Duration) string {
	switch {
	case d >= 10*time.Minute:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	case d >= time.Second:
		return d.Round(time.Second).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// AuthError reports that GitHub refused the credentials (401) or the request
// (403 without any rate-limit sign). It is never retried.
type AuthError struct {
	Status  int
	Message string // GitHub's message, e.g. "Bad credentials"
}

func (e *AuthError) Error() string {
	if e.Status == 401 {
		msg := e.Message
		if msg == "" {
			msg = "Bad credentials"
		}
		return fmt.Sprintf("GitHub rejected the token (401 %s): check GH_TOKEN/GITHUB_TOKEN or --token-file", msg)
	}
	return fmt.Sprintf("GitHub refused the request (%s): check that the token may read these repositories",
		strings.TrimSpace(fmt.Sprintf("%d %s", e.Status, e.Message)))
}

// NotFoundError reports that a repository or organisation named in the query
// does not exist or is not visible to the token (GitHub answers 404 or 422).
type NotFoundError struct {
	Repos []string // the repo: and org: names of the query, OWNER/NAME or ORG
}

func (e *NotFoundError) Error() string {
	switch len(e.Repos) {
	case 0:
		return "the searched resource was not found or is not visible to this token: check --api-url (for GitHub Enterprise, https://HOST/api/v3)"
	case 1:
		return fmt.Sprintf("repository %s not found or not visible to this token", e.Repos[0])
	default:
		return fmt.Sprintf("one of the repositories %s is not found or not visible to this token", strings.Join(e.Repos, ", "))
	}
}

// QueryError reports that GitHub rejected the query itself (422 Validation
// Failed, e.g. too long or too many operators).
type QueryError struct {
	Message string // GitHub's reasons, joined with "; "
}

func (e *QueryError) Error() string {
	return "GitHub rejected the query: " + e.Message +
		" (fix the term it names; GitHub takes at most 256 characters besides qualifiers and five AND, OR or NOT operators)"
}

// FetchError is the single wrapper Fetch puts around every failure: the
// operation and the query text, then the cause (one of the typed errors or
// sentinels above, or a transport error).
type FetchError struct {
	Query string
	Err   error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("fetching issues for %q: %v", e.Query, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// HTTPError reports a response the transport gave up retrying (5xx after the
// bounded retries) or one no other error type describes.
type HTTPError struct {
	Method, Path string // the request; Path has no host and no query, so no search text
	Status       int    // the last status GitHub answered
	Message      string // GitHub's message, or the status text of a 5xx without one
	Attempts     int    // times the Transport sent the request; 0 when the error is not from its retries
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("GitHub answered %d to %s %s", e.Status, e.Method, e.Path)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}
