package filters

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedLink is the "full list of issues" link of the Qubes OS 4.2.3
// announcement, byte for byte.
const seedLink = `https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+cannot+reproduce%22+-label%3A%22R%3A+declined%22+-label%3A%22R%3A+duplicate%22+-label%3A%22R%3A+not+applicable%22+-label%3A%22R%3A+self-closed%22+-label%3A%22R%3A+upstream+issue%22`

const seedText = `is:issue is:closed reason:completed closed:2024-03-26..2024-09-09 -label:"R: cannot reproduce" -label:"R: declined" -label:"R: duplicate" -label:"R: not applicable" -label:"R: self-closed" -label:"R: upstream issue"`

func day(s string) Bound {
	t, err := time.Parse(dayLayout, s)
	if err != nil {
		panic(err)
	}
	return Day(t)
}

func instant(s string) Bound {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return Instant(t)
}

func ptr[T any](v T) *T { return &v }

func seedQuery() Query {
	return Query{
		Repos:  []string{"QubesOS/qubes-issues"},
		Kind:   KindIssue,
		State:  StateClosed,
		Reason: ReasonCompleted,
		Closed: Window{From: day("2024-03-26"), To: day("2024-09-09")},
		ExcludeLabels: []string{"R: cannot reproduce", "R: declined", "R: duplicate",
			"R: not applicable", "R: self-closed", "R: upstream issue"},
	}
}

// queryTests feeds the parse, print and round-trip tests, like net/url's
// urltests: in is what a user gives Parse, want is String of the result
// ("" means the same as in), and q, when set, is the Query Parse must return.
var queryTests = []struct {
	in   string
	want string
	q    *Query
}{
	{in: seedText, q: &Query{Kind: KindIssue, State: StateClosed, Reason: ReasonCompleted,
		Closed: Window{From: day("2024-03-26"), To: day("2024-09-09")},
		ExcludeLabels: []string{"R: cannot reproduce", "R: declined", "R: duplicate",
			"R: not applicable", "R: self-closed", "R: upstream issue"}}},
	{in: seedLink, want: "repo:QubesOS/qubes-issues " + seedText, q: ptr(seedQuery())},
	{in: strings.ReplaceAll(seedLink, "+", "%20") + " \n", want: "repo:QubesOS/qubes-issues " + seedText},
	{in: "state:closed is:issue", want: "is:issue is:closed"},
	{in: `is:pr is:open milestone:"Release 4.2.3"`,
		q: &Query{Kind: KindPR, State: StateOpen, Milestone: "Release 4.2.3"}},
	{in: "type:Bug label:bug,enhancement", q: &Query{Type: "Bug", Labels: [][]string{{"bug", "enhancement"}}}},
	{in: `label:"R: cannot reproduce","R: duplicate"`},
	{in: `label:"a b","c"`, want: `label:"a b",c`, q: &Query{Labels: [][]string{{"a b", "c"}}}},
	{in: "label:bug label:gui", q: &Query{Labels: [][]string{{"bug"}, {"gui"}}}},
	{in: "-label:a,b", want: "-label:a -label:b", q: &Query{ExcludeLabels: []string{"a", "b"}}},
	{in: "-author:app/dependabot author:marmarek", want: "author:marmarek -author:app/dependabot",
		q: &Query{Authors: []string{"marmarek"}, ExcludeAuthors: []string{"app/dependabot"}}},
	{in: "sort:updated-desc is:open", want: "is:open sort:updated-desc"},
	{in: "closed:2024-03-26T10:00:00+02:00..2024-09-09T23:59:59Z",
		want: "closed:2024-03-26T08:00:00Z..2024-09-09T23:59:59Z",
		q:    &Query{Closed: Window{From: instant("2024-03-26T08:00:00Z"), To: instant("2024-09-09T23:59:59Z")}}},
	{in: "closed:>2024-03-25", want: "closed:>=2024-03-26", q: &Query{Closed: Window{From: day("2024-03-26")}}},
	{in: "closed:<2024-09-10", want: "closed:<=2024-09-09", q: &Query{Closed: Window{To: day("2024-09-09")}}},
	{in: "created:>2024-03-26T10:00:00Z", want: "created:>=2024-03-26T10:00:01Z"},
	{in: "created:<2024-03-26T10:00:00.5-01:00", want: "created:<=2024-03-26T11:00:00Z"},
	{in: "created:2024-03-26T10:00:00.5Z..2024-03-27T10:00:00.5Z", want: "created:2024-03-26T10:00:01Z..2024-03-27T10:00:00Z"},
	{in: "closed:2024-03-26..*", want: "closed:>=2024-03-26"},
	{in: "closed:*..2024-09-09", want: "closed:<=2024-09-09"},
	{in: "closed:2024-03-26", q: &Query{Closed: Window{From: day("2024-03-26"), To: day("2024-03-26")}}},
	{in: "closed:>=2024-03-26 closed:<=2024-09-09", want: "closed:2024-03-26..2024-09-09"},
	{in: "closed:2024-03-26..2024-09-09 closed:>=2024-01-01", q: &Query{
		Closed: Window{From: day("2024-03-26"), To: day("2024-09-09")}, Other: []string{"closed:>=2024-01-01"}}},
	{in: "created:*..*", q: &Query{Other: []string{"created:*..*"}}},
	{in: "org:QubesOS is:issue", q: &Query{Orgs: []string{"QubesOS"}, Kind: KindIssue}},
	{in: "repo:QubesOS/qubes-issues repo:QubesOS/qubes-linux-kernel is:closed"},
	{in: "https://github.com/search?q=repo%3AQubesOS%2Fqubes-core-admin+repo%3AQubesOS%2Fqubes-manager+is%3Aissue&type=issues",
		want: "repo:QubesOS/qubes-core-admin repo:QubesOS/qubes-manager is:issue"},
	{in: "https://github.com/search?q=org%3AQubesOS+is%3Aissue", want: "org:QubesOS is:issue"},
	{in: "crash in:title no:label", q: &Query{Other: []string{"crash", "in:title", "no:label"}}},
	{in: `"qrexec timeout" is:issue`, want: `is:issue "qrexec timeout"`},
	{in: "NOT wontfix is:issue", want: "is:issue NOT wontfix"},
	{in: "is:issue is:pr", q: &Query{Kind: KindIssue, Other: []string{"is:pr"}}},
	{in: `reason:completed reason:"not planned"`},
	{in: "is:issue is:issue state:closed is:closed type:issue", want: "is:issue is:closed"},
	{in: "reason:not-planned", want: `reason:"not planned"`, q: &Query{Reason: ReasonNotPlanned}},
	{in: "reason:not_planned", want: `reason:"not planned"`},
	{in: "linked:pr is:closed", want: "is:closed linked:pr", q: &Query{State: StateClosed, LinkedPR: ptr(true)}},
	{in: "-linked:pr linked:pr", q: &Query{LinkedPR: ptr(false), Other: []string{"linked:pr"}}},
	{in: "-is:pr updated:>2024-01-01 is:issue", want: "is:issue -is:pr updated:>2024-01-01"},
	{in: "http://ghe.example.com/acme/widgets/pulls?q=is%3Apr+is%3Amerged&utf8=%E2%9C%93",
		want: "repo:acme/widgets is:pr is:merged"},
	{in: "https://github.com/QubesOS/qubes-issues/issues/?q=is%3Aopen+label%3A%22C%3A+gui%22& \t",
		want: "repo:QubesOS/qubes-issues is:open label:\"C: gui\""},
	{in: "https://github.com/QubesOS/qubes-issues/issues?q=repo%3Aqubesos%2Fqubes-issues+is%3Aopen",
		want: "repo:QubesOS/qubes-issues is:open"},
	{in: "https://github.com/issues?q=is%3Aopen+author%3A%40me", want: "is:open author:@me"},
	{in: "IS:ISSUE Label:bug", want: "is:issue label:bug"},
	{in: `milestone:"Release 4.3" milestone:"Release 4.2"`},
	{in: `milestone:4.2.3 type:"Feature request"`, want: `type:"Feature request" milestone:4.2.3`},
	{in: "created:2023-01-01..2023-12-31 closed:>=2024-01-01T00:00:00Z", want: "closed:>=2024-01-01T00:00:00Z created:2023-01-01..2023-12-31"},
	{in: `author:app/github-actions -author:"app/renovate"`, want: "author:app/github-actions -author:app/renovate"},
	{in: `label:"priority (high)"`},
	{in: ""},
}

func TestParsePrint(t *testing.T) {
	for _, tt := range queryTests {
		q, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = strings.TrimSpace(tt.in)
		}
		if got := q.String(); got != want {
			t.Errorf("Parse(%q).String()\n got %s\nwant %s", tt.in, got, want)
		}
		if tt.q != nil {
			if d := cmp.Diff(*tt.q, q); d != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, d)
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tt := range queryTests {
		q, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		checkRoundTrip(t, q)
	}
}

// checkRoundTrip checks that q survives String, URL and Args unchanged.
func checkRoundTrip(t *testing.T, q Query) {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Errorf("Validate(%s): %v", q, err)
	}
	before := q.clone()
	s := q.String()
	if s2 := q.String(); s2 != s {
		t.Errorf("String is not stable: %q then %q", s, s2)
	}
	if d := cmp.Diff(before, q); d != "" {
		t.Errorf("String changed its receiver (-before +after):\n%s", d)
	}
	back, err := Parse(s)
	if err != nil {
		t.Errorf("Parse(String()=%q): %v", s, err)
		return
	}
	if d := cmp.Diff(q, back); d != "" {
		t.Errorf("Parse(%q) differs (-want +got):\n%s", s, d)
	}
	for _, server := range []string{"https://github.com", "http://ghe.example.com/"} {
		for _, enc := range []Encoding{EncodingPlus, EncodingPercent} {
			u := q.URL(server, enc)
			back, err := Parse(u)
			if err != nil {
				t.Errorf("Parse(URL()=%q): %v", u, err)
				continue
			}
			if d := cmp.Diff(q, back); d != "" {
				t.Errorf("Parse(%q) differs (-want +got):\n%s", u, d)
			}
		}
	}
	checkFlagsRoundTrip(t, q)
}

// checkFlagsRoundTrip checks that the values the flag table writes for q read
// back as q. The command line itself is checked against the real flag parser
// by cmd/relnotes' TestArgsRoundTrip.
func checkFlagsRoundTrip(t *testing.T, q Query) {
	t.Helper()
	values := map[string][]string{}
	for _, f := range Flags() {
		if vs := f.args(q); len(vs) > 0 {
			values[f.Name] = vs
		}
	}
	back, err := ParseFlags(values)
	if err != nil {
		t.Errorf("ParseFlags(%q) from %s: %v", values, q, err)
	} else if d := cmp.Diff(q, back); d != "" {
		t.Errorf("ParseFlags(%q) differs (-want +got):\n%s", values, d)
	}
}

func TestSeedURL(t *testing.T) {
	if got := seedQuery().URL("https://github.com", EncodingPlus); got != seedLink {
		t.Errorf("URL()\n got %s\nwant %s", got, seedLink)
	}
	want := strings.ReplaceAll(seedLink, "+", "%20")
	if got := seedQuery().URL("https://github.com/", EncodingPercent); got != want {
		t.Errorf("URL(EncodingPercent)\n got %s\nwant %s", got, want)
	}
}

func TestSeedCommandLine(t *testing.T) {
	const want = `relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 --exclude-label 'R: cannot reproduce' --exclude-label 'R: declined' --exclude-label 'R: duplicate' --exclude-label 'R: not applicable' --exclude-label 'R: self-closed' --exclude-label 'R: upstream issue'`
	if got := seedQuery().CommandLine(); got != want {
		t.Errorf("CommandLine()\n got %s\nwant %s", got, want)
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Query{}, "https://github.com/search?q=&type=issues"},
		{Query{Repos: []string{"o/r"}}, "https://github.com/o/r/issues?q="},
		{Query{Repos: []string{"o/r"}, Orgs: []string{"x"}, Kind: KindIssue},
			"https://github.com/search?q=repo%3Ao%2Fr+org%3Ax+is%3Aissue&type=issues"},
		{Query{Repos: []string{"o/r"}, Created: Window{From: instant("2024-03-26T10:00:00+02:00")}, Other: []string{"a+b"}},
			"https://github.com/o/r/issues?q=created%3A%3E%3D2024-03-26T08%3A00%3A00Z+a%2Bb"},
	}
	for _, tt := range tests {
		if got := tt.q.URL("https://github.com", EncodingPlus); got != tt.want {
			t.Errorf("URL(%s)\n got %s\nwant %s", tt.q, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		pos     int
		msg     string // a part of Error()
		hasLink bool
	}{
		{in: "closed:2024-13-01", pos: 7, msg: `cannot parse "closed:2024-13-01": invalid date "2024-13-01" at position 7: use YYYY-MM-DD or an RFC 3339 time such as 2024-03-26T00:00:00Z`},
		{in: "is:issue closed:2024-02-30..2024-03-01", pos: 16, msg: `invalid date "2024-02-30"`},
		{in: "closed:2024-01-01..2024-02-30", pos: 19, msg: `invalid date "2024-02-30"`},
		{in: "closed:2024-03-26T10:00:00", pos: 7, msg: "RFC 3339"},
		{in: "closed:2024-09-09..2024-03-26", pos: 7, msg: "ends before it starts"},
		{in: "closed:>=2024-09-09 closed:<=2024-03-26", pos: 20, msg: "leaves no time"},
		{in: "closed:>9999-12-31", pos: 8, msg: "out of range"},
		{in: "created:<1970-01-01", pos: 9, msg: "out of range"},
		{in: "closed:>=*", pos: 9, msg: "invalid date"},
		{in: `label:"R: duplicate`, pos: 6, msg: `add the closing "`},
		{in: "label:a OR label:b", pos: 8, msg: "label:a,b"},
		{in: "(label:a label:b)", pos: 0, msg: "parentheses"},
		{in: "NOT label:x", pos: 0, msg: "-label:bug"},
		{in: "repo:QubesOS", pos: 5, msg: "repo:OWNER/NAME"},
		{in: "org:a/b", pos: 4, msg: "org:NAME"},
		{in: "label:a,,b", pos: 8, msg: "extra comma"},
		{in: "closed:", pos: 7, msg: "has no value"},
		{in: `milestone:""`, pos: 10, msg: "has no value"},
		{in: "https://github.com/QubesOS/qubes-issues/issues", pos: -1, msg: "no q parameter"},
		{in: "https://github.com/search?q=foo&type=code", pos: -1, msg: "searches code, not issues"},
		{in: "https://github.com/QubesOS/qubes-issues/wiki?q=foo", pos: -1, msg: "not an issues, pulls or search page"},
		{in: "https://github.com/QubesOS/qubes-issues/issues/123?q=foo", pos: -1, msg: "not an issues"},
		{in: "https:///search?q=foo", pos: -1, msg: "no host"},
		{in: "https://github.com/search?q=%zz", pos: -1, msg: "malformed"},
		{in: "https://github.com/search?q=https%3A%2F%2Fx", pos: 0, msg: "starts with a link", hasLink: true},
		{in: "https://github.com/o/r/issues?q=closed%3A2024-13-01", pos: 7, msg: "(the q parameter of the link)", hasLink: true},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Pos != tt.pos || !strings.Contains(err.Error(), tt.msg) || (pe.Link != "") != tt.hasLink {
			t.Errorf("Parse(%q) = %q (Pos %d, Link %q), want Pos %d and %q", tt.in, err, pe.Pos, pe.Link, tt.pos, tt.msg)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) error has several lines: %q", tt.in, err)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		q    Query
		want string // part of the error, "" for valid
	}{
		{seedQuery(), ""},
		{Query{Labels: [][]string{{`say "hi"`}}}, `label "say \"hi\"" contains a double quote`},
		{Query{ExcludeLabels: []string{""}}, "empty excluded label"},
		{Query{Labels: [][]string{{}}}, "empty label group"},
		{Query{Milestone: `v"2`}, "milestone"},
		{Query{Authors: []string{`a"`}}, "author"},
		{Query{Repos: []string{"QubesOS"}}, `repo "QubesOS" is not in OWNER/NAME form`},
		{Query{Orgs: []string{"a b"}}, `org "a b"`},
		{Query{Type: "Issue"}, "set Kind instead"},
		{Query{Kind: "bug"}, "kind"},
		{Query{State: "merged"}, `state "merged" is not open or closed: use StateOpen`},
		{Query{Closed: Window{From: Day(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC))}}, "outside the years 1970 to 9999: use a date from 1970-01-01"},
		{Query{Closed: Window{From: day("2024-09-09"), To: day("2024-03-26")}}, "starts after it ends"},
		{Query{Closed: Window{From: Bound{T: time.Date(2024, 3, 26, 1, 0, 0, 0, time.UTC), Day: true}}}, "not midnight UTC"},
		{Query{Created: Window{To: Bound{T: time.Date(2024, 3, 26, 1, 0, 0, 5, time.UTC)}}}, "not a whole second"},
		{Query{Other: []string{"is:pr"}}, `term "is:pr" in Other would be read into a field`},
		{Query{Kind: KindIssue, Other: []string{"is:pr"}}, ""},
		{Query{Kind: KindIssue, Other: []string{"is:issue"}}, "would be read into a field"},
		{Query{Closed: Window{From: day("2024-03-26")}, Other: []string{"closed:<=2024-09-09"}}, "would be read into a field"},
		{Query{Other: []string{"two words"}}, "not one term"},
		{Query{Other: []string{""}}, "empty"},
		{Query{Other: []string{`"open`}}, "unterminated quote"},
		{Query{Other: []string{"OR"}}, "boolean"},
		{Query{Other: []string{"NOT"}}, "NOT must come before a keyword"},
		{Query{Other: []string{"NOT", "wontfix"}}, ""},
		{Query{Other: []string{"https://example.com"}}, "would read as a link"},
		{Query{Kind: KindIssue, Other: []string{"https://example.com"}}, ""},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Validate(%s) = %v, want nil", tt.q, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Validate(%s) = %v, want an error containing %q", tt.q, err, tt.want)
		case err == nil:
			checkRoundTrip(t, tt.q)
		}
	}
}

func TestAddTerms(t *testing.T) {
	q := Query{Kind: KindIssue}
	if err := q.AddTerms(`linked:pr label:"a b"`); err != nil {
		t.Fatal(err)
	}
	want := Query{Kind: KindIssue, LinkedPR: ptr(true), Labels: [][]string{{"a b"}}}
	if d := cmp.Diff(want, q); d != "" {
		t.Errorf("AddTerms (-want +got):\n%s", d)
	}
	if err := q.AddTerms("closed:2024-13-01 label:c"); err == nil {
		t.Error("AddTerms with a bad date succeeded")
	}
	if d := cmp.Diff(want, q); d != "" {
		t.Errorf("a failed AddTerms changed q (-want +got):\n%s", d)
	}
}

func TestArgs(t *testing.T) {
	q, err := Parse(`is:pr reason:"not planned" label:a,b created:>=2024-01-01 -linked:pr -label:-x foo`)
	if err != nil {
		t.Fatal(err)
	}
	want := `relnotes link --kind pr --state any --reason not-planned --label a,b --created '>=2024-01-01' --exclude-label=-x --term=-linked:pr --term foo`
	if got := q.CommandLine(); got != want {
		t.Errorf("CommandLine()\n got %s\nwant %s", got, want)
	}
	if got, want := shellQuote("it's"), `'it'\''s'`; got != want {
		t.Errorf("shellQuote = %s, want %s", got, want)
	}
	if got, want := shellQuote(""), `''`; got != want {
		t.Errorf("shellQuote = %s, want %s", got, want)
	}
}

func TestParseFlags(t *testing.T) {
	defaults := Query{Kind: KindIssue, State: StateClosed, Reason: ReasonCompleted}
	with := func(f func(*Query)) Query {
		q := defaults
		f(&q)
		return q
	}
	at := func(s string) Bound { return instant(s) }
	tests := []struct {
		name   string
		values map[string][]string
		want   Query
		args   string // CommandLine of want after "relnotes link", "" when no flag is needed
	}{
		{"defaults", nil, defaults, ""},
		{"enums", map[string][]string{"kind": {"issue", "pr"}, "state": {"any"}, "reason": {"not_planned"}},
			with(func(q *Query) { q.Kind, q.State, q.Reason = KindPR, StateAny, ReasonNotPlanned }),
			"--kind pr --state any --reason not-planned"},
		{"label alternatives", map[string][]string{"label": {"a, b", "T: bug", " c ,,"}},
			with(func(q *Query) { q.Labels = [][]string{{"a", "b"}, {"T: bug"}, {"c"}} }),
			"--label a,b --label 'T: bug' --label c"},
		{"quoted labels keep commas and edge spaces", map[string][]string{"label": {`" bug",x`, `"a,b", "c d "`, `"-x"`}},
			with(func(q *Query) { q.Labels = [][]string{{" bug", "x"}, {"a,b", "c d "}, {"-x"}} }),
			`--label '" bug",x' --label '"a,b","c d "' --label=-x`},
		{"labels as typed", map[string][]string{"label": {`back\slash`, "ünï 🐛", "it's", "--"}},
			with(func(q *Query) { q.Labels = [][]string{{`back\slash`}, {"ünï 🐛"}, {"it's"}, {"--"}} }),
			`--label 'back\slash' --label 'ünï 🐛' --label 'it'\''s' --label=--`},
		{"excluded labels are verbatim", map[string][]string{"exclude-label": {"a,b", " lead", " "}},
			with(func(q *Query) { q.ExcludeLabels = []string{"a,b", " lead", " "} }),
			"--exclude-label a,b --exclude-label ' lead' --exclude-label ' '"},
		{"sub-second start rounds up, end down", map[string][]string{"since": {"2024-01-01T00:00:00.5Z"}, "until": {"2024-02-01T10:00:00.999+02:00"}},
			with(func(q *Query) {
				q.Closed = Window{From: at("2024-01-01T00:00:01Z"), To: at("2024-02-01T08:00:00Z")}
			}),
			"--since 2024-01-01T00:00:01Z --until 2024-02-01T08:00:00Z"},
		{"open ends", map[string][]string{"since": {" 2024-03-26 "}, "until": {"*"}},
			with(func(q *Query) { q.Closed = Window{From: day("2024-03-26")} }),
			"--since 2024-03-26"},
		{"terms apply after the fields they could fill", map[string][]string{"term": {"closed:>=2024-01-01", "is:pr", "NOT wontfix"}, "since": {"2024-03-26"}, "until": {"2024-09-09"}},
			with(func(q *Query) {
				q.Closed = Window{From: day("2024-03-26"), To: day("2024-09-09")}
				q.Other = []string{"closed:>=2024-01-01", "is:pr", "NOT", "wontfix"}
			}),
			"--since 2024-03-26 --until 2024-09-09 --term 'closed:>=2024-01-01' --term is:pr --term 'NOT wontfix'"},
		{"a term alone fills its field", map[string][]string{"term": {"closed:>=2024-01-01", "-linked:pr"}},
			with(func(q *Query) { q.Closed = Window{From: day("2024-01-01")}; q.LinkedPR = ptr(false) }),
			"--since 2024-01-01 --term=-linked:pr"},
		{"last value of a single flag wins", map[string][]string{"milestone": {"1", "2"}, "created": {">=2024-01-01", "2024-03-26"}},
			with(func(q *Query) {
				q.Milestone = "2"
				q.Created = Window{From: day("2024-03-26"), To: day("2024-03-26")}
			}),
			"--milestone 2 --created 2024-03-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseFlags(tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, q); d != "" {
				t.Errorf("ParseFlags(%q) (-want +got):\n%s", tt.values, d)
			}
			want := strings.TrimSpace("relnotes link " + tt.args)
			if got := tt.want.CommandLine(); got != want {
				t.Errorf("CommandLine()\n got %s\nwant %s", got, want)
			}
			checkRoundTrip(t, q)
		})
	}
}

func TestParseFlagsErrors(t *testing.T) {
	tests := []struct {
		values map[string][]string
		want   string // Error(), whole
		flag   string // FlagError.Flag, "" for another error
	}{
		{map[string][]string{"kind": {"discussion"}}, `--kind "discussion" is not one of issue, pr, any`, "kind"},
		{map[string][]string{"state": {"merged"}}, `--state "merged" is not one of closed, open, any`, "state"},
		{map[string][]string{"reason": {"wontfix"}}, `--reason "wontfix" is not one of completed, not-planned, any`, "reason"},
		{map[string][]string{"repo": {"qubes-issues"}}, `--repo "qubes-issues" is not in OWNER/NAME form, e.g. --repo QubesOS/qubes-issues`, "repo"},
		{map[string][]string{"org": {"a!"}}, `--org "a!" is not an organisation name, e.g. --org QubesOS`, "org"},
		{map[string][]string{"label": {" , "}}, `--label " , " names no label`, "label"},
		{map[string][]string{"label": {`"a`}}, `--label "\"a" has an unterminated quote: add the closing "`, "label"},
		{map[string][]string{"exclude-label": {""}}, `--exclude-label needs a label name`, "exclude-label"},
		{map[string][]string{"since": {"2024-13-01"}}, `--since "2024-13-01" is not a date: use YYYY-MM-DD (a whole UTC day) or an RFC 3339 time such as 2024-03-26T00:00:00Z`, "since"},
		{map[string][]string{"until": {"1969-12-31"}}, `--until "1969-12-31" is out of range: use a date from 1970-01-01 to 9999-12-31`, "until"},
		{map[string][]string{"since": {"2024-09-10"}, "until": {"2024-09-09"}}, `--since 2024-09-10 is after --until 2024-09-09: the window would be empty; swap them`, "since"},
		{map[string][]string{"since": {"2024-01-01T00:00:00.5Z"}, "until": {"2024-01-01T00:00:00.7Z"}}, `--since 2024-01-01T00:00:00.5Z and --until 2024-01-01T00:00:00.7Z hold no whole second, and GitHub's times are whole seconds: widen the window`, "since"},
		{map[string][]string{"created": {"2024-09-09..2024-03-26"}}, `--created "2024-09-09..2024-03-26": cannot parse "2024-09-09..2024-03-26": window "2024-09-09..2024-03-26" ends before it starts at position 0: put the earlier date first, as in 2024-03-26..2024-09-09`, "created"},
		{map[string][]string{"term": {"a OR b"}}, `--term "a OR b": cannot parse "a OR b": boolean operators and parentheses are not supported ("OR") at position 2: separate terms with spaces for "and"; write label:a,b for "label a or b"; quote values with parentheses`, "term"},
		{map[string][]string{"exclude-label": {`say "hi"`}}, `filters: excluded label "say \"hi\"" contains a double quote, which a search query cannot express: filter on it after fetching instead`, ""},
		{map[string][]string{"sort": {"x"}}, `filters: no flag --sort sets a query`, ""},
	}
	for _, tt := range tests {
		_, err := ParseFlags(tt.values)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseFlags(%q) error\n got %v\nwant %s", tt.values, err, tt.want)
		}
		var fe *FlagError
		gotFlag := ""
		if errors.As(err, &fe) {
			gotFlag = fe.Flag
		}
		if gotFlag != tt.flag {
			t.Errorf("ParseFlags(%q) error %#v, want a *FlagError for %q", tt.values, err, tt.flag)
		}
	}
}

// TestFlagsCheck: an enum value is rejected on its own, as a flag parser
// needs while reading the command line.
func TestFlagsCheck(t *testing.T) {
	for _, f := range Flags() {
		if f.Values == nil {
			continue
		}
		for _, v := range f.Values {
			if err := f.Check(v); err != nil {
				t.Errorf("--%s: Check(%q) = %v", f.Name, v, err)
			}
		}
		if err := f.Check("bogus"); err == nil || !strings.HasPrefix(err.Error(), "--"+f.Name+` "bogus" is not one of `+strings.Join(f.Values, ", ")) {
			t.Errorf("--%s: Check(bogus) = %v", f.Name, err)
		}
		if f.Default != f.Values[0] {
			t.Errorf("--%s: default %q is not the first of %q", f.Name, f.Default, f.Values)
		}
	}
}
