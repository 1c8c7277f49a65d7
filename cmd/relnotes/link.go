package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type linkOptions struct {
	query    queryFlags
	release  releaseFlags
	api      apiFlags // only --release reads the API
	textOnly bool
}

func newLinkCmd(app *App) *cobra.Command {
	opts := &linkOptions{}
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Print the GitHub link to the issues completed in a release window",
		Long: `Print the github.com link a person would paste into an announcement: the
issues closed as completed in the window, minus the excluded labels.`,
		Example: `  relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 \
    --exclude-label "R: duplicate" --exclude-label "R: declined"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return linkRun(cmd.Context(), app, cmd.Flags(), opts)
		},
	}
	opts.query.register(cmd.Flags())
	opts.release.register(cmd.Flags())
	opts.api.register(cmd.Flags())
	cmd.Flags().BoolVar(&opts.textOnly, "query", false, "print the search text instead of the link")
	return cmd
}

func linkRun(ctx context.Context, app *App, fs *pflag.FlagSet, opts *linkOptions) error {
	q, _, err := app.resolveQuery(fs, &opts.query, &opts.release, &opts.api)
	if err != nil {
		return err
	}
	server, enc, err := app.linkStyle(&opts.query)
	if err != nil {
		return err
	}
	if !opts.textOnly && len(q.Repos) == 0 && len(q.Orgs) == 0 {
		return usagef("no repository: pass --repo OWNER/NAME (or --org NAME), or set repos in .relnotes.yml")
	}
	if _, err := app.applyRelease(ctx, &opts.release, &opts.query, &opts.api, &q); err != nil {
		return err
	}
	if opts.textOnly {
		fmt.Fprintln(app.Stdout, q.String())
		return nil
	}
	fmt.Fprintln(app.Stdout, q.URL(server, enc))
	return nil
}
