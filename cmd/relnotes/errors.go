package main

import (
	"errors"
	"strings"

	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
)

// describe is the one place where an error becomes what a person reads: one
// line (without the "relnotes: " prefix) that says what went wrong and, for
// the libraries' typed errors, which flag or variable fixes it, and the
// exit code. Libraries name no flags; their errors carry what this advice
// needs.
func describe(err error) (msg string, code int) {
	code = exitFailure
	msg = err.Error()
	var (
		ue   *usageError
		ee   *exitError
		urlE *ghapi.URLError
		rl   *ghapi.RateLimitError
		auth *ghapi.AuthError
		nf   *ghapi.NotFoundError
		down *ghapi.UnreachableError
		fe   *filters.FlagError
	)
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &ue), errors.As(err, &fe):
		code = exitUsage
	case errors.Is(err, ghapi.ErrTokenFormat):
		code = exitUsage
		msg += ": set GH_TOKEN, GITHUB_TOKEN or the --token-file to the token alone"
	case errors.As(err, &urlE):
		code = exitUsage
		msg += ": check --api-url (or GITHUB_API_URL)"
	case errors.As(err, &rl):
		if rl.WaitBound() {
			msg += " (--max-wait): run again later or raise --max-wait"
		}
	case errors.As(err, &auth):
		if auth.Status == 401 {
			msg += ": check GH_TOKEN/GITHUB_TOKEN or --token-file"
		} else {
			msg += ": check that the token may read these repositories (and, to publish, that it has contents: write)"
		}
	case errors.As(err, &nf):
		if len(nf.Repos) == 0 {
			msg += ": check --api-url (for GitHub Enterprise, https://HOST/api/v3)"
		}
	case errors.As(err, &down):
		msg += ": check --api-url (or GITHUB_API_URL) and the network"
	case errors.Is(err, fetch.ErrIncomplete):
		msg += ": run again later, or pass --allow-incomplete to accept a partial list"
	}
	return strings.Join(strings.Fields(msg), " "), code
}

// scrub removes every secret (the tokens this run read) from s, whatever
// carried them there.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = string(ghapi.Scrub([]byte(s), sec))
		}
	}
	return s
}
