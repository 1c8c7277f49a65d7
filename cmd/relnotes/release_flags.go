package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/releases"
)

// releaseFlags derive the closed window from releases instead of --since:
// every command that builds a query registers them and calls
// app.applyRelease after queryFlags.query.
type releaseFlags struct {
	release      string
	previous     string
	releasesRepo string
	releasesFile string
	gitDir       string
	granularity  string
}

func (f *releaseFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.release, "release", "", "derive the window from this release `TAG`: from the previous stable release (exclusive) to this one (inclusive)")
	fs.StringVar(&f.previous, "previous", "", "with --release: start after this release `TAG` instead of the previous stable one")
	fs.StringVar(&f.releasesRepo, "releases-repo", "", "read releases and tags from this `OWNER/NAME` (default: the --repo, when there is one)")
	fs.StringVar(&f.releasesFile, "releases-file", "", "read releases from this `file` of version,date-or-instant lines instead of GitHub")
	fs.StringVar(&f.gitDir, "git-dir", "", "read release tags from this local git repository (`DIR`; no network) instead of GitHub")
	fs.StringVar(&f.granularity, "granularity", "instant", "window ends: instant (exact UTC seconds) or day (whole UTC days, for announcements)")
}

// check rejects bad combinations before any network call.
func (f *releaseFlags) check(qf *queryFlags) (filters.Granularity, error) {
	g, err := filters.ParseGranularity(f.granularity)
	if err != nil {
		return "", usagef("--granularity %q is not one of instant, day", f.granularity)
	}
	if f.release == "" {
		for name, v := range map[string]string{"--previous": f.previous, "--releases-repo": f.releasesRepo, "--releases-file": f.releasesFile, "--git-dir": f.gitDir} {
			if v != "" {
				return "", usagef("%s needs --release TAG", name)
			}
		}
		return g, nil
	}
	if qf != nil && qf.value("since") != "" {
		return "", usagef("--since and --release both set the start of the window; drop --since (or use --previous TAG)")
	}
	n := 0
	for _, v := range []string{f.releasesFile, f.gitDir} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		return "", usagef("--releases-file and --git-dir are two sources of release dates; pass one")
	}
	if f.releasesRepo != "" && !filters.ValidRepo(f.releasesRepo) {
		return "", usagef("--releases-repo %q is not in OWNER/NAME form, e.g. --releases-repo QubesOS/qubes-builderv2", f.releasesRepo)
	}
	return g, nil
}

// releaseRepo is where releases live: --releases-repo, else the one
// repository of the query.
func (f *releaseFlags) releaseRepo(q filters.Query) (owner, name string, err error) {
	r := f.releasesRepo
	if r == "" {
		if len(q.Repos) != 1 {
			return "", "", usagef("--release: say which repository has the release tags with --releases-repo OWNER/NAME (or use --releases-file or --git-dir)")
		}
		r = q.Repos[0]
	}
	owner, name, _ = strings.Cut(r, "/")
	return owner, name, nil
}

// githubClient builds a client for the release endpoints from the API flags
// (nil: $GITHUB_API_URL and the token from the environment).
func (app *App) githubClient(api *apiFlags) (*github.Client, error) {
	var apiFlag, tokenFile string
	if api != nil {
		apiFlag, tokenFile = api.apiURL, api.tokenFile
	}
	apiURL, err := app.apiURL(apiFlag)
	if err != nil {
		return nil, err
	}
	token, err := app.token(tokenFile)
	if err != nil {
		return nil, err
	}
	return ghapi.NewClient(ghapi.ClientOptions{Token: token, APIURL: apiURL, HTTPClient: app.HTTPClient,
		Transport: &ghapi.Transport{MaxWait: api.wait(), Timing: app.timing}})
}

// releaseSource picks the source of release dates from the flags.
func (app *App) releaseSource(f *releaseFlags, q filters.Query, api *apiFlags) (releases.Source, error) {
	switch {
	case f.releasesFile != "":
		return releases.File{Path: f.releasesFile}, nil
	case f.gitDir != "":
		return releases.Git{Dir: f.gitDir}, nil
	}
	owner, name, err := f.releaseRepo(q)
	if err != nil {
		return nil, err
	}
	c, err := app.githubClient(api)
	if err != nil {
		return nil, err
	}
	return &releases.GitHub{Client: c, Owner: owner, Repo: name}, nil
}

// applyRelease replaces q.Closed with the window of --release, when given,
// keeping an explicit --until as the end. It says on stderr which releases
// bound the window, where their dates came from, and the boundary
// convention. It returns nil when --release is not set. api may be nil for
// commands without API flags.
func (app *App) applyRelease(ctx context.Context, f *releaseFlags, qf *queryFlags, api *apiFlags, q *filters.Query) (*releases.Span, error) {
	g, err := f.check(qf)
	if err != nil || f.release == "" {
		return nil, err
	}
	opts := releases.Options{Release: f.release, Previous: f.previous, Granularity: g, Now: app.Now}
	if qf != nil && qf.value("until") != "" {
		opts.Until = q.Closed.To
	}
	src, err := app.releaseSource(f, *q, api)
	if err != nil {
		return nil, err
	}
	span, err := releases.Plan(ctx, src, opts)
	var unknown *releases.UnknownTagError
	if errors.As(err, &unknown) && len(unknown.Near) == 0 && f.releasesRepo == "" && f.releasesFile == "" && f.gitDir == "" {
		// The usual cause: issues in a tracker, tags in the code repository.
		owner, name, _ := f.releaseRepo(*q)
		return nil, fmt.Errorf("%w: %s/%s has no versioned releases or tags; if the tags live in another repository, pass --releases-repo OWNER/NAME", err, owner, name)
	}
	var empty *releases.EmptyWindowError
	if errors.As(err, &empty) {
		// An error, not a link: an empty window reads as "no issues",
		// and explain and check refuse it. No day window can be right
		// (one holding the shared day would overlap the next release's),
		// while instants split the day at the second each was published.
		s := empty.Span
		switch {
		case !s.Release.Time.Equal(s.Previous.Time):
			return nil, usagef("%v: use --granularity instant", err)
		case s.Release.Origin == releases.OriginFile:
			return nil, usagef("%v: give each release its time of day in --releases-file, or pass --previous TAG with an earlier release", err)
		}
		return nil, usagef("%v: pass --previous TAG with an earlier release to list both in one window", err)
	}
	if err != nil {
		return nil, err
	}
	q.Closed = span.Window
	if err := q.Validate(); err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	fmt.Fprintf(app.Stderr, "relnotes: window %s: %s\n", span.Window, span.Describe())
	fmt.Fprintf(app.Stderr, "relnotes: %s\n", releases.Convention(g))
	return &span, nil
}
