package filters

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse reads a GitHub issue search: either the raw query text
// (is:issue is:closed closed:2024-03-26..2024-09-09 -label:"R: duplicate")
// or a link to it:
//
//   - a repository's issues or pull requests page,
//     https://SERVER/OWNER/REPO/issues?q=... (OWNER/REPO becomes the first
//     element of Repos);
//   - a global search, https://SERVER/search?q=...&type=issues.
//
// SERVER may be github.com or a GitHub Enterprise host, over http or https.
// Spaces may be encoded as + or %20; other parameters are ignored.
//
// Terms are separated by whitespace; double quotes group (label:"R: duplicate");
// a leading - negates. Qualifiers with a field in Query fill it; everything else
// (keywords, in:title, no:label, -is:pr, unknown qualifiers ...) is kept
// verbatim in Other. When a single-valued qualifier repeats with a different
// value (is:issue is:pr), the first fills the field and the rest go to Other;
// an exact repeat is dropped. Two closed: (or created:) qualifiers are merged
// when one gives only the start and the other only the end.
//
// Boolean operators AND and OR and parentheses are rejected, because the
// terms are not kept in an expression tree and would change meaning.
//
// Every error is a *ParseError.
func Parse(s string) (Query, error) {
	s = strings.TrimSpace(s)
	if isLink(s) {
		return parseLink(s)
	}
	var q Query
	if err := q.addTerms(s); err != nil {
		err.Input = s
		return Query{}, err
	}
	return q, nil
}

// AddTerms reads the query text s and adds its terms to q exactly as Parse
// would if s followed q's own terms (q.String() + " " + s). Use it for terms
// given one by one, such as a --term flag: linked:pr sets LinkedPR, a
// keyword lands in Other. On error q is unchanged and the error is a
// *ParseError.
func (q *Query) AddTerms(s string) error {
	c := q.clone()
	if err := c.addTerms(s); err != nil {
		err.Input = s
		return err
	}
	*q = c
	return nil
}

func (q Query) clone() Query {
	c := q
	c.Labels = slices.Clone(q.Labels)
	for i := range c.Labels {
		c.Labels[i] = slices.Clone(c.Labels[i])
	}
	c.ExcludeLabels = slices.Clone(q.ExcludeLabels)
	c.Authors = slices.Clone(q.Authors)
	c.ExcludeAuthors = slices.Clone(q.ExcludeAuthors)
	c.Repos = slices.Clone(q.Repos)
	c.Orgs = slices.Clone(q.Orgs)
	c.Other = slices.Clone(q.Other)
	if q.LinkedPR != nil {
		v := *q.LinkedPR
		c.LinkedPR = &v
	}
	return c
}

func isLink(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

func parseLink(link string) (Query, error) {
	linkErr := func(msg, hint string) (Query, error) {
		return Query{}, &ParseError{Input: link, Pos: -1, Msg: msg, Hint: hint}
	}
	const pageHint = "use a link like https://github.com/OWNER/REPO/issues?q=... or https://github.com/search?q=...&type=issues"
	// Pasted links often drag along a separator or the closing bracket of
	// Markdown or an <autolink>.
	trimmed := strings.TrimRight(link, "&?#> \t\r\n")
	if !strings.Contains(trimmed, "(") {
		trimmed = strings.TrimRight(trimmed, ")")
	}
	u, err := url.Parse(trimmed)
	if err != nil {
		return linkErr("the link is not a valid URL", "copy the whole link from the browser's address bar")
	}
	if u.Host == "" {
		return linkErr("the link has no host name", pageHint)
	}
	vals, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return linkErr("the link's parameters are malformed ("+err.Error()+")", "copy the whole link from the browser's address bar")
	}
	var repo string
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case len(segs) == 1 && strings.EqualFold(segs[0], "search"):
		if t := strings.ToLower(vals.Get("type")); t != "" && t != "issues" && t != "pullrequests" {
			return linkErr(fmt.Sprintf("the link searches %s, not issues", vals.Get("type")), "use a search link with type=issues")
		}
	case len(segs) == 1 && (strings.EqualFold(segs[0], "issues") || strings.EqualFold(segs[0], "pulls")):
		// The dashboard of issues across repositories: a plain search.
	case len(segs) == 3 && (strings.EqualFold(segs[2], "issues") || strings.EqualFold(segs[2], "pulls")):
		repo = segs[0] + "/" + segs[1]
		if !ValidRepo(repo) {
			return linkErr(fmt.Sprintf("the link's repository %q is not OWNER/NAME", repo), pageHint)
		}
	default:
		return linkErr(fmt.Sprintf("the link's page %q is not an issues, pulls or search page", u.Path), pageHint)
	}
	qs, ok := vals["q"]
	if !ok {
		return linkErr("the link has no q parameter, so it holds no search", "type the search on the issues page, then copy the link")
	}
	var q Query
	if repo != "" {
		q.Repos = []string{repo}
	}
	text := strings.TrimSpace(qs[0])
	if perr := q.addTerms(text); perr != nil {
		perr.Input, perr.Link = text, link
		return Query{}, perr
	}
	if len(q.Other) > 0 && isLink(q.String()) {
		return Query{}, &ParseError{Input: text, Link: link, Pos: 0, Msg: "the search starts with a link",
			Hint: "quote it to search for it as text"}
	}
	if repo != "" {
		// repo:OWNER/REPO repeated in q names the page's own repository.
		q.Repos = slices.DeleteFunc(q.Repos[1:], func(r string) bool { return strings.EqualFold(r, repo) })
		q.Repos = append([]string{repo}, q.Repos...)
	}
	return q, nil
}

// token is one whitespace-separated term and its byte offset in the input.
type token struct {
	text string
	pos  int
}

func tokenize(s string) ([]token, *ParseError) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		start, quoteAt, inQuote := i, 0, false
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '"' {
				if !inQuote {
					quoteAt = i
				}
				inQuote = !inQuote
			} else if !inQuote && unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if inQuote {
			return nil, &ParseError{Pos: quoteAt, Msg: "unterminated quote", Hint: `add the closing "`}
		}
		toks = append(toks, token{s[start:i], start})
	}
	return toks, nil
}

// addTerms parses s into q. The returned error has no Input yet.
func (q *Query) addTerms(s string) *ParseError {
	toks, err := tokenize(s)
	if err != nil {
		return err
	}
	return q.addTokens(toks, nil)
}

// addTokens adds toks in order; visit, if not nil, sees where each went and
// stops the loop by returning false.
func (q *Query) addTokens(toks []token, visit func(token, disposition) bool) *ParseError {
	for i, t := range toks {
		if t.text == "NOT" {
			if i+1 == len(toks) || isQualifier(toks[i+1].text) {
				return &ParseError{Pos: t.pos, Msg: "NOT must come before a keyword",
					Hint: "negate a qualifier with a leading -, as in -label:bug"}
			}
		}
		d, err := q.addTerm(t)
		if err != nil {
			return err
		}
		if visit != nil && !visit(t, d) {
			return nil
		}
	}
	return nil
}

// disposition says where addTerm put a term.
type disposition int

const (
	toField disposition = iota // filled or extended a field
	dropped                    // repeated a field's value exactly
	toOther                    // kept verbatim in Other
)

func isQualifier(term string) bool {
	_, _, ok := splitQualifier(strings.TrimPrefix(term, "-"))
	return ok
}

// splitQualifier splits NAME:VALUE where NAME is ASCII letters, '_' or '-',
// starting with a letter: a word in another script before a colon is a
// keyword, not a qualifier.
func splitQualifier(s string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(s, ":")
	if !ok || name == "" {
		return "", "", false
	}
	for i, r := range name {
		letter := r < utf8.RuneSelf && unicode.IsLetter(r)
		if !letter && (i == 0 || (r != '_' && r != '-')) {
			return "", "", false
		}
	}
	return name, value, true
}

// hasBareParen reports whether s has a parenthesis outside double quotes.
func hasBareParen(s string) bool {
	in := false
	for _, r := range s {
		switch {
		case r == '"':
			in = !in
		case !in && (r == '(' || r == ')'):
			return true
		}
	}
	return false
}

// unquote removes the double quotes that group a value.
func unquote(s string) string { return strings.ReplaceAll(s, `"`, "") }

func (q *Query) addTerm(t token) (disposition, *ParseError) {
	text := t.text
	if text == "AND" || text == "OR" || hasBareParen(text) {
		return 0, &ParseError{Pos: t.pos, Msg: fmt.Sprintf("boolean operators and parentheses are not supported (%q)", text),
			Hint: `separate terms with spaces for "and"; write label:a,b for "label a or b"; quote values with parentheses`}
	}
	body, neg := strings.CutPrefix(text, "-")
	name, raw, ok := splitQualifier(body)
	if !ok {
		return q.other(text), nil
	}
	lname := strings.ToLower(name)
	vpos := t.pos + len(text) - len(raw)
	v := unquote(raw)
	if v == "" {
		if !knownQualifier[lname] {
			return q.other(text), nil
		}
		return 0, &ParseError{Pos: vpos, Msg: fmt.Sprintf("%s: has no value", lname),
			Hint: fmt.Sprintf(`write %s:VALUE (quote values with spaces) or remove the term`, lname)}
	}
	lv := strings.ToLower(v)
	switch lname {
	case "is", "state", "type":
		if neg {
			break
		}
		switch {
		case lname != "state" && lv == "issue":
			return setOnce(q, &q.Kind, KindIssue, text), nil
		case lname != "state" && (lv == "pr" || lv == "pull-request"):
			return setOnce(q, &q.Kind, KindPR, text), nil
		case lname != "type" && lv == "open":
			return setOnce(q, &q.State, StateOpen, text), nil
		case lname != "type" && lv == "closed":
			return setOnce(q, &q.State, StateClosed, text), nil
		case lname == "type":
			if strings.EqualFold(q.Type, v) {
				return dropped, nil
			}
			return setOnce(q, &q.Type, v, text), nil
		}
	case "reason":
		if neg {
			break
		}
		switch strings.NewReplacer("-", " ", "_", " ").Replace(lv) {
		case "completed":
			return setOnce(q, &q.Reason, ReasonCompleted, text), nil
		case "not planned":
			return setOnce(q, &q.Reason, ReasonNotPlanned, text), nil
		}
	case "label":
		labels, err := splitList(raw, vpos)
		if err != nil {
			return 0, err
		}
		if neg {
			q.ExcludeLabels = append(q.ExcludeLabels, labels...)
		} else {
			q.Labels = append(q.Labels, labels)
		}
		return toField, nil
	case "milestone":
		if !neg {
			return setOnce(q, &q.Milestone, v, text), nil
		}
	case "author":
		if neg {
			q.ExcludeAuthors = append(q.ExcludeAuthors, v)
		} else {
			q.Authors = append(q.Authors, v)
		}
		return toField, nil
	case "linked":
		if lv == "pr" {
			want := !neg
			if q.LinkedPR == nil {
				q.LinkedPR = &want
				return toField, nil
			}
			if *q.LinkedPR == want {
				return dropped, nil
			}
		}
	case "closed", "created":
		if neg {
			break
		}
		w, err := parseWindow(v, vpos)
		if err != nil {
			return 0, err
		}
		field := &q.Closed
		if lname == "created" {
			field = &q.Created
		}
		return q.setWindow(field, w, t)
	case "repo", "org":
		if neg {
			break
		}
		list, valid, what, hint := &q.Repos, ValidRepo, "repository", "write repo:OWNER/NAME, as in repo:QubesOS/qubes-issues"
		if lname == "org" {
			list, valid, what, hint = &q.Orgs, validName, "organisation", "write org:NAME, as in org:QubesOS"
		}
		if !valid(v) {
			return 0, &ParseError{Pos: vpos, Msg: fmt.Sprintf("invalid %s %q", what, v), Hint: hint}
		}
		*list = append(*list, v)
		return toField, nil
	case "sort":
		if !neg {
			return setOnce(q, &q.Sort, v, text), nil
		}
	}
	return q.other(text), nil
}

// knownQualifier lists the qualifiers that have a field, for which an empty
// value is a mistake rather than a keyword.
var knownQualifier = map[string]bool{
	"is": true, "state": true, "type": true, "reason": true, "label": true, "milestone": true,
	"author": true, "linked": true, "closed": true, "created": true, "repo": true, "org": true, "sort": true,
}

func (q *Query) other(text string) disposition {
	q.Other = append(q.Other, text)
	return toOther
}

// setOnce fills an empty single-valued field, drops an exact repeat and
// sends a conflicting value to Other.
func setOnce[T ~string](q *Query, field *T, v T, text string) disposition {
	switch *field {
	case "":
		*field = v
		return toField
	case v:
		return dropped
	}
	return q.other(text)
}

func (q *Query) setWindow(field *Window, w Window, t token) (disposition, *ParseError) {
	cur := *field
	switch {
	case w.IsZero():
		return q.other(t.text), nil
	case cur.IsZero():
		*field = w
		return toField, nil
	case cur.equal(w):
		return dropped, nil
	}
	onlyFrom := func(x Window) bool { return !x.From.IsOpen() && x.To.IsOpen() }
	onlyTo := func(x Window) bool { return x.From.IsOpen() && !x.To.IsOpen() }
	var merged Window
	switch {
	case onlyFrom(cur) && onlyTo(w):
		merged = Window{From: cur.From, To: w.To}
	case onlyTo(cur) && onlyFrom(w):
		merged = Window{From: w.From, To: cur.To}
	default:
		return q.other(t.text), nil
	}
	if merged.Empty() {
		return 0, &ParseError{Pos: t.pos, Msg: fmt.Sprintf("%q leaves no time in the window %s", t.text, cur),
			Hint: "check the dates: the start must come before the end"}
	}
	*field = merged
	return toField, nil
}

// splitList splits a label: value on commas outside quotes and unquotes each
// label. pos is the value's offset, for errors.
func splitList(raw string, pos int) ([]string, *ParseError) {
	var out []string
	in, start := false, 0
	for i := 0; i <= len(raw); i++ {
		if i < len(raw) && raw[i] == '"' {
			in = !in
		}
		if i == len(raw) || (!in && raw[i] == ',') {
			part := unquote(raw[start:i])
			if part == "" {
				return nil, &ParseError{Pos: pos + start, Msg: fmt.Sprintf("empty label in list %q", raw),
					Hint: "remove the extra comma"}
			}
			out = append(out, part)
			start = i + 1
		}
	}
	return out, nil
}

// validName reports whether s can be a GitHub owner or repository name:
// ASCII letters, digits, '-', '_' and '.', but not "." or "..".
func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.", r))) {
			return false
		}
	}
	return true
}

// ValidRepo reports whether s is a repository in OWNER/NAME form, both
// valid GitHub names (ASCII letters, digits, "-", "_" and ".").
func ValidRepo(s string) bool {
	owner, name, ok := strings.Cut(s, "/")
	return ok && validName(owner) && validName(name)
}
