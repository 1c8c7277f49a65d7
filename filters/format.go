package filters

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// String returns the query text in a canonical, deterministic order: repo:
// and org: terms, kind (is:issue, is:pr), state (is:closed, is:open),
// reason:, type:, label:, milestone:, author:, linked:, closed:, created:,
// -label:, -author:, sort:, then Other verbatim and in order. Values with
// spaces, colons, commas, quotes or parentheses are double-quoted
// (label:"R: duplicate"); plain values are not (label:bug).
//
// For a Query that passes Validate, Parse(q.String()) equals q. String does
// not modify q.
func (q Query) String() string {
	parts := q.parts(false)
	terms := make([]string, len(parts))
	for i, p := range parts {
		terms[i] = p.Term
	}
	return strings.Join(terms, " ")
}

// Encoding selects how URL writes spaces in the q parameter.
type Encoding int

const (
	// EncodingPlus writes form encoding, as url.QueryEscape and GitHub's
	// classic UI: space as +, : as %3A, " as %22.
	EncodingPlus Encoding = iota
	// EncodingPercent is EncodingPlus with %20 for spaces, as GitHub's newer
	// issues UI writes links.
	EncodingPercent
)

// URL returns the link a person would open to see q's results on server
// (such as https://github.com or a GitHub Enterprise host; a trailing slash
// is ignored). With exactly one repo and no org it is that repository's
// issues page, SERVER/OWNER/REPO/issues?q=..., whose q leaves out the repo:
// term; otherwise it is SERVER/search?q=...&type=issues with the full query.
// Parse(q.URL(server, enc)) equals q for a Query that passes Validate.
func (q Query) URL(server string, enc Encoding) string {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	if len(q.Repos) == 1 && len(q.Orgs) == 0 {
		rest := q
		rest.Repos = nil
		return server + "/" + q.Repos[0] + "/issues?q=" + escape(rest.String(), enc)
	}
	return server + "/search?q=" + escape(q.String(), enc) + "&type=issues"
}

func escape(s string, enc Encoding) string {
	e := url.QueryEscape(s)
	if enc == EncodingPercent {
		// A literal + is already %2B, so every + here is a space.
		e = strings.ReplaceAll(e, "+", "%20")
	}
	return e
}

// quote double-quotes v when it would not read back as one value unquoted.
func quote(v string) string {
	if v == "" || strings.IndexFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`:,"()`, r) || !unicode.IsGraphic(r)
	}) >= 0 {
		return `"` + v + `"`
	}
	return v
}

// Validate reports the first value of q that String cannot write so that
// Parse reads it back: a Kind, State or Reason that is none of the package's
// constants, a label, milestone, author, type or sort containing a double
// quote or empty, a repo not in OWNER/NAME form, an org that is not a name, a
// window whose start is after its end, whose bounds are not whole seconds
// (days: midnight UTC) or lie outside the years 1970 to 9999, and an Other
// term that Parse would not keep
// verbatim in Other (a qualifier that has its own field, an operator, an
// unbalanced quote). Call it before String or URL on a Query built by hand; a
// Query from Parse is always valid.
func (q Query) Validate() error {
	checkValue := func(what, v string) error {
		switch {
		case v == "":
			return fmt.Errorf("filters: empty %s: remove it or give it a value", what)
		case strings.Contains(v, `"`):
			return fmt.Errorf("filters: %s %q contains a double quote, which a search query cannot express: filter on it after fetching instead", what, v)
		}
		return nil
	}
	var first error
	add := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, r := range q.Repos {
		if !ValidRepo(r) {
			add(fmt.Errorf("filters: repo %q is not in OWNER/NAME form, e.g. QubesOS/qubes-issues", r))
		}
	}
	for _, o := range q.Orgs {
		if !validName(o) {
			add(fmt.Errorf("filters: org %q is not an organisation name, e.g. QubesOS", o))
		}
	}
	switch q.Kind {
	case KindAny, KindIssue, KindPR:
	default:
		add(fmt.Errorf("filters: kind %q is not issue or pr: use KindIssue, KindPR or KindAny", q.Kind))
	}
	switch q.State {
	case StateAny, StateOpen, StateClosed:
	default:
		add(fmt.Errorf("filters: state %q is not open or closed: use StateOpen, StateClosed or StateAny", q.State))
	}
	switch q.Reason {
	case ReasonAny, ReasonCompleted, ReasonNotPlanned:
	default:
		add(fmt.Errorf("filters: reason %q is not %q or %q: use ReasonCompleted, ReasonNotPlanned or ReasonAny", q.Reason, ReasonCompleted, ReasonNotPlanned))
	}
	if q.Type != "" {
		add(checkValue("issue type", q.Type))
		switch strings.ToLower(q.Type) {
		case "issue", "pr", "pull-request":
			add(fmt.Errorf("filters: issue type %q would read as is:%s: set Kind instead", q.Type, strings.ToLower(q.Type)))
		}
	}
	for _, g := range q.Labels {
		if len(g) == 0 {
			add(fmt.Errorf("filters: an empty label group matches nothing: remove it"))
		}
		for _, l := range g {
			add(checkValue("label", l))
		}
	}
	for _, l := range q.ExcludeLabels {
		add(checkValue("excluded label", l))
	}
	if q.Milestone != "" {
		add(checkValue("milestone", q.Milestone))
	}
	for _, a := range q.Authors {
		add(checkValue("author", a))
	}
	for _, a := range q.ExcludeAuthors {
		add(checkValue("excluded author", a))
	}
	if q.Sort != "" {
		add(checkValue("sort", q.Sort))
	}
	add(validateWindow("closed", q.Closed))
	add(validateWindow("created", q.Created))
	if first != nil {
		return first
	}
	// Other must read back as the same terms, each landing in Other again
	// after the fields: replay them onto the structured part.
	base := q.clone()
	base.Other = nil
	var toks []token
	for _, o := range q.Other {
		t, perr := tokenize(o)
		if perr != nil {
			perr.Input = o
			return fmt.Errorf("filters: term %q in Other: %w", o, perr)
		}
		if len(t) != 1 || t[0].text != o {
			return fmt.Errorf("filters: term %q in Other is not one term: remove it if empty, quote its spaces otherwise", o)
		}
		toks = append(toks, t[0])
	}
	if len(q.Other) > 0 && isLink(q.String()) {
		return fmt.Errorf("filters: query %q would read as a link: quote the keyword %q", q.String(), q.Other[0])
	}
	var bad string
	perr := base.addTokens(toks, func(t token, d disposition) bool {
		if d != toOther {
			bad = t.text
		}
		return bad == ""
	})
	if perr != nil {
		perr.Input, perr.Pos = strings.Join(q.Other, " "), -1
		return fmt.Errorf("filters: terms in Other: %w", perr)
	}
	if bad != "" {
		return fmt.Errorf("filters: term %q in Other would be read into a field of the query: set that field instead", bad)
	}
	return nil
}

func validateWindow(name string, w Window) error {
	if err := w.Validate(); err != nil {
		return fmt.Errorf("filters: %s %w", name, err)
	}
	return nil
}
