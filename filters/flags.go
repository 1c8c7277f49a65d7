package filters

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Flag is one command-line flag that sets part of a Query, as `relnotes
// link` and every other command that searches take them. Flags lists them
// all; Query.Args writes a Query as flag values and ParseFlags reads flag
// values into a Query, both through the same table, so what Args prints
// always parses back to the Query it came from.
//
// A flag's value has the form of the qualifier it stands for, with three
// differences. --since and --until take one bound each (a day or an RFC 3339
// time; "" and "*" leave that end open) and round it as closed: does (see
// Window). --exclude-label takes one label verbatim, commas and all. --label
// takes one label: group: commas separate the labels of which any must be
// present, white space around each label is dropped, and double quotes group
// as in a query, so a label with a comma or with white space at either end
// is written quoted: --label '" bug",x' is label:" bug",x. Double quotes are
// removed, never kept; a label cannot contain one (see Validate).
type Flag struct {
	Name     string   // long name without the dashes, e.g. "label"
	Usage    string   // one line of help; a `word` in backquotes names the value
	Default  string   // the value when the flag is absent; "" for none
	Repeated bool     // each use adds a value; otherwise the last use wins
	Values   []string // the values an enum flag accepts, for help and completion; nil otherwise

	// args returns the values that reproduce f's part of q, none when that
	// part is what Default gives.
	args func(q Query) []string
	// apply adds one value to q. Errors are *FlagError.
	apply func(q *Query, v string) error
}

// FlagError reports a flag value that cannot be read into a Query (or, from
// a caller's own flags, that the flag does not accept). Callers match it with
// errors.As.
type FlagError struct {
	Flag  string // the flag's name without the dashes
	Value string // the value given
	// Msg says what is wrong with Value and how to fix it, starting with the
	// value itself where that helps: `"x" is not one of issue, pr, any`.
	Msg string
	Err error // the *ParseError behind Msg, if any
}

// Error returns "--FLAG MSG", one line.
func (e *FlagError) Error() string { return "--" + e.Flag + " " + e.Msg }

// Unwrap returns the *ParseError behind e, or nil.
func (e *FlagError) Unwrap() error { return e.Err }

// Check reports whether v is a value f accepts on its own, as ParseFlags
// would report it. It lets a flag parser reject an enum value (Values) while
// reading the command line; combinations (--since after --until) are
// checked by ParseFlags only.
func (f Flag) Check(v string) error {
	var q Query
	return f.apply(&q, v)
}

// Flags returns the flags that set a Query, in the order Args writes them
// and ParseFlags applies them: --term comes last because its terms land in
// Other only when the fields they would fill are already set.
func Flags() []Flag {
	str := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	flagErr := func(flag, v, format string, a ...any) error {
		return &FlagError{Flag: flag, Value: v, Msg: fmt.Sprintf(format, a...)}
	}
	// enum is a flag with fixed values, the first being the default; norm
	// maps the spellings a person may type to one of them.
	enum := func(name, usage string, values []string, get func(Query) string, set func(*Query, string) bool, norm func(string) string) Flag {
		return Flag{Name: name, Usage: usage, Default: values[0], Values: values,
			args: func(q Query) []string {
				if v := get(q); v != values[0] {
					return []string{v}
				}
				return nil
			},
			apply: func(q *Query, v string) error {
				if !set(q, norm(v)) {
					return flagErr(name, v, "%q is not one of %s", v, strings.Join(values, ", "))
				}
				return nil
			},
		}
	}
	same := func(s string) string { return s }
	bound := func(name string, role boundRole, end func(*Window) *Bound) Flag {
		return Flag{Name: name,
			args: func(q Query) []string {
				if b := *end(&q.Closed); !b.IsOpen() {
					return []string{b.text()}
				}
				return nil
			},
			apply: func(q *Query, v string) error {
				s := strings.TrimSpace(v)
				if s == "" || s == "*" {
					*end(&q.Closed) = Bound{}
					return nil
				}
				b, ok := readBound(s, role)
				if !ok {
					return flagErr(name, v, "%q is not a date: use YYYY-MM-DD (a whole UTC day) or an RFC 3339 time such as 2024-03-26T00:00:00Z", s)
				}
				if !inRange(b) {
					return flagErr(name, v, "%q is out of range: %s", s, rangeHint)
				}
				*end(&q.Closed) = b
				return nil
			},
		}
	}
	since := bound("since", roleFrom, func(w *Window) *Bound { return &w.From })
	since.Usage = "start of the closed window, inclusive: a `DATE` such as 2024-03-26 (the whole UTC day) or an RFC 3339 time"
	until := bound("until", roleTo, func(w *Window) *Bound { return &w.To })
	until.Usage = "end of the closed window, inclusive: a `DATE` such as 2024-09-09 (the whole UTC day) or an RFC 3339 time"

	return []Flag{
		{Name: "repo", Repeated: true,
			Usage: "repository `OWNER/NAME` whose issues to list (repeatable)",
			args:  func(q Query) []string { return q.Repos },
			apply: func(q *Query, v string) error {
				if !ValidRepo(v) {
					return flagErr("repo", v, "%q is not in OWNER/NAME form, e.g. --repo QubesOS/qubes-issues", v)
				}
				q.Repos = append(q.Repos, v)
				return nil
			}},
		{Name: "org", Repeated: true,
			Usage: "every repository of organisation `NAME` (repeatable)",
			args:  func(q Query) []string { return q.Orgs },
			apply: func(q *Query, v string) error {
				if !validName(v) {
					return flagErr("org", v, "%q is not an organisation name, e.g. --org QubesOS", v)
				}
				q.Orgs = append(q.Orgs, v)
				return nil
			}},
		enum("kind", "issue, pr or any", []string{"issue", "pr", "any"},
			func(q Query) string {
				if q.Kind == KindAny {
					return "any"
				}
				return string(q.Kind)
			},
			func(q *Query, v string) bool {
				k, ok := map[string]Kind{"issue": KindIssue, "pr": KindPR, "any": KindAny}[v]
				q.Kind = k
				return ok
			}, same),
		enum("state", "closed, open or any", []string{"closed", "open", "any"},
			func(q Query) string {
				if q.State == StateAny {
					return "any"
				}
				return string(q.State)
			},
			func(q *Query, v string) bool {
				s, ok := map[string]State{"closed": StateClosed, "open": StateOpen, "any": StateAny}[v]
				q.State = s
				return ok
			}, same),
		enum("reason", "close reason: completed, not-planned or any", []string{"completed", "not-planned", "any"},
			func(q Query) string {
				switch q.Reason {
				case ReasonAny:
					return "any"
				case ReasonNotPlanned:
					return "not-planned"
				}
				return string(q.Reason)
			},
			func(q *Query, v string) bool {
				r, ok := map[string]Reason{"completed": ReasonCompleted, "not-planned": ReasonNotPlanned, "any": ReasonAny}[v]
				q.Reason = r
				return ok
			},
			strings.NewReplacer("_", "-", " ", "-").Replace),
		{Name: "issue-type",
			Usage: "only issues of this issue `type` (e.g. Bug)",
			args:  func(q Query) []string { return str(q.Type) },
			apply: func(q *Query, v string) error { q.Type = v; return nil }},
		{Name: "label", Repeated: true,
			Usage: "only issues with this `label`; a comma-separated list means any of them (repeatable; all must hold)",
			args: func(q Query) []string {
				var out []string
				for _, g := range q.Labels {
					out = append(out, labelFlagValue(g))
				}
				return out
			},
			apply: func(q *Query, v string) error {
				g, unterminated := splitLabelFlag(v)
				switch {
				case unterminated:
					return flagErr("label", v, `%q has an unterminated quote: add the closing "`, v)
				case len(g) == 0:
					return flagErr("label", v, "%q names no label", v)
				}
				q.Labels = append(q.Labels, g)
				return nil
			}},
		{Name: "milestone",
			Usage: "only issues in the milestone with this `title`",
			args:  func(q Query) []string { return str(q.Milestone) },
			apply: func(q *Query, v string) error { q.Milestone = v; return nil }},
		{Name: "author", Repeated: true,
			Usage: "only issues opened by this `login` (app/NAME for a GitHub App; repeatable: any of them)",
			args:  func(q Query) []string { return q.Authors },
			apply: func(q *Query, v string) error { q.Authors = append(q.Authors, v); return nil }},
		since,
		until,
		{Name: "created",
			Usage: "created `WINDOW`, as in the search syntax: 2024-01-01..2024-06-30, >=2024-01-01, ...",
			args:  func(q Query) []string { return str(q.Created.String()) },
			apply: func(q *Query, v string) error {
				w, err := parseWindow(v, 0)
				if err != nil {
					err.Input = v
					return &FlagError{Flag: "created", Value: v, Msg: fmt.Sprintf("%q: %v", v, err), Err: err}
				}
				q.Created = w
				return nil
			}},
		{Name: "exclude-label", Repeated: true,
			Usage: "leave out issues with this `label` (repeatable)",
			args:  func(q Query) []string { return q.ExcludeLabels },
			apply: func(q *Query, v string) error {
				if v == "" {
					return flagErr("exclude-label", v, "needs a label name")
				}
				q.ExcludeLabels = append(q.ExcludeLabels, v)
				return nil
			}},
		{Name: "exclude-author", Repeated: true,
			Usage: "leave out issues opened by this `login` (app/NAME for a GitHub App; repeatable)",
			args:  func(q Query) []string { return q.ExcludeAuthors },
			apply: func(q *Query, v string) error { q.ExcludeAuthors = append(q.ExcludeAuthors, v); return nil }},
		{Name: "link-sort",
			Usage: "web-page sort `ORDER` written into the link, e.g. updated-desc (the order relnotes renders in is --sort)",
			args:  func(q Query) []string { return str(q.Sort) },
			apply: func(q *Query, v string) error { q.Sort = v; return nil }},
		{Name: "term", Repeated: true,
			Usage: "any other search `term`, kept verbatim (repeatable), e.g. --term no:assignee",
			args:  termArgs,
			apply: func(q *Query, v string) error {
				if err := q.AddTerms(v); err != nil {
					return &FlagError{Flag: "term", Value: v, Msg: fmt.Sprintf("%q: %v", v, err), Err: err}
				}
				return nil
			}},
	}
}

// termArgs writes LinkedPR and Other as --term values: linked:pr or
// -linked:pr first, then each Other term, with NOT (or NOT NOT ...) and the
// keyword after it in one value because NOT alone is not a term AddTerms
// accepts.
func termArgs(q Query) []string {
	var out []string
	if q.LinkedPR != nil {
		out = append(out, linkedTerm(*q.LinkedPR))
	}
	for i := 0; i < len(q.Other); i++ {
		t := q.Other[i]
		for q.Other[i] == "NOT" && i+1 < len(q.Other) {
			i++
			t += " " + q.Other[i]
		}
		out = append(out, t)
	}
	return out
}

// ParseFlags builds the Query that flag values describe. values maps a
// flag's Name to the values given for it, in command-line order; a flag
// missing from values takes its Default, and a flag that is not Repeated
// takes its last value. Flags are applied in Flags order.
//
// Errors name the flag: a *FlagError for a value that cannot be read, or
// the Validate error of the whole Query (a label with a double quote ...).
func ParseFlags(values map[string][]string) (Query, error) {
	flags := Flags()
	for name := range values {
		if !slices.ContainsFunc(flags, func(f Flag) bool { return f.Name == name }) {
			return Query{}, fmt.Errorf("filters: no flag --%s sets a query", name)
		}
	}
	var q Query
	for _, f := range flags {
		vs, given := values[f.Name]
		switch {
		case !given && f.Default != "":
			vs = []string{f.Default}
		case !f.Repeated && len(vs) > 1:
			vs = vs[len(vs)-1:]
		}
		for _, v := range vs {
			if err := f.apply(&q, v); err != nil {
				return Query{}, err
			}
		}
	}
	if q.Closed.Empty() {
		since, until := lastValue(values["since"]), lastValue(values["until"])
		msg := fmt.Sprintf("%s is after --until %s: the window would be empty; swap them", since, until)
		// Rounded inward, two times inside one second leave no whole second.
		from, _ := readBound(strings.TrimSpace(since), roleTo)
		to, _ := readBound(strings.TrimSpace(until), roleFrom)
		if !from.T.After(to.T) {
			msg = fmt.Sprintf("%s and --until %s hold no whole second, and GitHub's times are whole seconds: widen the window", since, until)
		}
		return Query{}, &FlagError{Flag: "since", Value: since, Msg: msg}
	}
	if err := q.Validate(); err != nil {
		return Query{}, err
	}
	return q, nil
}

func lastValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// Args returns the flags that reproduce q (see Flag), in Flags order, with
// the defaults left out:
//
//	relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --exclude-label 'R: duplicate'
//
// A value that starts with "-" is written --flag=value so no flag parser can
// mistake it for a flag. For a Query that passes Validate, ParseFlags gives
// q back from Args.
func (q Query) Args() []string {
	var args []string
	for _, f := range Flags() {
		for _, v := range f.args(q) {
			if strings.HasPrefix(v, "-") {
				args = append(args, "--"+f.Name+"="+v)
			} else {
				args = append(args, "--"+f.Name, v)
			}
		}
	}
	return args
}

// CommandLine returns `relnotes link` followed by Args, each quoted for a
// POSIX shell (single quotes where needed), ready to paste.
func (q Query) CommandLine() string {
	args := q.Args()
	quoted := make([]string, 0, len(args)+2)
	quoted = append(quoted, "relnotes", "link")
	for _, a := range args {
		quoted = append(quoted, shellQuote(a))
	}
	return strings.Join(quoted, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// labelFlagValue writes one label: group as a --label value, quoting the
// labels that splitLabelFlag would otherwise split or trim.
func labelFlagValue(g []string) string {
	parts := make([]string, len(g))
	for i, l := range g {
		first, _ := utf8.DecodeRuneInString(l)
		last, _ := utf8.DecodeLastRuneInString(l)
		if l == "" || strings.Contains(l, ",") || unicode.IsSpace(first) || unicode.IsSpace(last) {
			l = `"` + l + `"`
		}
		parts[i] = l
	}
	return strings.Join(parts, ",")
}

// splitLabelFlag reads a --label value: commas outside double quotes
// separate labels, white space around each is dropped, the quotes are
// removed, and empty labels are skipped.
func splitLabelFlag(v string) (labels []string, unterminated bool) {
	in, start := false, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] == '"' {
			in = !in
		}
		if i == len(v) || (!in && v[i] == ',') {
			if l := unquote(strings.TrimSpace(v[start:i])); l != "" {
				labels = append(labels, l)
			}
			start = i + 1
		}
	}
	return labels, in
}
