package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/bounded"
	"github.com/relnotes/relnotes/releases"
	"github.com/relnotes/relnotes/templates"
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
		le   *filters.LimitError
		rel  *releases.Error
		ew   *releases.EmptyWindowError
		tl   *releases.BodyTooLongError
		te   *templates.TemplateError
		ie   *changelog.InputError
		cfe  *changelogFileError
		se   *changelog.SplitError
	)
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &ue), errors.As(err, &fe), errors.As(err, &le):
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
	case errors.As(err, &ew):
		code, msg = exitUsage, emptyWindowAdvice(ew)
	case errors.As(err, &rel):
		code, msg = exitUsage, releaseAdvice(rel)
	case errors.As(err, &tl):
		msg += ": use a shorter format (e.g. --format announcement, which has only the link) or exclude more labels"
	case errors.As(err, &te):
		code = exitUsage
		var pe *fs.PathError
		var big *bounded.TooLargeError
		if errors.As(te.Err, &pe) || errors.As(te.Err, &big) {
			msg += "; check the --template path"
		} else {
			msg += ": fix the template (docs/templates.md lists its fields and functions)"
		}
	case errors.As(err, &ie):
		code = exitUsage
	case errors.As(err, &cfe):
		// A *releases.MarkerError: it names the line and the fix.
		code, msg = exitUsage, "--output "+msg+" (or pass --rewrite)"
	case errors.As(err, &se):
		msg += "; this is a bug in relnotes, please report it"
	case errors.Is(err, releases.ErrSectionBody):
		msg += "; check the announcement sentence and link text in the configuration, or pass --rewrite"
	}
	return strings.Join(strings.Fields(msg), " "), code
}

// releaseFlag is the flag that gives each input of a release window.
var releaseFlag = map[releases.Op]string{
	releases.OpRelease:  "--release",
	releases.OpPrevious: "--previous",
	releases.OpUntil:    "--until",
	releases.OpFile:     "--releases-file",
	releases.OpGit:      "--git-dir",
}

// releaseAdvice words a release-window error in flags, with what fixes it.
func releaseAdvice(e *releases.Error) string {
	var pe *releases.ParseError
	if errors.As(e.Err, &pe) {
		// It names the file, the line and the expected format already.
		return "--releases-file " + pe.Error()
	}
	msg := fmt.Sprintf("%s %s: %v", releaseFlag[e.Op], e.Value, e.Err)
	switch {
	case errors.Is(e.Err, releases.ErrNoDate):
		msg += "; publish it, or set the end with --until"
	case errors.Is(e.Err, releases.ErrOrder) && e.Op == releases.OpUntil:
		msg += ": give a later --until"
	case errors.Is(e.Err, releases.ErrOrder):
		msg += ": pick an earlier release"
	case e.Op == releases.OpFile:
		msg += "; check --releases-file"
	case e.Op == releases.OpGit:
		msg += "; check --git-dir"
	}
	return msg
}

// emptyWindowAdvice says why no window can be right for two releases that
// share a day or a second, and what to pass instead. An error, not a link:
// an empty window reads as "no issues", and explain and check refuse it.
// No day window can be right (one holding the shared day would overlap the
// next release's), while instants split the day at the second each was
// published.
func emptyWindowAdvice(e *releases.EmptyWindowError) string {
	s := e.Span
	switch {
	case !s.Release.Time.Equal(s.Previous.Time):
		return e.Error() + ": use --granularity instant"
	case s.Release.Origin == releases.OriginFile:
		return e.Error() + ": give each release its time of day in --releases-file, or pass --previous TAG with an earlier release"
	}
	return e.Error() + ": pass --previous TAG with an earlier release to list both in one window"
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
