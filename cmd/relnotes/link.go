package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

// LinkOptions are what link reads: the query, the release window and (for
// --release only) how to reach the API.
type LinkOptions struct {
	query    queryFlags
	release  releaseFlags
	api      apiFlags
	textOnly bool
	set      setFlags
}

// NewCmdLink builds the link command; runF, when not nil, runs instead of
// linkRun once the flags are parsed and checked (tests use it).
func NewCmdLink(app *App, runF func(*LinkOptions) error) *cobra.Command {
	opts := &LinkOptions{}
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Print the GitHub link to the issues completed in a release window",
		Long: `Print the github.com link a person would paste into an announcement: the
issues closed as completed in the window, minus the excluded labels.`,
		Example: `  relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 \
    --exclude-label "R: duplicate" --exclude-label "R: declined"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.query.validate(); err != nil {
				return err
			}
			if err := opts.release.validate(opts.set["since"]); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return linkRun(cmd.Context(), app, opts)
		},
	}
	opts.query.register(cmd, app)
	opts.release.register(cmd, "instant", granularityUsage)
	opts.api.register(cmd.Flags())
	cmd.Flags().BoolVar(&opts.textOnly, "query", false, "print the search text instead of the link")
	return cmd
}

func linkRun(ctx context.Context, app *App, opts *LinkOptions) error {
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
	if !opts.textOnly && len(q.Repos) == 0 && len(q.Orgs) == 0 {
		return errNoRepository
	}
	if _, err := app.applyRelease(ctx, &opts.release, opts.set["until"], &opts.api, &q); err != nil {
		return err
	}
	if q.Closed.IsZero() {
		app.warnAllTime()
	}
	if opts.textOnly {
		fmt.Fprintln(app.Stdout, q.String())
		return nil
	}
	fmt.Fprintln(app.Stdout, q.URL(server, enc))
	return nil
}
