package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

// argsRegressions are queries whose command line once read back as another
// query; each is also a seed of FuzzArgsRoundTrip.
var argsRegressions = []struct{ query, since, until string }{
	// --label ' bug,x' gave back label:bug,x.
	{query: `label:" bug",x`},
	// --since rounded a sub-second start down where closed:>= rounds up.
	{query: "closed:>=2024-01-01T00:00:00.5Z", since: "2024-01-01T00:00:00.5Z"},
	{query: "closed:2024-01-01T00:00:00.5Z..2024-02-01T00:00:00.5Z", since: "2024-01-01T00:00:00.5Z", until: "2024-02-01T00:00:00.5Z"},
	// --term closed:... was overwritten by the empty --since/--until window.
	{query: "closed:2024-03-26..2024-09-09 closed:>=2024-01-01"},
	{query: "NOT NOT x"},
}

// argsSeeds are query texts for the round trip: labels, values and terms a
// command line has to carry unchanged.
var argsSeeds = []string{
	`repo:QubesOS/qubes-issues is:issue is:closed reason:completed closed:2024-03-26..2024-09-09 -label:"R: cannot reproduce" -label:"R: duplicate"`,
	`label:"a,b","c d ",-x label:"back\slash" label:ünï label:"it's" -label:" lead" -label:"a,b" -label:-x`,
	`is:pr is:open reason:"not planned" type:"Feature request" milestone:"-4.2,3" author:-x author:app/dependabot -author:@me`,
	`org:QubesOS created:>2024-03-26T10:00:00.5+02:00 closed:<2024-09-10 linked:pr sort:updated-desc`,
	`is:issue is:pr -linked:pr linked:pr crash in:title "two words" NOT wontfix -is:pr updated:>2024-01-01`,
	`label:"` + "\u00a0nbsp,\ttab" + `" -label:"` + "line\nbreak" + `" label:"--"`,
	``,
}

// TestArgsRoundTrip runs Args of each query through the real `relnotes link`
// and checks that the query it prints is the one Args came from: the fixed
// rows above, then random queries.
func TestArgsRoundTrip(t *testing.T) {
	for _, r := range argsRegressions {
		checkArgsRoundTrip(t, mustParse(t, r.query))
		checkBoundFlags(t, r.since, r.until)
	}
	for _, s := range argsSeeds {
		checkArgsRoundTrip(t, mustParse(t, s))
	}
	g := &queryGen{rng: rand.New(rand.NewPCG(8, 1))}
	n := 0
	for n < 300 {
		q := g.query()
		if q.Validate() != nil {
			continue
		}
		checkArgsRoundTrip(t, q)
		n++
	}
}

// TestBoundFlags: --since and --until mean what closed: means, including
// sub-second times, for every pair of bounds.
func TestBoundFlags(t *testing.T) {
	bounds := []string{"", "*", "2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5Z",
		"2024-01-01T00:00:00.999999999+14:00", "2024-01-01T01:00:00.25-01:00", "2024-01-02T00:00:00.000000001Z",
		"1969-12-31T23:59:59.5Z", "2024-13-01"}
	for _, since := range bounds {
		for _, until := range bounds {
			checkBoundFlags(t, since, until)
		}
	}
}

// FuzzArgsRoundTrip holds the CLI to both properties: a query's Args read
// back as that query through `relnotes link`, and --since/--until give the
// window closed: gives for the same text.
func FuzzArgsRoundTrip(f *testing.F) {
	for _, r := range argsRegressions {
		f.Add(r.query, r.since, r.until)
	}
	for _, s := range argsSeeds {
		f.Add(s, "", "")
	}
	f.Fuzz(func(t *testing.T, query, since, until string) {
		if q, err := filters.Parse(query); err == nil {
			checkArgsRoundTrip(t, q)
		}
		checkBoundFlags(t, since, until)
	})
}

func mustParse(t *testing.T, s string) filters.Query {
	t.Helper()
	q, err := filters.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// checkArgsRoundTrip runs `relnotes link --query` with q.Args() (and, when q
// names a repository, `relnotes link` for the link) and compares what it
// prints with q. The command line CommandLine prints must split into the
// same Args.
func checkArgsRoundTrip(t *testing.T, q filters.Query) {
	t.Helper()
	args := q.Args()
	r := runCLI(t, nil, append([]string{"link", "--query"}, args...)...)
	if r.code != 0 {
		t.Errorf("relnotes link %q for %s: exit %d: %s", args, q, r.code, r.stderr)
		return
	}
	got := strings.TrimSuffix(r.stdout, "\n")
	if want := q.String(); got != want {
		t.Errorf("relnotes link --query %q\n got %s\nwant %s", args, got, want)
	}
	back, err := filters.Parse(got)
	if err != nil {
		t.Errorf("relnotes link --query %q printed %q: %v", args, got, err)
	} else if d := cmp.Diff(q, back); d != "" {
		t.Errorf("relnotes link --query %q differs (-want +got):\n%s", args, d)
	}
	if len(q.Repos)+len(q.Orgs) > 0 {
		r := runCLI(t, nil, append([]string{"link"}, args...)...)
		if want := q.URL("https://github.com", filters.EncodingPlus) + "\n"; r.stdout != want {
			t.Errorf("relnotes link %q\n got %s\nwant %s", args, r.stdout, want)
		}
	}
	if words := shellSplit(t, q.CommandLine()); !slices.Equal(words[2:], args) {
		t.Errorf("CommandLine() %s splits into %q, want %q", q.CommandLine(), words[2:], args)
	}
}

// checkBoundFlags compares `relnotes link --since S --until U` with the
// query closed:S..U when the query syntax can write both bounds: both fail,
// or both give the same window.
func checkBoundFlags(t *testing.T, since, until string) {
	t.Helper()
	since, until = strings.TrimSpace(since), strings.TrimSpace(until)
	open := func(s string) bool { return s == "" || s == "*" }
	plain := func(s string) bool {
		return !strings.ContainsAny(s, "\"<>=()") && !strings.Contains(s, "..") && strings.IndexFunc(s, unicode.IsSpace) < 0
	}
	if open(since) && open(until) || !plain(since) || !plain(until) {
		return
	}
	end := func(s string) string {
		if open(s) {
			return "*"
		}
		return s
	}
	text := "closed:" + end(since) + ".." + end(until)
	want, werr := filters.Parse(text)
	r := runCLI(t, nil, "link", "--query", "--kind", "any", "--state", "any", "--reason", "any", "--since="+since, "--until="+until)
	switch {
	case werr != nil && r.code == 0:
		t.Errorf("--since %q --until %q gave %s, but %s fails: %v", since, until, r.stdout, text, werr)
	case werr == nil && r.code != 0:
		t.Errorf("--since %q --until %q fails (%s), but %s gives %s", since, until, r.stderr, text, want)
	case werr == nil:
		if got, want := strings.TrimSuffix(r.stdout, "\n"), want.String(); got != want {
			t.Errorf("--since %q --until %q gave %s, %s gives %s", since, until, got, text, want)
		}
	}
}

// queryGen makes random queries from values that are hard to carry on a
// command line: labels with edge spaces, commas, quotes, backslashes, a
// leading '-', unicode; NOT runs; terms that could fill a field.
type queryGen struct{ rng *rand.Rand }

func (g *queryGen) pick(list ...string) string { return list[g.rng.IntN(len(list))] }

func (g *queryGen) some(n int, list ...string) []string {
	var out []string
	for range g.rng.IntN(n + 1) {
		out = append(out, g.pick(list...))
	}
	return out
}

var genLabels = []string{"bug", " bug", "bug ", "a,b", " lead, comma ", `back\slash`, "-x", "--", "-", "ünïcødé 🐛",
	"T: bug", "x,", ",", "it's", "é", " ", "\u00a0nbsp", "tab\there", "line\nbreak", "priority (high)", `say "hi"`, "a=b"}

func (g *queryGen) bound() filters.Bound {
	t := time.Date(2020+g.rng.IntN(6), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), g.rng.IntN(24), g.rng.IntN(60), g.rng.IntN(60), 0, time.UTC)
	switch g.rng.IntN(3) {
	case 0:
		return filters.Bound{}
	case 1:
		return filters.Day(t)
	}
	return filters.Instant(t.In(time.FixedZone("", 3600*(g.rng.IntN(27)-12))))
}

func (g *queryGen) window() filters.Window {
	w := filters.Window{From: g.bound(), To: g.bound()}
	if w.Empty() {
		w.From, w.To = w.To, w.From
	}
	return w
}

func (g *queryGen) query() filters.Query {
	r := g.rng
	q := filters.Query{
		Kind:           []filters.Kind{filters.KindAny, filters.KindIssue, filters.KindPR}[r.IntN(3)],
		State:          []filters.State{filters.StateAny, filters.StateOpen, filters.StateClosed}[r.IntN(3)],
		Reason:         []filters.Reason{filters.ReasonAny, filters.ReasonCompleted, filters.ReasonNotPlanned}[r.IntN(3)],
		Repos:          g.some(2, "o/r", "QubesOS/qubes-issues", "a-b/c.d_e"),
		Orgs:           g.some(1, "QubesOS", "x"),
		ExcludeLabels:  g.some(3, genLabels...),
		Authors:        g.some(2, "marmarek", "app/dependabot", "-dash", "@me", "ünï"),
		ExcludeAuthors: g.some(2, "renovate[bot]", "-x", "app/github-actions"),
		Other:          g.some(3, "crash", "in:title", "no:label", `"two words"`, "-is:pr", "is:pr", "closed:>=2024-01-01", "-crash", `back\slash`, "ünï", "NOT"),
		Closed:         g.window(),
		Created:        g.window(),
	}
	for range r.IntN(4) {
		q.Labels = append(q.Labels, append([]string{g.pick(genLabels...)}, g.some(2, genLabels...)...))
	}
	if r.IntN(2) == 0 {
		q.Other = append(q.Other, "NOT", "wontfix")
	}
	if r.IntN(3) == 0 {
		v := r.IntN(2) == 0
		q.LinkedPR = &v
	}
	if r.IntN(2) == 0 {
		q.Type = g.pick("Bug", "Feature request", "-t", " lead")
	}
	if r.IntN(2) == 0 {
		q.Milestone = g.pick("4.2.3", "Release 4.2", "-m", " lead,", `back\slash`)
	}
	if r.IntN(3) == 0 {
		q.Sort = g.pick("updated-desc", "-x")
	}
	return q
}

// TestFlagValueErrors: a bad enum value fails while the flags are parsed,
// with the one line that names the flag and its values (no pointer to the
// help), exit code 2, as the other flag values do when the query is built.
func TestFlagValueErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"link", "--repo", "o/r", "--state", "merged"}, `relnotes: --state "merged" is not one of closed, open, any`},
		{[]string{"notes", "--kind", "discussion"}, `relnotes: --kind "discussion" is not one of issue, pr, any`},
		{[]string{"link", "--encoding=base64"}, `relnotes: --encoding "base64" is not one of plus, percent`},
		{[]string{"link", "--repo", "o/r", "--label", `"a`}, `relnotes: --label "\"a" has an unterminated quote: add the closing "`},
		{[]string{"link", "--repo", "o/r", "--since", "2024-01-01T00:00:00.5Z", "--until", "2024-01-01T00:00:00.7Z"},
			"relnotes: --since 2024-01-01T00:00:00.5Z and --until 2024-01-01T00:00:00.7Z hold no whole second, and GitHub's times are whole seconds: widen the window"},
		{[]string{"link", "--repo", "o/r", "--since", "2024-01-01T10:00:00+02:00", "--until", "2024-01-01T07:59:59Z"},
			"relnotes: --since 2024-01-01T10:00:00+02:00 is after --until 2024-01-01T07:59:59Z: the window would be empty; swap them"},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		if r.code != exitUsage || r.stdout != "" || r.stderr != tt.want+"\n" {
			t.Errorf("relnotes %q: exit %d, stdout %q, stderr %q; want exit %d and %s", tt.args, r.code, r.stdout, r.stderr, exitUsage, tt.want)
		}
	}
}
