package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/templates"
)

// NotesOptions are what notes reads.
type NotesOptions struct {
	query           queryFlags
	release         releaseFlags
	api             apiFlags
	render          renderFlags
	input           string
	allowIncomplete bool
	set             setFlags
}

// NewCmdNotes builds the notes command; runF, when not nil, runs instead of
// notesRun once the flags are parsed and checked.
func NewCmdNotes(app *App, runF func(*NotesOptions) error) *cobra.Command {
	opts := &NotesOptions{}
	cmd := &cobra.Command{
		Use:   "notes",
		Short: "Fetch the issues behind the link and render the announcement section",
		Long: `Fetch every issue the link shows through the GitHub API (no 1000-result cap,
paced to the rate limits), check each against the query, and render them.

The token comes from --token-file, else $GH_TOKEN, else $GITHUB_TOKEN.`,
		Example: `  relnotes notes --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 \
    --exclude-label "R: duplicate" --format markdown --output notes.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return notesRun(cmd.Context(), app, opts)
		},
	}
	opts.query.register(cmd, app)
	opts.release.register(cmd, "instant", granularityUsage)
	opts.api.register(cmd.Flags())
	opts.render.register(cmd)
	cmd.Flags().StringVar(&opts.input, "input", "", "read issues from this JSON `file` (relnotes JSON, gh --json output, saved /search/issues pages; - for stdin) instead of the API")
	cmd.Flags().BoolVar(&opts.allowIncomplete, "allow-incomplete", false, "accept a list GitHub marked incomplete (timed out) instead of failing; a warning says so")
	return cmd
}

func (opts *NotesOptions) validate() error {
	if err := opts.query.validate(); err != nil {
		return err
	}
	if err := opts.release.validate(opts.set["since"]); err != nil {
		return err
	}
	return opts.render.validate(opts.set)
}

func notesRun(ctx context.Context, app *App, opts *NotesOptions) error {
	cfg, err := app.loadConfig(opts.query.configPath)
	if err != nil {
		return err
	}
	q, err := app.resolveQuery(&opts.query, &opts.api, cfg)
	if err != nil {
		return err
	}
	server, enc, err := app.linkStyle(&opts.query)
	if err != nil {
		return err
	}
	ropt, err := opts.render.options(opts.set, cfg)
	if err != nil {
		return err
	}
	if _, err := app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err != nil {
		return err
	}
	var cl *changelog.Changelog
	if opts.input != "" {
		cl, err = app.readInput(ctx, opts.input, q, server, enc)
	} else {
		cl, err = app.fetch(ctx, q, server, enc, &opts.api, opts.allowIncomplete)
	}
	if err != nil {
		return err
	}
	if err := opts.render.write(ctx, app, cl, ropt); err != nil {
		return err
	}
	app.report(cl, opts.api.quiet)
	app.warnLeftOut(cl, ropt, cfg)
	return nil
}

// warnLeftOut says how many issues GitHub's release.yml rule left out of
// the notes, and how to list them, and where an author list names an
// account where an app was probably meant.
func (app *App) warnLeftOut(cl *changelog.Changelog, opt templates.Options, cfg *config.Config) {
	for _, h := range templates.AuthorHints(cl, opt) {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s\n", h)
	}
	if n := templates.LeftOut(cl, opt); n > 0 {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s match no category of %s and are left out, as on GitHub; to list them, add a last category with labels: [\"*\"]\n",
			english.Plural(n, "issue"), cfg.File)
	}
}

// readInput reads saved issues and checks each against the query, exactly as
// fetched ones are.
func (app *App) readInput(ctx context.Context, path string, q filters.Query, server string, enc filters.Encoding) (*changelog.Changelog, error) {
	r := app.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("cannot read --input: %v", err)
		}
		defer f.Close()
		r = f
	}
	// Exports without URLs (most gh --json files) say no repository; with
	// exactly one repository in the query it is that one, and New checks
	// every issue against the query either way.
	repo := ""
	if len(q.Repos) == 1 && len(q.Orgs) == 0 {
		repo = q.Repos[0]
	}
	issues, err := changelog.ReadIssues(ctxReader{ctx, r}, repo)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, usagef("--input %s: %v", path, err)
	}
	return changelog.New(q, server, enc, issues, app.Now())
}

// fetch runs the query against the GitHub API.
func (app *App) fetch(ctx context.Context, q filters.Query, server string, enc filters.Encoding, api *apiFlags, allowIncomplete bool) (*changelog.Changelog, error) {
	if len(q.Repos) == 0 && len(q.Orgs) == 0 {
		return nil, errNoRepository
	}
	apiURL, err := app.apiURL(api.apiURL)
	if err != nil {
		return nil, err
	}
	token, err := app.token(api.tokenFile)
	if err != nil {
		return nil, err
	}
	if token == "" {
		app.warnUnauthenticated()
	}
	var progress interface {
		fetch.Progress
		Done()
	}
	switch {
	case api.quiet:
		progress = &lineProgress{w: io.Discard, now: app.Now}
	case app.StderrIsTerminal:
		progress = newBarProgress(app.Stderr, app.Now)
	default:
		progress = &lineProgress{w: app.Stderr, now: app.Now}
	}
	defer progress.Done()
	client, err := ghapi.NewClient(ghapi.ClientOptions{
		Token:      token,
		APIURL:     apiURL,
		HTTPClient: app.HTTPClient,
		Transport:  &ghapi.Transport{Progress: progress, MaxWait: api.wait(), Timing: app.timing},
	})
	if err != nil {
		return nil, err
	}
	f := &fetch.Fetcher{
		Client:          client,
		Server:          server,
		Encoding:        enc,
		Now:             app.Now,
		Progress:        progress,
		AllowIncomplete: allowIncomplete,
	}
	return f.Fetch(ctx, q)
}

// report prints the warnings and, unless quiet, one summary line.
func (app *App) report(cl *changelog.Changelog, quiet bool) {
	for _, w := range cl.Warnings {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s\n", w)
	}
	if quiet {
		return
	}
	from := fmt.Sprintf("%d repositories", len(cl.Repositories))
	if len(cl.Repositories) == 1 {
		from = cl.Repositories[0]
	}
	fmt.Fprintf(app.Stderr, "relnotes: %s from %s", english.Plural(cl.Total, "issue"), from)
	if cl.Dropped > 0 {
		fmt.Fprintf(app.Stderr, "; %s did not match the query and were left out", english.Plural(cl.Dropped, "item"))
	}
	fmt.Fprintln(app.Stderr)
}

// ctxReader fails with ctx's error once ctx is done, so that reading a large
// or endless input stops at an interrupt.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
