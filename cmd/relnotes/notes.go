package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
	allowEmpty      bool
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
		Args: noArgs,
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
	cmd.Flags().BoolVar(&opts.allowEmpty, "allow-empty", false, "with --input: render an input that holds no issues (empty, [] or \"issues\": null) instead of refusing it")
	return cmd
}

func (opts *NotesOptions) validate() error {
	if err := opts.query.validate(); err != nil {
		return err
	}
	if err := opts.release.validate(opts.set["since"]); err != nil {
		return err
	}
	if opts.allowEmpty && opts.input == "" {
		return usagef("--allow-empty applies to --input only")
	}
	return opts.render.validate(opts.set)
}

// queryGiven reports whether the command line says anything about the
// query; without, an --input file of relnotes JSON brings its own.
func (opts *NotesOptions) queryGiven() bool {
	for _, f := range filters.Flags() {
		if opts.set[f.Name] {
			return true
		}
	}
	return opts.release.release != ""
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
	var cl *changelog.Changelog
	if opts.input != "" {
		cl, err = app.notesFromInput(ctx, opts, q, server, enc)
	} else if _, err = app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err == nil {
		cl, err = app.fetch(ctx, q, server, enc, &opts.api, opts.allowIncomplete)
	}
	if err != nil {
		return err
	}
	if cl.Window == (changelog.Window{}) {
		app.warnAllTime()
	}
	if err := opts.render.write(ctx, app, cl, ropt); err != nil {
		return err
	}
	app.report(cl, ropt, cfg, opts.api.quiet, opts.input == "")
	app.warnLeftOut(cl, ropt, cfg)
	return nil
}

// warnLeftOut says how many issues GitHub's release.yml rule left out of
// the notes, and how to list them, and where an author list names an
// account where an app was probably meant.
func (app *App) warnLeftOut(cl *changelog.Changelog, opt templates.Options, cfg *config.Config) {
	app.warn(templates.AuthorHints(cl, opt))
	if n := templates.LeftOut(cl, opt); n > 0 {
		verb := "match no category of %s and are left out"
		if n == 1 {
			verb = "matches no category of %s and is left out"
		}
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s "+verb+", as on GitHub; to list them, add a last category with labels: [\"*\"]\n",
			english.Plural(n, "issue"), configName(cfg))
	}
}

// notesFromInput builds the changelog of an --input file. Relnotes' own
// JSON carries the query it was fetched for: without query flags that query
// is the one rendered, with its link and time, and nothing is asked of the
// API; query flags must give the same query, or the run is refused, so the
// link and the list never describe two different searches. Any other input
// is checked against the query of the flags and configuration.
func (app *App) notesFromInput(ctx context.Context, opts *NotesOptions, q filters.Query, server string, enc filters.Encoding) (*changelog.Changelog, error) {
	in, err := app.readInput(ctx, opts.input, q)
	if err != nil {
		return nil, err
	}
	if in.Query == "" {
		if len(in.Issues) == 0 && !opts.allowEmpty {
			return nil, usagef("--input %s holds no issues (an empty file, [] or \"issues\": null), as a failed export does: check it, or pass --allow-empty to render an empty list", opts.input)
		}
		if _, err := app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err != nil {
			return nil, err
		}
		if len(q.Repos) == 0 && len(q.Orgs) == 0 {
			return nil, errNoRepository
		}
		if err := changelog.TrackerURLs(in.Issues, server); err != nil {
			return nil, inputError(opts.input, err)
		}
		return changelog.New(q, server, enc, in.Issues, app.Now())
	}
	fileQ, err := filters.Parse(in.Query)
	if err != nil {
		return nil, usagef("--input %s: its query: %v", opts.input, err)
	}
	if opts.queryGiven() {
		if _, err := app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err != nil {
			return nil, err
		}
		if diff := queryDifference(q, fileQ); diff != "" {
			return nil, usagef("--input %s was fetched for another query (%s): drop the query flags to render the file's own query, or fetch again", opts.input, diff)
		}
	}
	// The link as the fetch wrote it, in whichever encoding it used.
	if other := filters.EncodingPercent; !opts.set["encoding"] && enc != other && in.URL == fileQ.URL(server, other) {
		enc = other
	}
	if link := fileQ.URL(server, enc); in.URL != "" && link != in.URL {
		return nil, usagef("--input %s links %s, but its query on %s links %s: pass the --server-url it was fetched with", opts.input, in.URL, server, link)
	}
	if err := changelog.TrackerURLs(in.Issues, server); err != nil {
		return nil, inputError(opts.input, err)
	}
	at := in.GeneratedAt
	if at.IsZero() {
		at = app.Now()
	}
	return changelog.New(fileQ, server, enc, in.Issues, at)
}

// queryDifference says how the query of the flags (a) differs from the one
// an input was fetched for (b), or "" when they select the same issues.
func queryDifference(a, b filters.Query) string {
	var diffs []string
	for _, d := range filters.Differences(a, b) {
		diffs = append(diffs, d.Describe("the command line", "the file"))
	}
	if aw, bw := a.Closed.String(), b.Closed.String(); aw != bw {
		diffs = append(diffs, fmt.Sprintf("windows differ: the command line gives closed:%s, the file has closed:%s", aw, bw))
	}
	return strings.Join(diffs, "; ")
}

// readInput reads --input (- for stdin). Exports without URLs (most gh
// --json files) say no repository; with exactly one repository in the
// query it is that one, and every issue is checked against the query
// either way.
func (app *App) readInput(ctx context.Context, path string, q filters.Query) (*changelog.Input, error) {
	r := app.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, usagef("cannot read --input: %v", err)
		}
		defer f.Close()
		r = f
	}
	repo := ""
	if len(q.Repos) == 1 && len(q.Orgs) == 0 {
		repo = q.Repos[0]
	}
	in, err := changelog.ReadInput(ctxReader{ctx, r}, repo)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, inputError(path, err)
	}
	return in, nil
}

// inputError names the --input file in a problem with its content.
func inputError(path string, err error) error {
	msg := fmt.Sprintf("--input %s: %v", path, err)
	if errors.Is(err, changelog.ErrForeignURL) {
		msg += "; relnotes links only to the tracker (--server-url, else GITHUB_SERVER_URL, else https://github.com)"
	}
	return &usageError{msg: msg}
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

// report prints the warnings and, unless quiet, one summary line whose
// counts agree with the output: what was fetched (or read), what did not
// match the query (and, when fetched, why the API returned it), and what
// the configuration left out of the notes.
func (app *App) report(cl *changelog.Changelog, opt templates.Options, cfg *config.Config, quiet, fetched bool) {
	app.warn(cl.Warnings)
	if quiet {
		return
	}
	from := fmt.Sprintf("%d repositories", len(cl.Repositories))
	if len(cl.Repositories) == 1 {
		from = cl.Repositories[0]
	}
	fmt.Fprintf(app.Stderr, "relnotes: %s from %s", english.Plural(cl.Total, "issue"), from)
	if cl.Dropped > 0 {
		verb := "were"
		if cl.Dropped == 1 {
			verb = "was"
		}
		fmt.Fprintf(app.Stderr, "; %s did not match the query and %s left out", english.Plural(cl.Dropped, "item"), verb)
		if fetched {
			// What the API returns that its own query does not match.
			fmt.Fprint(app.Stderr, " (search index lag, or results shifting while paged)")
		}
	}
	if listed := templates.Listed(cl, opt); listed != cl.Total {
		fmt.Fprintf(app.Stderr, "; %d left out by %s, %d listed", cl.Total-listed, configName(cfg), listed)
	}
	fmt.Fprintln(app.Stderr)
}

// configName names the configuration in messages.
func configName(cfg *config.Config) string {
	if cfg == nil || cfg.File == "" {
		return "the configuration"
	}
	return cfg.File
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
