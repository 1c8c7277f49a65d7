package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/changelog/fetch"
	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/templates"
)

// renderFlags say how to render the changelog.
type renderFlags struct {
	format       string
	output       string
	templateFile string
	standalone   bool
	title        string
	sort         string
	mentions     string
	showLabels   bool
	showAuthors  bool
	count        bool
}

func (f *renderFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&f.format, "format", "f", "markdown", "output format: announcement, markdown, html or json")
	fs.StringVarP(&f.output, "output", "o", "", "write to this `file` (atomically: a failed run leaves it untouched) instead of stdout")
	fs.StringVar(&f.templateFile, "template", "", "render with this Go text/template `file` instead of a built-in format")
	fs.BoolVar(&f.standalone, "standalone", false, "html: a complete HTML5 page instead of a fragment")
	fs.StringVar(&f.title, "title", "", "html --standalone: the page title")
	fs.StringVar(&f.sort, "sort", "closed", "order within a section: closed (time, then number), number or title")
	fs.StringVar(&f.mentions, "mentions", "escape", "@user and #123 in titles: escape (no pings, no links on GitHub) or keep")
	fs.BoolVar(&f.showLabels, "show-labels", false, "list each issue's labels")
	fs.BoolVar(&f.showAuthors, "show-authors", false, "name each issue's author")
	fs.BoolVar(&f.count, "count", false, "say how many issues in the announcement sentence")
}

// options builds the renderer's options from the flags and the
// configuration; a flag the user set beats the configuration.
func (f *renderFlags) options(fs *pflag.FlagSet, cfg *config.Config) (templates.Options, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	pick := func(name, flag, conf string) string {
		if !fs.Changed(name) && conf != "" {
			return conf
		}
		return flag
	}
	opt := templates.Options{
		Format:     pick("format", f.format, cfg.Format),
		Standalone: f.standalone,
		Title:      pick("title", f.title, cfg.Title),
		Sort:       pick("sort", f.sort, cfg.Sort),
		Mentions:   templates.Mentions(pick("mentions", f.mentions, cfg.Mentions)),
		CatchAll:   cfg.CatchAll,
		Exclude:    templates.Exclude{Labels: cfg.Exclude.Labels, Authors: cfg.Exclude.Authors},

		LeaveOutUnmatched: cfg.LeaveOutUnmatched,
		ShowLabels:        f.showLabels || (!fs.Changed("show-labels") && cfg.ShowLabels),
		ShowAuthors:       f.showAuthors || (!fs.Changed("show-authors") && cfg.ShowAuthors),
		Announcement: templates.Announcement{
			Sentence: cfg.Announcement.Sentence,
			LinkText: cfg.Announcement.LinkText,
			Count:    f.count || (!fs.Changed("count") && cfg.Announcement.Count),
		},
	}
	for _, s := range cfg.Sections {
		opt.Sections = append(opt.Sections, templates.Section(s))
	}
	tmpl := pick("template", f.templateFile, cfg.Template)
	if tmpl != "" {
		if fs.Changed("format") {
			return opt, usagef("--format and --template both say how to render; pass one of them")
		}
		t, err := templates.ParseTemplateFile(tmpl)
		if err != nil {
			return opt, &usageError{msg: err.Error()}
		}
		opt.Format, opt.Template = templates.FormatTemplate, t
	}
	if err := opt.Validate(); err != nil {
		return opt, &usageError{msg: err.Error()}
	}
	if f.output != "" {
		if _, err := templates.OutputPath(f.output); err != nil {
			return opt, usagef("--output: %v", err)
		}
	}
	return opt, nil
}

// write renders cl to --output atomically, or to stdout only once rendering
// succeeded, so a failure never leaves half a document behind.
func (f *renderFlags) write(ctx context.Context, app *App, cl *changelog.Changelog, opt templates.Options) error {
	render := func(w io.Writer) error { return templates.Render(w, cl, opt) }
	if f.output != "" {
		return templates.WriteFileAtomic(ctx, f.output, render)
	}
	var buf bytes.Buffer
	if err := render(templates.LimitWriter(ctx, &buf, templates.MaxOutput)); err != nil {
		return err
	}
	_, err := app.Stdout.Write(buf.Bytes())
	return err
}

type notesOptions struct {
	query           queryFlags
	release         releaseFlags
	api             apiFlags
	render          renderFlags
	input           string
	allowIncomplete bool
}

func newNotesCmd(app *App) *cobra.Command {
	opts := &notesOptions{}
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
			return notesRun(cmd.Context(), app, cmd.Flags(), opts)
		},
	}
	opts.query.register(cmd.Flags())
	opts.release.register(cmd.Flags())
	opts.api.register(cmd.Flags())
	opts.render.register(cmd.Flags())
	cmd.Flags().StringVar(&opts.input, "input", "", "read issues from this JSON `file` (relnotes JSON, gh --json output, saved /search/issues pages; - for stdin) instead of the API")
	cmd.Flags().BoolVar(&opts.allowIncomplete, "allow-incomplete", false, "accept a list GitHub marked incomplete (timed out) instead of failing; a warning says so")
	return cmd
}

func notesRun(ctx context.Context, app *App, fs *pflag.FlagSet, opts *notesOptions) error {
	q, cfg, err := app.resolveQuery(fs, &opts.query, &opts.release, &opts.api)
	if err != nil {
		return err
	}
	server, enc, err := app.linkStyle(&opts.query)
	if err != nil {
		return err
	}
	ropt, err := opts.render.options(fs, cfg)
	if err != nil {
		return err
	}
	if _, err := app.applyRelease(ctx, &opts.release, &opts.query, &opts.api, &q); err != nil {
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
		return nil, usagef("no repository: pass --repo OWNER/NAME (or --org NAME), or set repos in .relnotes.yml")
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
