// Package ghapi is relnotes' GitHub REST client: NewClient builds a
// go-github v62 client whose requests go through a Transport (pacing by the
// rate-limit budget, retries, back-off) and carry the token to the API's
// own origin only; SearchIssues reads one search page; MapError is the one
// translation of GitHub's answers into typed errors (*RateLimitError,
// *AuthError, *NotFoundError, *QueryError, *HTTPError, *UnreachableError),
// which name no command-line flags: callers add their own advice.
//
// Every workaround for what go-github v62 lacks lives here, each next to a
// comment saying what v62 lacks.
package ghapi
