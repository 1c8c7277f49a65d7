package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/filters"
)

// ExplainOptions are what explain reads.
type ExplainOptions struct {
	input string // a link or a bare query
}

// NewCmdExplain builds the explain command; runF, when not nil, runs
// instead of explainRun once the argument is checked.
func NewCmdExplain(app *App, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{}
	return &cobra.Command{
		Use:   "explain LINK-OR-QUERY",
		Short: "Explain a GitHub issue search link or query, term by term",
		Long: `Explain a GitHub issue search link or query: one qualifier per line with its
meaning, the window in words, and the relnotes link command that reproduces it.`,
		Example: `  relnotes explain 'https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+...'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("explain takes one link or query (quote it), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.input = args[0]
			if runF != nil {
				return runF(opts)
			}
			return explainRun(app, opts)
		},
	}
}

func explainRun(app *App, opts *ExplainOptions) error {
	input := opts.input
	q, err := filters.Parse(input)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	w := app.Stdout
	lines := q.Explain()
	width := 0
	for _, l := range lines {
		width = max(width, len(l.Term))
	}
	for _, l := range lines {
		fmt.Fprintf(w, "%-*s  %s\n", width, l.Term, l.Meaning)
	}
	if len(lines) == 0 {
		fmt.Fprintln(w, "(no search terms: this search matches every issue and pull request)")
	}
	for _, t := range q.Unmatchable() {
		fmt.Fprintf(w, "note: relnotes cannot check %q on fetched issues; it relies on GitHub for it\n", t)
	}

	// The server is scheme://host and needs no shell quoting.
	line := q.CommandLine()
	server, isLink := linkServer(input)
	if isLink && server != "https://github.com" {
		line += " --server-url " + server
	}
	if isLink && strings.Contains(input, "%20") {
		line += " --encoding percent"
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Reproduce with:")
	fmt.Fprintf(w, "  %s\n", line)
	if isLink {
		enc := filters.EncodingPlus
		if strings.Contains(input, "%20") {
			enc = filters.EncodingPercent
		}
		if got := q.URL(server, enc); got != strings.TrimSpace(input) {
			fmt.Fprintln(w, "which prints the same search with its terms in relnotes' canonical order:")
			fmt.Fprintf(w, "  %s\n", got)
		}
	}
	return nil
}

// linkServer returns the scheme and host of a link, and whether the input is
// a link at all (rather than a bare query).
func linkServer(input string) (string, bool) {
	s := strings.TrimSpace(input)
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	return u.Scheme + "://" + u.Host, true
}
