package main

import (
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/filters"
)

// queryFlags are the flags that describe the search, shared by every command
// that builds a query (link, notes, ...).
type queryFlags struct {
	repos          []string
	orgs           []string
	since, until   string
	created        string
	labels         []string
	excludeLabels  []string
	reason         string
	kind           string
	state          string
	issueType      string
	milestone      string
	authors        []string
	excludeAuthors []string
	sort           string
	terms          []string
	encoding       string
	serverURL      string
	configPath     string
}

func (f *queryFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.repos, "repo", nil, "repository `OWNER/NAME` whose issues to list (repeatable)")
	fs.StringArrayVar(&f.orgs, "org", nil, "every repository of organisation `NAME` (repeatable)")
	fs.StringVar(&f.since, "since", "", "start of the closed window, inclusive: a `DATE` such as 2024-03-26 (the whole UTC day) or an RFC 3339 time")
	fs.StringVar(&f.until, "until", "", "end of the closed window, inclusive: a `DATE` such as 2024-09-09 (the whole UTC day) or an RFC 3339 time")
	fs.StringVar(&f.created, "created", "", "created `WINDOW`, as in the search syntax: 2024-01-01..2024-06-30, >=2024-01-01, ...")
	fs.StringArrayVar(&f.labels, "label", nil, "only issues with this `label`; a comma-separated list means any of them (repeatable; all must hold)")
	fs.StringArrayVar(&f.excludeLabels, "exclude-label", nil, "leave out issues with this `label` (repeatable)")
	fs.StringVar(&f.reason, "reason", "completed", "close reason: completed, not-planned or any")
	fs.StringVar(&f.kind, "kind", "issue", "issue, pr or any")
	fs.StringVar(&f.state, "state", "closed", "closed, open or any")
	fs.StringVar(&f.issueType, "issue-type", "", "only issues of this issue `type` (e.g. Bug)")
	fs.StringVar(&f.milestone, "milestone", "", "only issues in the milestone with this `title`")
	fs.StringArrayVar(&f.authors, "author", nil, "only issues opened by this `login` (app/NAME for a GitHub App; repeatable: any of them)")
	fs.StringArrayVar(&f.excludeAuthors, "exclude-author", nil, "leave out issues opened by this `login` (app/NAME for a GitHub App; repeatable)")
	fs.StringVar(&f.sort, "link-sort", "", "web-page sort `ORDER` written into the link, e.g. updated-desc (the order relnotes renders in is --sort)")
	fs.StringArrayVar(&f.terms, "term", nil, "any other search `term`, kept verbatim (repeatable), e.g. --term no:assignee")
	fs.StringVar(&f.encoding, "encoding", "plus", "link encoding: plus (space as +, like the classic UI) or percent (space as %20)")
	fs.StringVar(&f.serverURL, "server-url", "", "GitHub web server for links (default $GITHUB_SERVER_URL, else https://github.com)")
	fs.StringVar(&f.configPath, "config", "", "configuration `file` (default: .relnotes.yml, else .github/release.yml, in the working directory)")
}

// query turns the flags into a filters.Query, rejecting bad input with a
// message that says how to fix it.
func (f *queryFlags) query() (filters.Query, error) {
	var q filters.Query
	var err error
	switch f.kind {
	case "issue":
		q.Kind = filters.KindIssue
	case "pr":
		q.Kind = filters.KindPR
	case "any":
	default:
		return q, usagef("--kind %q is not one of issue, pr, any", f.kind)
	}
	switch f.state {
	case "closed":
		q.State = filters.StateClosed
	case "open":
		q.State = filters.StateOpen
	case "any":
	default:
		return q, usagef("--state %q is not one of closed, open, any", f.state)
	}
	switch strings.ReplaceAll(strings.ReplaceAll(f.reason, "_", "-"), " ", "-") {
	case "completed":
		q.Reason = filters.ReasonCompleted
	case "not-planned":
		q.Reason = filters.ReasonNotPlanned
	case "any":
	default:
		return q, usagef("--reason %q is not one of completed, not-planned, any", f.reason)
	}
	for _, r := range f.repos {
		if !filters.ValidRepo(r) {
			return q, usagef("--repo %q is not in OWNER/NAME form, e.g. --repo QubesOS/qubes-issues", r)
		}
		q.Repos = append(q.Repos, r)
	}
	for _, o := range f.orgs {
		if o == "" || strings.ContainsAny(o, "/ \t\"") {
			return q, usagef("--org %q is not an organisation name, e.g. --org QubesOS", o)
		}
		q.Orgs = append(q.Orgs, o)
	}
	for _, l := range f.labels {
		var alts []string
		for _, a := range strings.Split(l, ",") {
			if a = strings.TrimSpace(a); a != "" {
				alts = append(alts, a)
			}
		}
		if len(alts) == 0 {
			return q, usagef("--label %q names no label", l)
		}
		q.Labels = append(q.Labels, alts)
	}
	for _, l := range f.excludeLabels {
		if strings.TrimSpace(l) == "" {
			return q, usagef("--exclude-label needs a label name")
		}
		q.ExcludeLabels = append(q.ExcludeLabels, l)
	}
	q.Type = f.issueType
	q.Milestone = f.milestone
	q.Authors = append(q.Authors, f.authors...)
	q.ExcludeAuthors = append(q.ExcludeAuthors, f.excludeAuthors...)
	q.Sort = f.sort
	for _, t := range f.terms {
		if err := q.AddTerms(t); err != nil {
			return q, usagef("--term %q: %v", t, err)
		}
	}
	if q.Closed, err = closedWindow(f.since, f.until); err != nil {
		return q, err
	}
	if f.created != "" {
		if q.Created, err = filters.ParseWindow(f.created); err != nil {
			return q, usagef("--created %q: %v", f.created, err)
		}
	}
	if err := q.Validate(); err != nil {
		return q, &usageError{msg: err.Error()}
	}
	return q, nil
}

// closedWindow builds the window from --since and --until, each a day or an
// RFC 3339 instant; either may be empty for an open end.
func closedWindow(since, until string) (filters.Window, error) {
	var w filters.Window
	var err error
	if w.From, err = parseBound("--since", since); err != nil {
		return w, err
	}
	if w.To, err = parseBound("--until", until); err != nil {
		return w, err
	}
	if !w.From.IsOpen() && !w.To.IsOpen() && !w.End().After(w.Start()) {
		return w, usagef("--since %s is after --until %s: the window would be empty; swap them", since, until)
	}
	return w, nil
}

func parseBound(flag, s string) (filters.Bound, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "*" {
		return filters.Bound{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return filters.Day(t), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return filters.Instant(t), nil
	}
	return filters.Bound{}, usagef("%s %q is not a date: use YYYY-MM-DD (a whole UTC day) or an RFC 3339 time such as 2024-03-26T00:00:00Z", flag, s)
}

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
	enc, err := parseEncoding(f.encoding)
	return server, enc, err
}

func parseEncoding(s string) (filters.Encoding, error) {
	switch s {
	case "plus":
		return filters.EncodingPlus, nil
	case "percent":
		return filters.EncodingPercent, nil
	}
	return 0, usagef("--encoding %q is not one of plus, percent", s)
}
