package ghapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// The errors of this package say what GitHub answered, in a person's terms,
// and carry what a caller needs to advise on a fix (which budget, which
// repositories, the wait bound). They name no command-line flags: the
// caller knows how its user changes a token, a URL or a wait bound.

// SensibleWait is the longest wait relnotes takes a server at its word for.
// GitHub's primary budget resets within the hour and its secondary pauses
// last minutes; a Retry-After or reset further away than a day (one of
// 99999999999 seconds has been seen) is a broken answer, not a wait to sit
// out or to raise a bound for.
const SensibleWait = 24 * time.Hour

// RateLimitError reports a rate limit relnotes did not wait out: the primary
// budget of Resource is exhausted until Reset, further away than MaxWait, or
// a secondary (abuse) limit persisted through the bounded retries.
type RateLimitError struct {
	Resource  string        // "search" or "core"
	Reset     time.Time     // when the budget returns; zero when unknown
	Wait      time.Duration // time left until Reset when relnotes gave up; at most SensibleWait
	MaxWait   time.Duration // the Transport's MaxWait
	Secondary bool          // a secondary limit, not the primary budget
	// Retries, for a primary limit, is how many times relnotes waited for
	// the reset and was refused again: the server's clock or budget
	// disagrees with its headers, and a longer MaxWait would not help.
	Retries int
	// Unreasonable is set when the server asked for a wait beyond
	// SensibleWait; Wait is then SensibleWait and Reset is zero.
	Unreasonable bool
}

// limitError is a *RateLimitError for a wait of d (until reset, zero when
// unknown) that relnotes does not sit out, with d capped at SensibleWait.
func limitError(res string, secondary bool, reset time.Time, d, maxWait time.Duration) *RateLimitError {
	e := &RateLimitError{Resource: res, Secondary: secondary, Reset: reset, Wait: max(d, 0), MaxWait: maxWait}
	if d > SensibleWait {
		e.Unreasonable, e.Wait, e.Reset = true, SensibleWait, time.Time{}
	}
	return e
}

// Error ends with the wait bound when that bound is why relnotes gave up,
// so a caller can name the setting that raises it right after.
func (e *RateLimitError) Error() string {
	limit := fmt.Sprintf("GitHub's %s rate limit", e.Resource)
	if e.Secondary {
		limit = fmt.Sprintf("GitHub's secondary rate limit for %s requests", e.Resource)
	}
	switch {
	case e.Unreasonable:
		return fmt.Sprintf("%s asks for a wait of over %s, which is not a sensible wait (the server's Retry-After or reset header is broken); run again later", limit, FormatWait(SensibleWait))
	case e.Secondary && e.Wait > e.MaxWait:
		return fmt.Sprintf("%s asks for a pause of %s; relnotes waits at most %s", limit, FormatWait(e.Wait), FormatWait(e.MaxWait))
	case e.Secondary:
		return limit + " persisted after repeated waits; wait a few minutes, then run again"
	case e.Retries > 0:
		return fmt.Sprintf("%s was still exhausted after %d waits for its reset; run again later", limit, e.Retries)
	case e.Reset.IsZero():
		return limit + " is exhausted"
	}
	return fmt.Sprintf("%s is exhausted until %s (in %s); relnotes waits at most %s",
		limit, e.Reset.UTC().Format("15:04:05 MST"), FormatWait(e.Wait), FormatWait(e.MaxWait))
}

// WaitBound reports whether waiting longer (a larger MaxWait) could have
// got past the limit.
func (e *RateLimitError) WaitBound() bool {
	return e.Retries == 0 && !e.Unreasonable && e.Wait > e.MaxWait
}

// FormatWait prints a wait the way a person reads it, in its two largest
// units: 150ms, 45s, 3m 20s, 41m, 1h, 1h 5m, 2d 3h. Waits of ten minutes
// or more are rounded to the minute, of a day or more to the hour, and
// zero or less is "0s".
func FormatWait(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d >= 24*time.Hour:
		d = d.Round(time.Hour)
	case d >= 10*time.Minute:
		d = d.Round(time.Minute)
	default:
		d = d.Round(time.Second)
	}
	units := []struct {
		size time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}}
	var parts []string
	for _, u := range units {
		if n := d / u.size; n > 0 || len(parts) > 0 {
			d -= n * u.size
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%d%s", n, u.name))
			}
			if len(parts) == 2 || (len(parts) == 1 && n == 0) {
				break
			}
		}
	}
	return strings.Join(parts, " ")
}

// AuthError reports that GitHub refused the credentials (401) or the request
// (403 without any rate-limit sign). It is never retried.
type AuthError struct {
	Status  int
	Message string // GitHub's message, e.g. "Bad credentials"
}

func (e *AuthError) Error() string {
	if e.Status == http.StatusUnauthorized {
		msg := e.Message
		if msg == "" {
			msg = "Bad credentials"
		}
		return fmt.Sprintf("GitHub rejected the token (401 %s)", msg)
	}
	return fmt.Sprintf("GitHub refused the request (%s)", strings.TrimSpace(fmt.Sprintf("%d %s", e.Status, e.Message)))
}

// NotFoundError reports that a repository or organisation does not exist or
// is not visible to the token (GitHub answers 404, or 422 for a search).
type NotFoundError struct {
	Repos []string // the repositories and organisations asked about, OWNER/NAME or ORG
}

func (e *NotFoundError) Error() string {
	switch len(e.Repos) {
	case 0:
		return "the searched resource was not found or is not visible to this token"
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

// UnreachableError reports that no answer came from the API at all: the
// connection, name lookup or TLS failed, or every attempt timed out.
type UnreachableError struct {
	Host string // scheme://host of the API, without path or query
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the GitHub API at %s (%v)", e.Host, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// Error is a failed call told with what relnotes was doing: Op, e.g.
// "list releases of acme/app", then the typed cause from MapError.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return e.Op + ": " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// MapError is the one translation of what a go-github call returned into
// this package's typed errors; repos names the repositories or
// organisations the call was about, for a *NotFoundError. Errors already
// typed (from the Transport), context errors and nil pass unchanged.
func MapError(err error, repos ...string) error {
	if err == nil || errors.Is(err, ErrMalformed) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// http.Client prefixes the whole request URL, query included; the
		// typed errors say all a person needs.
		var rl *RateLimitError
		var he *HTTPError
		switch {
		case errors.As(ue.Err, &rl), errors.As(ue.Err, &he):
			return ue.Err
		case errors.Is(ue.Err, ErrTokenFormat):
			return ErrTokenFormat
		}
		host := ue.URL
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Scheme + "://" + u.Host
		}
		return &UnreachableError{Host: host, Err: ue.Err}
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		// go-github's own rate-limit errors appear only for a client built
		// without a Transport, which waits out or reports every limit.
		var rl *github.RateLimitError
		if errors.As(err, &rl) {
			return &RateLimitError{Resource: resourceOf(rl.Response.Request.URL.Path), Reset: rl.Rate.Reset.Time}
		}
		var ab *github.AbuseRateLimitError
		if errors.As(err, &ab) {
			return &RateLimitError{Resource: resourceOf(ab.Response.Request.URL.Path), Secondary: true}
		}
		return err
	}
	msg := er.Message
	var details []string
	for _, e := range er.Errors {
		if e.Message != "" {
			details = append(details, e.Message)
		}
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		return &AuthError{Status: er.Response.StatusCode, Message: msg}
	case http.StatusNotFound:
		return &NotFoundError{Repos: repos}
	case http.StatusUnprocessableEntity:
		all := strings.ToLower(strings.Join(details, " "))
		if len(details) > 0 {
			msg = strings.Join(details, "; ")
		}
		if resourceOf(er.Response.Request.URL.Path) != ResourceSearch {
			break // a rejected release edit, e.g. a body over GitHub's size limit
		}
		if len(repos) > 0 && (strings.Contains(all, "cannot be searched") || strings.Contains(all, "do not exist")) {
			return &NotFoundError{Repos: repos}
		}
		return &QueryError{Message: msg}
	}
	return &HTTPError{Method: er.Response.Request.Method, Path: er.Response.Request.URL.Path, Status: er.Response.StatusCode, Message: msg}
}
