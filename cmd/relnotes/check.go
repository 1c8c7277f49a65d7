package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/releases"
)

// exitFindings is check's exit code when it found an overlap or a gap, so
// CI can tell "the link is wrong" (3) from "could not check" (1).
const exitFindings = 3

// CheckOptions are what check reads.
type CheckOptions struct {
	link         string
	release      releaseFlags
	api          apiFlags
	previousLink string
	noCount      bool
	configPath   string
}

// NewCmdCheck builds the check command; runF, when not nil, runs instead of
// checkRun once the flags are parsed and checked.
func NewCmdCheck(app *App, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check LINK",
		Short: "Check a hand-written announcement link for overlaps and gaps",
		Long: `Compare the closed window of a hand-written link with the window relnotes
derives for --release TAG and/or with the previous announcement's link
(--previous-link), and report every overlap (issues listed twice) and gap
(issues in no announcement) in days and, when the API is reachable, in issues.

A link with whole days is compared with relnotes' day convention, a link with
exact times with the instant one (see --granularity).

The link's query is also compared, part by part, with the previous link's
and with the query the configuration file gives (.relnotes.yml, else
.github/release.yml, or --config): a repository, kind, close reason or
label exclusion that differs is reported as a difference, and a window with
no end as open-ended.

Exit codes: 0 the link tiles with its neighbours and asks what the
configuration asks; 3 an overlap, a gap, a difference or an open end;
1 the check itself failed; 2 bad usage.`,
		Example: `  relnotes check --release 4.2.3 --releases-repo QubesOS/qubes-builderv2 \
    'https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+closed%3A2024-03-26..2024-09-09'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("check takes one link (quote it), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.link = args[0]
			if err := opts.release.validate(false); err != nil {
				return err
			}
			if opts.release.release == "" && opts.previousLink == "" {
				return usagef("check needs --release TAG, --previous-link LINK, or both, to compare the link with")
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd.Context(), app, opts)
		},
	}
	opts.release.register(cmd, "", "window ends: instant (exact UTC seconds) or day (whole UTC days) (default: the link's own, day for a link with whole days)")
	opts.api.register(cmd.Flags())
	cmd.Flags().StringVar(&opts.previousLink, "previous-link", "", "the previous announcement's `LINK`, to check that the two windows meet exactly")
	cmd.Flags().BoolVar(&opts.noCount, "no-count", false, "report days only; do not fetch the issues in each overlap or gap")
	cmd.Flags().StringVar(&opts.configPath, "config", "", "configuration `file` whose query (repositories, labels, reason, kind, state) the link must ask for (default: .relnotes.yml, else .github/release.yml, when present)")
	return cmd
}

func checkRun(ctx context.Context, app *App, opts *CheckOptions) error {
	q, err := filters.Parse(opts.link)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if q.Closed.IsZero() {
		return usagef("the link has no closed: window, so it lists every closed issue; nothing to check")
	}
	var prev *filters.Window
	var diffs []string
	if opts.previousLink != "" {
		pq, err := filters.Parse(opts.previousLink)
		if err != nil {
			return usagef("--previous-link: %v", err)
		}
		prev = &pq.Closed
		for _, d := range filters.Differences(q, pq) {
			diffs = append(diffs, "difference: "+d.Describe("this link", "the previous link"))
		}
	}
	cfgDiffs, err := app.configDifferences(q, opts.configPath)
	if err != nil {
		return err
	}
	diffs = append(diffs, cfgDiffs...)
	if q.Closed.To.IsOpen() {
		// An announcement's list must not grow after the release.
		diffs = append(diffs, "open-ended: the link's window has no end, so its list keeps growing after the release; end it (closed:START..END)")
	}
	if opts.release.granularity == "" {
		// Compare in the link's own terms: a day link against day windows.
		opts.release.granularity = string(filters.GranularityInstant)
		if q.Closed.From.Day || q.Closed.To.Day {
			opts.release.granularity = string(filters.GranularityDay)
		}
	}
	var span *releases.Span
	if opts.release.release != "" {
		want := q
		if span, err = app.applyRelease(ctx, &opts.release, false, &opts.api, &want); err != nil {
			return err
		}
	}
	rep := releases.Compare(q.Closed, span, prev)
	if rep.OK() && len(diffs) == 0 {
		fmt.Fprintf(app.Stdout, "ok: closed:%s has no overlap and no gap\n", q.Closed)
		return nil
	}
	for _, d := range diffs {
		fmt.Fprintln(app.Stdout, d)
	}
	if rep.OK() {
		return &exitError{code: exitFindings, err: fmt.Errorf("the link's query has %s; its window closed:%s has no overlap and no gap", english.Plural(len(diffs), "problem"), q.Closed)}
	}
	if !opts.noCount {
		app.countFindings(ctx, q, rep.Findings, &opts.api)
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(app.Stdout, "%s: %s\n", f.Kind, f)
	}
	if span != nil {
		fmt.Fprintf(app.Stdout, "expected: closed:%s\n", span.Window)
	}
	what := fmt.Sprintf("%d overlaps or gaps", len(rep.Findings))
	if len(rep.Findings) == 1 {
		what = "a gap"
		if rep.Findings[0].Kind == releases.Overlap {
			what = "an overlap"
		}
	}
	if len(diffs) > 0 {
		what += ", and its query has " + english.Plural(len(diffs), "other problem")
	}
	return &exitError{code: exitFindings, err: fmt.Errorf("the link's window closed:%s has %s with its neighbours", q.Closed, what)}
}

// countFindings fetches the issues of each bounded finding with the link's
// own query, its window narrowed to the finding. A failure (no token, no
// network) leaves the counts out with a warning: the days still stand.
func (app *App) countFindings(ctx context.Context, q filters.Query, findings []releases.Finding, api *apiFlags) {
	if len(q.Repos) == 0 && len(q.Orgs) == 0 {
		return
	}
	server, err := app.serverURL("")
	if err != nil {
		return
	}
	quiet := *api
	quiet.quiet = true
	for i := range findings {
		f := &findings[i]
		if f.Days() < 0 { // unbounded: counting would fetch the whole history
			continue
		}
		sub := q
		sub.Closed = f.Window()
		cl, err := app.fetch(ctx, sub, server, filters.EncodingPlus, &quiet, false)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return
			}
			fmt.Fprintf(app.Stderr, "relnotes: warning: could not count the issues in the %s (%v); reporting days only\n", f.Kind, err)
			return
		}
		f.Issues = cl.Total
	}
}

// configDifferences compares q with the query the configuration file gives
// (.relnotes.yml, else .github/release.yml, or path): the announcement should
// ask for what the project configured, such as its label exclusions. A
// configuration that names no repository is compared on the rest; no file, or
// one that sets no query key, gives nothing to compare.
func (app *App) configDifferences(q filters.Query, path string) ([]string, error) {
	cfg, err := app.loadConfig(path)
	if err != nil {
		return nil, err
	}
	values := map[string][]string{}
	cfg.ApplyTo(values)
	if len(values) == 0 {
		return nil, nil
	}
	if values["repo"] == nil && values["org"] == nil {
		values["repo"], values["org"] = q.Repos, q.Orgs
	}
	want, err := filters.ParseFlags(values)
	if err != nil {
		return nil, usagef("%s: %v", cfg.File, err)
	}
	var out []string
	for _, d := range filters.Differences(q, want) {
		out = append(out, "difference: "+d.Describe("this link", "the configuration "+filepath.Base(cfg.File)))
	}
	return out, nil
}
