package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/internal/ghemu"
)

// demoNow is the demo tracker's "today": fixed, so the demo prints the same
// section on every machine and every day.
var demoNow = time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC)

// DemoOptions are what demo reads.
type DemoOptions struct {
	render renderFlags
	set    setFlags
}

// NewCmdDemo builds the demo command; runF, when not nil, runs instead of
// demoRun once the flags are parsed and checked.
func NewCmdDemo(app *App, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline offline against a built-in sample tracker",
		Long: `Start a GitHub API emulator on 127.0.0.1 with a sample tracker
(example/tracker, 300 issues and pull requests, some with hostile titles),
then do what "relnotes notes" does against it, with sections for the
labels "T: bug" and "T: enhancement": build the link, fetch every
issue over HTTP, check each, and render the section. No network, no token.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.render.validate(opts.set); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return demoRun(cmd.Context(), app, opts)
		},
	}
	opts.render.register(cmd)
	return cmd
}

func demoRun(ctx context.Context, app *App, opts *DemoOptions) error {
	render := &opts.render
	const token = "demo-token"
	srv, err := ghemu.Start(ghemu.Config{Issues: ghemu.Sample(demoNow), Token: token})
	if err != nil {
		return fmt.Errorf("starting the demo API emulator: %w", err)
	}
	defer srv.Close()

	q := queryFlags{values: map[string][]string{
		"repo":          {"example/tracker"},
		"since":         {"2024-03-26"},
		"until":         {"2024-09-09"},
		"exclude-label": {"R: cannot reproduce", "R: declined", "R: duplicate", "R: not applicable", "R: self-closed", "R: upstream issue"},
	}}
	query, err := q.query()
	if err != nil {
		return err
	}
	// The sample tracker's labels, grouped as a .relnotes.yml would.
	ropt, err := render.options(opts.set, &config.Config{Sections: []config.Section{
		{Title: "Bug fixes", Labels: []string{"T: bug"}},
		{Title: "Enhancements", Labels: []string{"T: enhancement"}},
	}})
	if err != nil {
		return err
	}
	api := &apiFlags{apiURL: srv.URL(), maxWait: time.Minute, quiet: true}
	demo := *app
	demo.Now = func() time.Time { return demoNow }
	demo.Getenv = func(k string) string {
		if k == "GH_TOKEN" {
			return token
		}
		return ""
	}
	cl, err := demo.fetch(ctx, query, "https://github.com", 0, api, false)
	if err != nil {
		return err
	}
	if err := render.write(ctx, app, cl, ropt); err != nil {
		return err
	}
	fmt.Fprintf(app.Stderr, "relnotes demo: fetched %d issues over HTTP from the GitHub API emulator at %s (%s); the link is written for github.com, where the sample repository example/tracker does not exist\n",
		cl.Total, srv.URL(), english.Plural(len(srv.Requests()), "request"))
	return nil
}
