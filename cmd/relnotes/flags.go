package main

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/filters"
)

// queryFlags are the flags that describe the search, shared by every command
// that builds a query (link, notes, ...): filters.Flags bound to pflag, plus
// how links are written and where the configuration is.
type queryFlags struct {
	values     map[string][]string // the filters.Flags given, by name
	encoding   string
	serverURL  string
	configPath string
}

func (f *queryFlags) register(cmd *cobra.Command, app *App) {
	fs := cmd.Flags()
	f.values = map[string][]string{}
	for _, qf := range filters.Flags() {
		fs.Var(&queryFlagValue{flag: qf, values: f.values}, qf.Name, qf.Usage)
		if qf.Values != nil {
			completeValues(cmd, qf.Name, qf.Values)
		}
	}
	// Labels complete from the configuration the command would read.
	labels := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return app.configLabels(f.configPath), cobra.ShellCompDirectiveNoFileComp
	}
	for _, name := range []string{"label", "exclude-label"} {
		_ = cmd.RegisterFlagCompletionFunc(name, labels)
	}
	enumFlag(cmd, fs, &f.encoding, "encoding", "", "plus", "link encoding: plus (space as +, like the classic UI) or percent (space as %20)", []string{"plus", "percent"}, nil)
	fs.StringVar(&f.serverURL, "server-url", "", "GitHub web server for links (default $GITHUB_SERVER_URL, else https://github.com)")
	fs.StringVar(&f.configPath, "config", "", "configuration `file` (default: .relnotes.yml, else .github/release.yml, in the working directory)")
}

// noArgs refuses arguments to a command that takes none, saying so: cobra's
// own message calls the first one an unknown command.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (a flag value with spaces needs quotes; see '%s --help')", cmd.Name(), args[0], cmd.CommandPath())
	}
	return nil
}

// granularityUsage is --granularity's help where it defaults to instant.
const granularityUsage = "window ends: instant (exact UTC seconds) or day (whole UTC days, for announcements)"

// errNoRepository refuses a query over all of GitHub.
var errNoRepository = usagef("no repository: pass --repo OWNER/NAME (or --org NAME), or set repos in .relnotes.yml")

// warn prints each of a library's warnings on a line of its own.
func (app *App) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s\n", w)
	}
}

// warnAllTime says that a query has no closed window: its link lists every
// issue ever closed, which an announcement hardly means.
func (app *App) warnAllTime() {
	fmt.Fprintln(app.Stderr, "relnotes: warning: no window: the link lists every matching issue of all time; pass --since and --until, or --release TAG")
}

// validate rejects query flags that no configuration can make right (a
// window the wrong way round, a malformed repository), before any file is
// read.
func (f *queryFlags) validate() error {
	_, err := f.query()
	return err
}

// query turns the flags into a filters.Query. A *filters.FlagError names
// its flag already; any other error is the query as a whole.
func (f *queryFlags) query() (filters.Query, error) {
	q, err := filters.ParseFlags(f.values)
	var fe *filters.FlagError
	if err != nil && !errors.As(err, &fe) {
		return q, &usageError{msg: err.Error()}
	}
	return q, err
}

// queryFlagValue is the pflag.Value of one filters.Flag: it records each
// value in order, and rejects a value outside an enum's list while the
// command line is parsed.
type queryFlagValue struct {
	flag   filters.Flag
	values map[string][]string
}

func (v *queryFlagValue) Set(s string) error {
	if v.flag.Values != nil {
		if err := v.flag.Check(s); err != nil {
			var fe *filters.FlagError
			if errors.As(err, &fe) {
				if near := closest(s, v.flag.Values); near != "" && near != s {
					fe.Msg += "; did you mean " + near + "?"
				}
			}
			return err
		}
	}
	if v.flag.Repeated {
		v.values[v.flag.Name] = append(v.values[v.flag.Name], s)
	} else {
		v.values[v.flag.Name] = []string{s}
	}
	return nil
}

// String is what pflag shows as the default: the flag's Default while the
// flag is not set, which is "" (no default shown) for a repeatable one.
func (v *queryFlagValue) String() string {
	vs, ok := v.values[v.flag.Name]
	switch {
	case !ok:
		return v.flag.Default
	case v.flag.Repeated:
		return "[" + strings.Join(vs, ",") + "]"
	}
	return vs[0]
}

func (v *queryFlagValue) Type() string {
	if v.flag.Repeated {
		return "stringArray"
	}
	return "string"
}

// enumValue is a string flag, not part of a query, with a fixed list of
// values; any other value fails while the command line is parsed, with the
// nearest allowed value (or the one a common alias stands for) as a hint.
type enumValue struct {
	name    string
	value   *string
	allowed []string
	aliases map[string]string // what a person may type for an allowed value, for the hint only
}

func (e *enumValue) Set(s string) error {
	if !slices.Contains(e.allowed, s) {
		msg := fmt.Sprintf("%q is not one of %s", s, strings.Join(e.allowed, ", "))
		near := e.aliases[strings.ToLower(s)]
		if near == "" {
			near = closest(s, e.allowed)
		}
		if near != "" {
			msg += "; did you mean " + near + "?"
		}
		return &filters.FlagError{Flag: e.name, Value: s, Msg: msg}
	}
	*e.value = s
	return nil
}

// enumFlag binds an enumValue to fs and completes its values.
func enumFlag(cmd *cobra.Command, fs *pflag.FlagSet, p *string, name, short, value, usage string, allowed []string, aliases map[string]string) {
	*p = value
	fs.VarP(&enumValue{name: name, value: p, allowed: allowed, aliases: aliases}, name, short, usage)
	completeValues(cmd, name, allowed)
}

// completeValues makes the shell complete flag name with values.
func completeValues(cmd *cobra.Command, name string, values []string) {
	if cmd == nil {
		return
	}
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// setFlags are the names of the flags given on the command line: where a
// flag and the configuration both say something, the flag wins, so the run
// functions need to know which were given without seeing the FlagSet.
type setFlags map[string]bool

func changedFlags(fs *pflag.FlagSet) setFlags {
	set := setFlags{}
	fs.Visit(func(f *pflag.Flag) { set[f.Name] = true })
	return set
}

func (e *enumValue) String() string { return *e.value }
func (e *enumValue) Type() string   { return "string" }

// serverURL picks the web server for links: the flag, else
// $GITHUB_SERVER_URL, else github.com.
func (app *App) serverURL(flag string) (string, error) {
	s, from := flag, "--server-url"
	if s == "" {
		s, from = app.getenv("GITHUB_SERVER_URL"), "GITHUB_SERVER_URL"
	}
	if s == "" {
		return "https://github.com", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", usagef("%s %q is not a web server URL such as https://github.com or https://ghe.example.com", from, s)
	}
	return strings.TrimRight(s, "/"), nil
}

// linkStyle is how links are written: the server from --server-url (or the
// environment) and the --encoding.
func (app *App) linkStyle(f *queryFlags) (string, filters.Encoding, error) {
	server, err := app.serverURL(f.serverURL)
	if err != nil {
		return "", 0, err
	}
	if f.encoding == "percent" {
		return server, filters.EncodingPercent, nil
	}
	return server, filters.EncodingPlus, nil
}
