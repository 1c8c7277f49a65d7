package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/filters"
)

func newRootCmd(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "relnotes",
		Short: "Write the \"full list of issues\" part of a release announcement",
		Long: `relnotes builds the GitHub link to the issues completed in a release window,
fetches exactly those issues through the GitHub API, and renders them as the
announcement's "full list of issues" section.`,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
		// Commands mark the App as running so that errors from here on are
		// not mistaken for usage errors.
		PersistentPreRun: func(*cobra.Command, []string) { app.ran = true },
	}
	root.SetIn(app.Stdin)
	root.SetOut(app.Stdout)
	root.SetErr(app.Stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// A value an enum flag rejected: its message names the flag and
		// lists the values already.
		if fe := (*filters.FlagError)(nil); errors.As(err, &fe) {
			return fe
		}
		if hint := flagSuggestion(c, err); hint != "" {
			return usagef("%v; %s", err, hint)
		}
		return usagef("%v (see 'relnotes %s --help')", err, c.Name())
	})
	// Completion scripts complete commands, flags and enum values, and
	// --label/--exclude-label from the configuration.
	root.CompletionOptions.HiddenDefaultCmd = false
	root.AddCommand(NewCmdLink(app, nil), NewCmdExplain(app, nil), NewCmdNotes(app, nil), NewCmdChangelog(app, nil), NewCmdDemo(app, nil))
	root.AddCommand(NewCmdCheck(app, nil), NewCmdPublish(app, nil), NewCmdVersion(app))
	root.SetVersionTemplate("{{.Version}}\n")
	return root
}
