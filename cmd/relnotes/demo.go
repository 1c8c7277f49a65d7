package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
	"github.com/relnotes/relnotes/internal/ghemu"
)

// demoNow is the sandbox tracker's "today": fixed, so the demo prints the
// same section on every machine and every day.
var demoNow = ghemu.SandboxNow

// demoQuery is what demo searches when neither the flags nor the
// configuration say: the sample tracker's 4.2.3 window, without the
// issues closed for a reason other than a fix.
var demoQuery = map[string][]string{
	"repo":          {ghemu.SandboxRepo},
	"since":         {"2024-03-26"},
	"until":         {"2024-09-09"},
	"exclude-label": {"R: cannot reproduce", "R: declined", "R: duplicate", "R: not applicable", "R: self-closed", "R: upstream issue"},
}

// demoSections group the sample tracker's labels when the configuration
// has no sections.
var demoSections = []config.Section{
	{Title: "Bug fixes", Labels: []string{"T: bug"}},
	{Title: "Enhancements", Labels: []string{"T: enhancement"}},
}

// DemoOptions are what demo reads: notes' query, release, render and
// configuration options, and whether to keep the sandbox serving.
type DemoOptions struct {
	query   queryFlags
	release releaseFlags
	render  renderFlags
	quiet   bool
	serve   bool
	listen  string
	set     setFlags
}

// NewCmdDemo builds the demo command; runF, when not nil, runs instead of
// demoRun once the flags are parsed and checked.
func NewCmdDemo(app *App, runF func(*DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline offline against a built-in sample tracker",
		Long: `Start a GitHub API sandbox on 127.0.0.1 with a sample tracker
(example/tracker, 300 issues and pull requests, some with hostile titles,
and releases v4.2.0 to v4.2.4), then do what "relnotes notes" does against
it: build the link, fetch every issue over HTTP, check each, and render the
section. No network, no token. It takes notes' query, release and render
flags and reads .relnotes.yml or .github/release.yml; what they leave unset
is the sample tracker's 4.2.3 window, with sections for the labels
"T: bug" and "T: enhancement".

With --serve, the sandbox stays up until interrupted and demo prints the
--api-url, a token and commands (notes, check, publish) to try against it.`,
		Example: `  relnotes demo --format html --standalone > notes.html
  relnotes demo --release v4.2.3 --granularity day
  relnotes demo --serve --listen 127.0.0.1:8080`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.set = changedFlags(cmd.Flags())
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			if opts.serve {
				return demoServe(cmd.Context(), app, opts)
			}
			return demoRun(cmd.Context(), app, opts)
		},
	}
	opts.query.register(cmd, app)
	opts.release.register(cmd, "instant", granularityUsage)
	opts.render.register(cmd)
	cmd.Flags().BoolVarP(&opts.quiet, "quiet", "q", false, "no summary on stderr (warnings and errors still appear)")
	cmd.Flags().BoolVar(&opts.serve, "serve", false, "keep the sandbox serving until interrupted, and print how to point relnotes at it")
	cmd.Flags().StringVar(&opts.listen, "listen", "127.0.0.1:0", "with --serve: the loopback `HOST:PORT` to serve on (port 0: any free port)")
	return cmd
}

func (opts *DemoOptions) validate() error {
	if opts.set["listen"] && !opts.serve {
		return usagef("--listen applies to --serve only")
	}
	if opts.serve {
		for name := range opts.set {
			if name != "serve" && name != "listen" {
				return usagef("--serve takes no other flags than --listen: the commands it prints take them")
			}
		}
		host, _, err := net.SplitHostPort(opts.listen)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return usagef("--listen %q is not a loopback HOST:PORT such as 127.0.0.1:8080; the sandbox serves this machine only", opts.listen)
		}
	}
	if err := opts.query.validate(); err != nil {
		return err
	}
	if err := opts.release.validate(opts.set["since"]); err != nil {
		return err
	}
	return opts.render.validate(opts.set)
}

// sandboxToken is a fresh token for one sandbox.
func sandboxToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "demo-" + hex.EncodeToString(b)
}

func demoRun(ctx context.Context, app *App, opts *DemoOptions) error {
	cfg, err := app.loadConfig(opts.query.configPath)
	if err != nil {
		return err
	}
	cfg.ApplyTo(opts.query.values)
	for name, v := range demoQuery {
		window := name == "since" || name == "until"
		if _, given := opts.query.values[name]; !given && !(window && (opts.release.release != "" || opts.set["since"] || opts.set["until"])) &&
			!(name == "repo" && len(opts.query.values["org"]) > 0) {
			opts.query.values[name] = slices.Clone(v)
		}
	}
	if len(cfg.Sections) == 0 {
		cfg.Sections = demoSections
	}
	token := sandboxToken()
	srv, err := ghemu.StartSandbox("", token)
	if err != nil {
		return fmt.Errorf("starting the demo API sandbox: %w", err)
	}
	defer srv.Close()

	// The run is notes' own, against the sandbox with its token and clock:
	// the token goes through the same path as one from the environment.
	demo := *app
	demo.Now = func() time.Time { return demoNow }
	demo.Token = token
	api := &apiFlags{apiURL: srv.URL(), maxWait: time.Minute, quiet: true}
	q, err := demo.resolveQuery(&opts.query, api, cfg)
	if err != nil {
		return err
	}
	server, enc, err := demo.linkStyle(&opts.query)
	if err != nil {
		return err
	}
	ropt, err := opts.render.options(opts.set, cfg)
	if err != nil {
		return err
	}
	// Progress stays off; --quiet still silences --verbose.
	relAPI := *api
	relAPI.quiet = opts.quiet
	if _, err := demo.applyRelease(ctx, &opts.release, opts.set["until"], &relAPI, &q); err != nil {
		return err
	}
	cl, err := demo.fetch(ctx, q, server, enc, api, false)
	if err != nil {
		return err
	}
	if err := opts.render.write(ctx, app, cl, ropt); err != nil {
		return err
	}
	app.report(cl, ropt, cfg, true, true)
	app.warnLeftOut(cl, ropt, cfg)
	if !opts.quiet {
		fmt.Fprintf(app.Stderr, "relnotes demo: fetched %s over HTTP from the GitHub API sandbox at %s (%s); the link is written for %s, where the sample repository %s does not exist\n",
			english.Plural(cl.Total, "issue"), srv.URL(), english.Plural(len(srv.Requests()), "request"), server, ghemu.SandboxRepo)
	}
	return nil
}

// demoServe keeps the sandbox up until ctx ends, and prints how to use it.
func demoServe(ctx context.Context, app *App, opts *DemoOptions) error {
	token := sandboxToken()
	srv, err := ghemu.StartSandbox(opts.listen, token)
	if err != nil {
		return usagef("--listen %s: %v", opts.listen, err)
	}
	defer srv.Close()
	api := srv.URL()
	q, err := filters.ParseFlags(map[string][]string{"repo": {ghemu.SandboxRepo}, "since": {"2024-07-01"}, "until": {"2024-09-09"}})
	if err != nil {
		return err
	}
	link := q.URL("https://github.com", filters.EncodingPlus)
	fmt.Fprintf(app.Stdout, `A GitHub API sandbox with the sample tracker %[1]s and its releases
(v4.2.0 to v4.2.3, a draft v4.2.4) is serving at %[2]s until interrupted (Ctrl-C).
Its data lives in memory: publish changes it until it stops. In another shell:

  export GH_TOKEN=%[3]s
  relnotes notes --api-url %[2]s --repo %[1]s --release v4.2.3 --exclude-label "R: duplicate"
  relnotes check --api-url %[2]s --releases-repo %[1]s --release v4.2.3 '%[4]s'
  relnotes publish --api-url %[2]s --repo %[1]s --release v4.2.3 --dry-run
  relnotes publish --api-url %[2]s --repo %[1]s --release v4.2.3
`, ghemu.SandboxRepo, api, token, link)
	<-ctx.Done()
	fmt.Fprintln(app.Stderr, "relnotes demo: the sandbox stopped")
	return nil
}
