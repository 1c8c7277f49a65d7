package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/internal/bounded"
	"github.com/relnotes/relnotes/releases"
	"github.com/relnotes/relnotes/templates"
)

// PublishOptions are what publish reads.
type PublishOptions struct {
	query     queryFlags
	release   releaseFlags
	api       apiFlags
	render    renderFlags
	dryRun    bool
	notesFile string
	set       setFlags
}

// NewCmdPublish builds the publish command; runF, when not nil, runs
// instead of publishRun once the flags are parsed and checked.
func NewCmdPublish(app *App, runF func(*PublishOptions) error) *cobra.Command {
	opts := &PublishOptions{}
	cmd := &cobra.Command{
		Use:   "publish --release TAG",
		Short: "Write the rendered notes into a GitHub release's body",
		Long: `Render the notes for --release TAG and write them into that release's body
between <!-- relnotes:start --> and <!-- relnotes:end -->, keeping everything
outside the markers byte for byte (the markers are appended when absent).
A second run with the same issues changes nothing. --dry-run prints the
change as a unified diff and sends nothing. A body over GitHub's 125000
characters is refused before anything is sent.

The release is looked up in --releases-repo, else in the one --repo.`,
		Example: `  relnotes publish --repo acme/app --release v1.4.0 --exclude-label wontfix --dry-run
  relnotes publish --repo acme/app --release v1.4.0 --notes-file notes.md`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return publishRun(cmd.Context(), app, opts)
		},
	}
	opts.query.register(cmd, app)
	opts.release.register(cmd, "instant", granularityUsage)
	opts.api.register(cmd.Flags())
	opts.render.register(cmd)
	cmd.Flags().BoolVarP(&opts.dryRun, "dry-run", "n", false, "print the change as a diff and send nothing")
	cmd.Flags().StringVar(&opts.notesFile, "notes-file", "", "publish this already rendered `file` instead of fetching and rendering")
	return cmd
}

func (opts *PublishOptions) validate() error {
	if opts.release.release == "" {
		return usagef("publish needs --release TAG: the release whose body to write")
	}
	if err := opts.query.validate(); err != nil {
		return err
	}
	if err := opts.release.validate(opts.set["since"]); err != nil {
		return err
	}
	return opts.render.validate(opts.set)
}

func publishRun(ctx context.Context, app *App, opts *PublishOptions) error {
	cfg, err := app.loadConfig(opts.query.configPath)
	if err != nil {
		return err
	}
	q, err := app.resolveQuery(&opts.query, &opts.api, cfg)
	if err != nil {
		return err
	}
	owner, repo, err := opts.release.releaseRepo(q)
	if err != nil {
		return err
	}
	client, err := app.githubClient(&opts.api)
	if err != nil {
		return err
	}
	// Fail before the fetch, which can take minutes and most of the search
	// budget: without a token, a release, usable markers or room in its
	// body, nothing can be sent.
	if !opts.dryRun {
		if tok, err := app.token(opts.api.tokenFile); err != nil {
			return err
		} else if tok == "" {
			return usagef("publish needs a token that may edit releases (contents: write): set GH_TOKEN or GITHUB_TOKEN, or pass --token-file; --dry-run works without one")
		}
	}
	p := &releases.Publisher{Client: client, Owner: owner, Repo: repo}
	target, err := p.Prepare(ctx, opts.release.release)
	if err != nil {
		return err
	}

	var notes string
	if opts.notesFile != "" {
		b, err := bounded.ReadFile(opts.notesFile, bounded.NotesLimit)
		if err != nil {
			return usagef("cannot read --notes-file: %v", err)
		}
		notes = string(b)
	} else {
		ropt, err := opts.render.options(opts.set, cfg)
		if err != nil {
			return err
		}
		server, enc, err := app.linkStyle(&opts.query)
		if err != nil {
			return err
		}
		if _, err := app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err != nil {
			return err
		}
		cl, err := app.fetch(ctx, q, server, enc, &opts.api, false)
		if err != nil {
			return err
		}
		if notes, err = renderNotes(cl, ropt); err != nil {
			return err
		}
		app.report(cl, ropt, cfg, opts.api.quiet, true)
		app.warnLeftOut(cl, ropt, cfg)
	}

	res, err := p.PublishTo(ctx, target, notes, opts.dryRun)
	if err != nil {
		return err
	}
	// --output holds the notes the release now carries (in a dry run, would
	// carry), so it is written only once that is so: a failed run leaves it
	// untouched.
	if opts.notesFile == "" && opts.render.output != "" {
		write := func(w io.Writer) error { _, err := io.WriteString(w, notes); return err }
		if err := templates.WriteFileAtomic(ctx, opts.render.output, write); err != nil {
			if res.Sent {
				return fmt.Errorf("the body of release %s was updated, but %w", opts.release.release, err)
			}
			return err
		}
	}
	tag := opts.release.release
	switch {
	case !res.Changed:
		fmt.Fprintf(app.Stderr, "relnotes: release %s is up to date; nothing sent\n", tag)
	case opts.dryRun:
		fmt.Fprint(app.Stdout, releases.UnifiedDiff(res.Old, res.New, "a/"+tag+" (current body)", "b/"+tag+" (with relnotes section)"))
		fmt.Fprintf(app.Stderr, "relnotes: dry run: release %s would change; nothing sent\n", tag)
	default:
		fmt.Fprintf(app.Stderr, "relnotes: updated the body of release %s: %s\n", tag, res.URL)
	}
	return nil
}

// renderNotes renders in memory: the notes go into a release body, not a
// stream, and must be complete before anything is sent.
func renderNotes(cl *changelog.Changelog, opt templates.Options) (string, error) {
	var buf bytes.Buffer
	if err := templates.Render(&buf, cl, opt); err != nil {
		return "", err
	}
	return buf.String(), nil
}
