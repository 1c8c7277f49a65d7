package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/releases"
	"github.com/relnotes/relnotes/templates"
)

// ChangelogOptions are what changelog reads.
type ChangelogOptions struct {
	query           queryFlags
	source          releaseFlags // where releases are read and how windows end
	api             apiFlags
	render          renderFlags
	input           string
	sinceRelease    string
	last            int
	unreleased      bool
	prereleases     bool
	omitHotfixes    bool
	rewrite         bool
	allowIncomplete bool
	set             setFlags
}

// changelogFormats are the formats of a whole history.
var changelogFormats = []string{templates.FormatMarkdown, templates.FormatHTML, templates.FormatJSON}

// NewCmdChangelog builds the changelog command; runF, when not nil, runs
// instead of changelogRun once the flags are parsed and checked.
func NewCmdChangelog(app *App, runF func(*ChangelogOptions) error) *cobra.Command {
	opts := &ChangelogOptions{}
	cmd := &cobra.Command{
		Use:   "changelog",
		Short: "Write a CHANGELOG with a section for every release, from one fetch",
		Long: `Write a section for every release, newest first, each with its heading, the link
"relnotes link --release TAG" prints for it, and its issues grouped as notes
groups them. The releases' windows tile time, so one search over the whole
span fetches every section's issues.

With --output FILE in the markdown format, a file written before keeps every
release section it has byte for byte (and the text around them): only the
releases after its newest section, and Unreleased, are fetched. --rewrite
regenerates every section.`,
		Example: `  relnotes changelog --repo acme/app --unreleased --output CHANGELOG.md
  relnotes changelog --repo acme/tracker --releases-repo acme/app --last 10 --format html --standalone -o changes.html
  relnotes changelog --repo acme/app --input issues.json --git-dir . --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return changelogRun(cmd.Context(), app, opts)
		},
	}
	opts.query.register(cmd, app)
	opts.source.registerSource(cmd, "instant", granularityUsage)
	opts.api.register(cmd.Flags())
	opts.render.register(cmd)
	// The formats of one release that a history has no use for.
	format := cmd.Flags().Lookup("format")
	format.Usage = "output format: markdown, html or json"
	format.Value.(*enumValue).allowed = changelogFormats
	_ = cmd.Flags().MarkHidden("template")
	fs := cmd.Flags()
	fs.StringVar(&opts.sinceRelease, "since-release", "", "only the sections of this release `TAG` and the releases published after it (and Unreleased)")
	fs.IntVar(&opts.last, "last", 0, "only the newest `N` release sections (and Unreleased); 0 for all")
	fs.BoolVar(&opts.unreleased, "unreleased", false, "add an Unreleased section: from the latest release to now")
	fs.BoolVar(&opts.prereleases, "prereleases", false, "give each release candidate a section of its own instead of folding it into its final release")
	fs.BoolVar(&opts.omitHotfixes, "omit-hotfixes", false, "leave out the hotfix releases of older series (their issues are in the main-line sections)")
	fs.BoolVar(&opts.rewrite, "rewrite", false, "with --output: regenerate every section instead of adding the new ones")
	fs.StringVar(&opts.input, "input", "", "read issues from this JSON `file` (as notes --input) instead of the API; needs --releases-file or --git-dir")
	fs.BoolVar(&opts.allowIncomplete, "allow-incomplete", false, "accept a list GitHub marked incomplete (timed out) instead of failing; a warning says so")
	return cmd
}

func (opts *ChangelogOptions) validate() error {
	if err := opts.query.validate(); err != nil {
		return err
	}
	for _, name := range []string{"since", "until"} {
		if opts.set[name] {
			return usagef("--%s: the changelog's windows come from the releases; limit them with --since-release TAG or --last N", name)
		}
	}
	if opts.set["template"] {
		return usagef("--template renders one release; changelog writes --format markdown, html or json")
	}
	src := &opts.source
	if err := src.validateSource(); err != nil {
		return err
	}
	if opts.input != "" && src.releasesFile == "" && src.gitDir == "" {
		return usagef("--input reads issues offline; read the releases offline too with --releases-file FILE or --git-dir DIR")
	}
	if opts.last < 0 {
		return usagef("--last %d: give a number of releases, or 0 for all", opts.last)
	}
	if opts.rewrite && opts.render.output == "" {
		return usagef("--rewrite regenerates the file of --output FILE; pass --output")
	}
	return opts.render.validate(opts.set)
}

// renderOptions are notes' render options (flags, then configuration) for
// every section. A configuration's format or template for notes that a
// history has no use for gives way to markdown.
func (opts *ChangelogOptions) renderOptions(cfg *config.Config) (templates.Options, error) {
	ropt, err := opts.render.options(opts.set, cfg)
	if err != nil {
		return ropt, err
	}
	if !slices.Contains(changelogFormats, ropt.Format) {
		ropt.Format, ropt.Template = templates.FormatMarkdown, nil
	}
	// The defaults speak of "this version" and "the previous stable
	// release", which an Unreleased or a prerelease section is not.
	if ropt.Announcement.Sentence == "" {
		ropt.Announcement.Sentence = "See the {link}."
	}
	if ropt.Announcement.LinkText == "" {
		ropt.Announcement.LinkText = "full list of issues"
	}
	return ropt, nil
}

func changelogRun(ctx context.Context, app *App, opts *ChangelogOptions) error {
	cfg, err := app.loadConfig(opts.query.configPath)
	if err != nil {
		return err
	}
	base, err := app.resolveQuery(&opts.query, &opts.api, cfg)
	if err != nil {
		return err
	}
	server, enc, err := app.linkStyle(&opts.query)
	if err != nil {
		return err
	}
	ropt, err := opts.renderOptions(cfg)
	if err != nil {
		return err
	}
	if opts.input == "" && len(base.Repos) == 0 && len(base.Orgs) == 0 {
		return errNoRepository
	}
	// The file a markdown --output updates, read before anything slow.
	var file *releases.ChangelogFile
	if ropt.Format == templates.FormatMarkdown && opts.render.output != "" {
		if file, err = app.readChangelogFile(opts.render.output, opts.rewrite); err != nil {
			return err
		}
	}

	src, err := app.releaseSource(&opts.source, base, &opts.api)
	if err != nil {
		return err
	}
	h, err := releases.PlanHistory(ctx, src, releases.HistoryOptions{
		Granularity:  filters.Granularity(opts.source.granularity),
		Prereleases:  opts.prereleases,
		OmitHotfixes: opts.omitHotfixes,
		Unreleased:   opts.unreleased,
		Now:          app.Now,
		SinceRelease: opts.sinceRelease,
		Last:         opts.last,
	})
	var unknown *releases.UnknownTagError
	if errors.As(err, &unknown) {
		return usagef("--since-release: %v", unknown)
	}
	if err != nil {
		return err
	}
	if len(h.Sections) == 0 {
		return usagef("no releases to write a changelog of; check the release source (--releases-repo, --releases-file or --git-dir), or pass --unreleased")
	}
	todo := h
	if file != nil && !opts.rewrite {
		todo = h.Missing(file.Has)
	}

	secs, outside, err := app.historySections(ctx, opts, todo, base, server, enc, ropt, cfg)
	if err != nil {
		return err
	}
	var render func(io.Writer) error
	if ropt.Format == templates.FormatMarkdown {
		if file == nil {
			file = &releases.ChangelogFile{Head: "# Changelog\n"}
		}
		news := make([]releases.NewSection, len(secs))
		for i, s := range secs {
			var b strings.Builder
			if err := templates.RenderSection(&b, s, ropt); err != nil {
				return err
			}
			news[i] = releases.NewSection{Tag: s.Tag, Unreleased: s.Tag == "", Body: b.String()}
		}
		if err := file.Update(news); err != nil {
			return err
		}
		render = func(w io.Writer) error { _, err := io.WriteString(w, file.String()); return err }
	} else {
		render = func(w io.Writer) error { return templates.RenderHistory(w, secs, ropt) }
	}
	if err := opts.render.writeWith(ctx, app, render); err != nil {
		return err
	}

	if outside > 0 {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s closed in the span fell outside every release window and are in no section\n", english.Plural(outside, "issue"))
	}
	if !opts.api.quiet {
		kept := len(h.Sections) - len(todo.Sections)
		fmt.Fprintf(app.Stderr, "relnotes: %s written", english.Plural(len(secs), "section"))
		if kept > 0 {
			fmt.Fprintf(app.Stderr, ", %s kept as they were", english.Plural(kept, "section"))
		}
		fmt.Fprintln(app.Stderr)
	}
	return nil
}

// readChangelogFile reads the CHANGELOG that --output names, for an
// update; a file that does not exist yet is an empty one. With rewrite, its
// text before the first section and after the last is kept, its sections
// are dropped, and a file whose markers cannot be read is replaced whole.
func (app *App) readChangelogFile(path string, rewrite bool) (*releases.ChangelogFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, usagef("--output: %v", err)
	}
	f, err := releases.ParseChangelogFile(string(data))
	var me *releases.MarkerError
	switch {
	case errors.As(err, &me) && rewrite:
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s: %v; --rewrite replaces the whole file\n", path, me)
		return nil, nil
	case err != nil:
		return nil, &changelogFileError{Path: path, Err: err}
	case !rewrite:
		return f, nil
	}
	// An Unreleased section on top is what Update replaces with the new
	// sections: they land where the old ones were, before the text that
	// followed the last one.
	tail := ""
	if n := len(f.Sections); n > 0 {
		tail = f.Sections[n-1].After
	}
	return &releases.ChangelogFile{Head: f.Head, Sections: []releases.FileSection{{Unreleased: true, After: tail}}}, nil
}

// changelogFileError is a CHANGELOG given to --output that cannot be
// updated.
type changelogFileError struct {
	Path string
	Err  error
}

func (e *changelogFileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *changelogFileError) Unwrap() error { return e.Err }

// historySections fetches (or reads) the issues of every section of h with
// one search over its span, splits them among the sections, and returns the
// sections to render with the number of issues of the span that no
// section's window holds.
func (app *App) historySections(ctx context.Context, opts *ChangelogOptions, h releases.History, base filters.Query, server string, enc filters.Encoding, ropt templates.Options, cfg *config.Config) ([]templates.HistorySection, int, error) {
	var windows []filters.Window
	for _, s := range h.Sections {
		if s.EmptyWindow() == nil {
			windows = append(windows, s.Window)
		}
	}
	var parts []*changelog.Changelog
	outside := 0
	if len(windows) > 0 {
		q := base
		q.Closed = h.Span
		var whole *changelog.Changelog
		var err error
		if opts.input != "" {
			whole, outside, err = app.readSpan(ctx, opts.input, q, server, enc)
		} else {
			whole, err = app.fetch(ctx, q, server, enc, &opts.api, opts.allowIncomplete)
		}
		if err != nil {
			return nil, 0, err
		}
		split, err := whole.Split(base, windows, server, enc)
		if err != nil {
			return nil, 0, err
		}
		app.warn(whole.Warnings)
		app.warnLeftOut(whole, ropt, cfg)
		parts, outside = split.Sections, outside+len(split.Outside)
	}
	out := make([]templates.HistorySection, len(h.Sections))
	for i, s := range h.Sections {
		hs := templates.HistorySection{Title: sectionTitle(s), Tag: s.Release.Tag, Kind: string(s.Kind)}
		if s.Kind != releases.KindUnreleased {
			hs.Published = s.Release.Time
		}
		if s.Previous != nil {
			hs.Previous = s.Previous.Tag
		}
		if ew := s.EmptyWindow(); ew != nil {
			hs.EmptyWindow = ew.Error() + "; its issues are in the section of the release after it."
		} else {
			hs.Changelog, parts = parts[0], parts[1:]
		}
		out[i] = hs
	}
	return out, outside, nil
}

// readSpan reads --input and keeps the issues closed in q's window, as a
// fetch of q would return them, with the number of those closed outside it.
func (app *App) readSpan(ctx context.Context, path string, q filters.Query, server string, enc filters.Encoding) (*changelog.Changelog, int, error) {
	in, err := app.readInput(ctx, path, q)
	if err != nil {
		return nil, 0, err
	}
	if err := changelog.TrackerURLs(in.Issues, server); err != nil {
		return nil, 0, inputError(path, err)
	}
	// Every issue is checked against the query but its window, which the
	// sections split.
	all := q
	all.Closed = filters.Window{}
	cl, err := changelog.New(all, server, enc, in.Issues, app.Now())
	if err != nil {
		return nil, 0, err
	}
	inSpan := cl.Issues[:0]
	outside := 0
	for _, is := range cl.Issues {
		if q.Closed.Contains(is.ClosedAt) {
			inSpan = append(inSpan, is)
		} else {
			outside++
		}
	}
	span, err := changelog.New(q, server, enc, inSpan, app.Now())
	if err != nil {
		return nil, 0, err
	}
	span.Warnings = cl.Warnings
	return span, outside, nil
}

// sectionTitle is a section's heading: the tag and the UTC day it was
// published, and its kind when it is not on the main line.
func sectionTitle(s releases.Section) string {
	day := s.Release.Time.UTC().Format(time.DateOnly)
	switch s.Kind {
	case releases.KindUnreleased:
		return "Unreleased"
	case releases.KindHotfix:
		return fmt.Sprintf("%s (%s, hotfix)", s.Release.Tag, day)
	case releases.KindPrerelease:
		return fmt.Sprintf("%s (%s, prerelease)", s.Release.Tag, day)
	}
	return fmt.Sprintf("%s (%s)", s.Release.Tag, day)
}
