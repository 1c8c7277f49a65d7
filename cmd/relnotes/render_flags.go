package main

import (
	"bytes"
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/config"
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

// formatAliases are names people type for a format, offered as "did you
// mean" and never accepted silently.
var formatAliases = map[string]string{"md": "markdown", "gfm": "markdown", "htm": "html", "announce": "announcement"}

func (f *renderFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	enumFlag(cmd, fs, &f.format, "format", "f", "markdown", "output format: announcement, markdown, html or json",
		[]string{templates.FormatAnnouncement, templates.FormatMarkdown, templates.FormatHTML, templates.FormatJSON}, formatAliases)
	fs.StringVarP(&f.output, "output", "o", "", "write to this `file` (atomically: a failed run leaves it untouched) instead of stdout")
	fs.StringVar(&f.templateFile, "template", "", "render with this Go text/template `file` instead of a built-in format")
	fs.BoolVar(&f.standalone, "standalone", false, "html: a complete HTML5 page instead of a fragment")
	fs.StringVar(&f.title, "title", "", "html --standalone: the page title")
	enumFlag(cmd, fs, &f.sort, "sort", "", "closed", "order within a section: closed (time, then number), number or title", templates.Sorts, nil)
	enumFlag(cmd, fs, &f.mentions, "mentions", "", "escape", "@user and #123 in titles: escape (no pings, no links on GitHub) or keep",
		[]string{string(templates.MentionsEscape), string(templates.MentionsKeep)}, nil)
	fs.BoolVar(&f.showLabels, "show-labels", false, "list each issue's labels")
	fs.BoolVar(&f.showAuthors, "show-authors", false, "name each issue's author")
	fs.BoolVar(&f.count, "count", false, "say how many issues in the announcement sentence")
}

// validate rejects render flags that contradict each other, before any
// file is read.
func (f *renderFlags) validate(set setFlags) error {
	if set["format"] && set["template"] {
		return usagef("--format and --template both say how to render; pass one of them")
	}
	if f.standalone && set["format"] && f.format != templates.FormatHTML {
		return usagef("--standalone applies only to --format html")
	}
	return nil
}

// options builds the renderer's options from the flags and the
// configuration; a flag the user set beats the configuration.
func (f *renderFlags) options(set setFlags, cfg *config.Config) (templates.Options, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	pick := func(name, flag, conf string) string {
		if !set[name] && conf != "" {
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
		ShowLabels:        f.showLabels || (!set["show-labels"] && cfg.ShowLabels),
		ShowAuthors:       f.showAuthors || (!set["show-authors"] && cfg.ShowAuthors),
		Announcement: templates.Announcement{
			Sentence: cfg.Announcement.Sentence,
			LinkText: cfg.Announcement.LinkText,
			Count:    f.count || (!set["count"] && cfg.Announcement.Count),
		},
	}
	for _, s := range cfg.Sections {
		opt.Sections = append(opt.Sections, templates.Section(s))
	}
	// A --format given on the command line beats a template named in the
	// configuration, as every flag beats the file.
	tmpl := f.templateFile
	if !set["template"] && !set["format"] {
		tmpl = cfg.Template
	}
	if tmpl != "" {
		t, err := templates.ParseTemplateFile(tmpl)
		if err != nil {
			return opt, err
		}
		opt.Format, opt.Template = templates.FormatTemplate, t
	}
	if err := opt.Validate(); err != nil {
		return opt, &usageError{msg: err.Error()}
	}
	// A misspelt field fails here, before the fetch, not after it.
	if err := templates.Check(opt); err != nil {
		return opt, err
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
	return f.writeWith(ctx, app, func(w io.Writer) error { return templates.Render(w, cl, opt) })
}

// writeWith writes what render writes as write does.
func (f *renderFlags) writeWith(ctx context.Context, app *App, render func(io.Writer) error) error {
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
