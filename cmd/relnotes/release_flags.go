package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"
	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/releases"
)

// releaseFlags derive the closed window from releases instead of --since:
// every command that builds a query registers them and calls
// app.applyRelease once the query is built.
type releaseFlags struct {
	release      string
	previous     string
	releasesRepo string
	releasesFile string
	gitDir       string
	granularity  string
	verbose      bool
}

// register binds the flags; granularity is the default of --granularity
// ("" for check, which follows the link's own).
func (f *releaseFlags) register(cmd *cobra.Command, granularity, granularityUsage string) {
	fs := cmd.Flags()
	fs.StringVar(&f.release, "release", "", "derive the window from this release `TAG`: from the previous stable release (exclusive) to this one (inclusive)")
	fs.StringVar(&f.previous, "previous", "", "with --release: start after this release `TAG` instead of the previous stable one")
	f.registerSource(cmd, granularity, granularityUsage)
}

// registerSource binds the flags that say where releases are read and how
// windows end, without --release and --previous (changelog has every
// release).
func (f *releaseFlags) registerSource(cmd *cobra.Command, granularity, granularityUsage string) {
	fs := cmd.Flags()
	fs.StringVar(&f.releasesRepo, "releases-repo", "", "read releases and tags from this `OWNER/NAME` (default: the --repo, when there is one)")
	fs.StringVar(&f.releasesFile, "releases-file", "", "read releases from this `file` of version,date-or-instant lines instead of GitHub")
	fs.StringVar(&f.gitDir, "git-dir", "", "read release tags from this local git repository (`DIR`; no network) instead of GitHub")
	enumFlag(cmd, fs, &f.granularity, "granularity", "", granularity, granularityUsage,
		[]string{string(filters.GranularityInstant), string(filters.GranularityDay)}, nil)
	fs.BoolVar(&f.verbose, "verbose", false, "with --release: also explain how the window's ends are chosen (not with --quiet)")
	_ = cmd.MarkFlagDirname("git-dir")
}

// validate rejects bad combinations before any file or network is read.
// since is whether the command line gave --since.
func (f *releaseFlags) validate(since bool) error {
	if f.release == "" {
		// In the order of the help, so the message is the same every run.
		for _, fl := range []struct{ name, value string }{
			{"--previous", f.previous}, {"--releases-repo", f.releasesRepo},
			{"--releases-file", f.releasesFile}, {"--git-dir", f.gitDir},
		} {
			if fl.value != "" {
				return usagef("%s needs --release TAG", fl.name)
			}
		}
		return nil
	}
	if since {
		return usagef("--since and --release both set the start of the window; drop --since (or use --previous TAG)")
	}
	return f.validateSource()
}

// validateSource rejects a release source that cannot be read: two
// sources at once, or a --releases-repo that is not OWNER/NAME.
func (f *releaseFlags) validateSource() error {
	if f.releasesFile != "" && f.gitDir != "" {
		return usagef("--releases-file and --git-dir are two sources of release dates; pass one")
	}
	if f.releasesRepo != "" && !filters.ValidRepo(f.releasesRepo) {
		return usagef("--releases-repo %q is not in OWNER/NAME form, e.g. --releases-repo QubesOS/qubes-builderv2", f.releasesRepo)
	}
	return nil
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

// applyRelease replaces q.Closed with the window of --release, when given;
// until is whether the command line gave --until, which then stays the
// window's end. It says on stderr which releases bound the window and
// where their dates came from and, with --verbose, the convention that
// chose the window's ends. It returns nil when --release is not set.
// api may be nil for commands without API flags.
func (app *App) applyRelease(ctx context.Context, f *releaseFlags, until bool, api *apiFlags, q *filters.Query) (*releases.Span, error) {
	if f.release == "" {
		return nil, nil
	}
	src, err := app.releaseSource(f, *q, api)
	if err != nil {
		return nil, err
	}
	opts := releases.Options{Release: f.release, Previous: f.previous, Granularity: filters.Granularity(f.granularity), Now: app.Now}
	span, err := releases.PlanQuery(ctx, src, opts, q, until)
	var unknown *releases.UnknownTagError
	if errors.As(err, &unknown) && len(unknown.Near) == 0 && f.releasesRepo == "" && f.releasesFile == "" && f.gitDir == "" {
		// The usual cause: issues in a tracker, tags in the code repository.
		owner, name, _ := f.releaseRepo(*q)
		msg, _ := describe(err)
		return nil, usagef("%s: %s/%s has no versioned releases or tags; if the tags live in another repository, pass --releases-repo OWNER/NAME", msg, owner, name)
	}
	if err != nil {
		return nil, err
	}
	d := span.Describe()
	if span.UntilOverride {
		d += "; the end is set by --until"
	}
	fmt.Fprintf(app.Stderr, "relnotes: window %s: %s\n", span.Window, d)
	if f.verbose && (api == nil || !api.quiet) {
		fmt.Fprintf(app.Stderr, "relnotes: %s\n", releases.Convention(span.Granularity))
	}
	return &span, nil
}
