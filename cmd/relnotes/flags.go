package main

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

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

func (f *queryFlags) register(fs *pflag.FlagSet) {
	f.values = map[string][]string{}
	for _, qf := range filters.Flags() {
		fs.Var(&queryFlagValue{flag: qf, values: f.values}, qf.Name, qf.Usage)
	}
	f.encoding = "plus"
	fs.Var(&enumValue{name: "encoding", value: &f.encoding, allowed: []string{"plus", "percent"}}, "encoding", "link encoding: plus (space as +, like the classic UI) or percent (space as %20)")
	fs.StringVar(&f.serverURL, "server-url", "", "GitHub web server for links (default $GITHUB_SERVER_URL, else https://github.com)")
	fs.StringVar(&f.configPath, "config", "", "configuration `file` (default: .relnotes.yml, else .github/release.yml, in the working directory)")
}

// value returns the last value given for a filters flag, or "".
func (f *queryFlags) value(name string) string {
	vs := f.values[name]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
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
// values; any other value fails while the command line is parsed.
type enumValue struct {
	name    string
	value   *string
	allowed []string
}

func (e *enumValue) Set(s string) error {
	if !slices.Contains(e.allowed, s) {
		return &filters.FlagError{Flag: e.name, Value: s, Msg: fmt.Sprintf("%q is not one of %s", s, strings.Join(e.allowed, ", "))}
	}
	*e.value = s
	return nil
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
