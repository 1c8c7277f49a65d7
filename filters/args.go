package filters

import "strings"

// Args returns the `relnotes link` flags that reproduce q, in String order:
//
//	--repo R            one per repo
//	--org O             one per org
//	--kind pr|any       omitted for issue (the CLI default)
//	--state open|any    omitted for closed (the default)
//	--reason not-planned|any   omitted for completed (the default)
//	--issue-type T
//	--label A[,B...]    one per label: group; commas separate alternatives
//	--milestone M
//	--author A          one per author
//	--since D --until D the closed window's ends, each a day or an RFC 3339
//	                    time in UTC; an open end is left out
//	--created W         the created window in query form (Window.String)
//	--exclude-label L   one per excluded label
//	--exclude-author A  one per excluded author
//	--link-sort S
//	--term T            linked:pr or -linked:pr, then each Other term verbatim
//	                    (NOT and the keyword after it share one --term)
//
// A value that starts with "-" is written --flag=value so no flag parser can
// mistake it for a flag. The --term values must be added with AddTerms (not
// appended to Other) so that linked:pr sets LinkedPR. An included label
// containing a comma cannot be written as --label; Args writes it anyway and
// the CLI splits it.
func (q Query) Args() []string {
	var args []string
	add := func(flag, v string) {
		if strings.HasPrefix(v, "-") {
			args = append(args, flag+"="+v)
			return
		}
		args = append(args, flag, v)
	}
	for _, r := range q.Repos {
		add("--repo", r)
	}
	for _, o := range q.Orgs {
		add("--org", o)
	}
	switch q.Kind {
	case KindAny:
		add("--kind", "any")
	case KindPR:
		add("--kind", "pr")
	}
	switch q.State {
	case StateAny:
		add("--state", "any")
	case StateOpen:
		add("--state", "open")
	}
	switch q.Reason {
	case ReasonAny:
		add("--reason", "any")
	case ReasonNotPlanned:
		add("--reason", "not-planned")
	}
	if q.Type != "" {
		add("--issue-type", q.Type)
	}
	for _, g := range q.Labels {
		add("--label", strings.Join(g, ","))
	}
	if q.Milestone != "" {
		add("--milestone", q.Milestone)
	}
	for _, a := range q.Authors {
		add("--author", a)
	}
	if !q.Closed.From.IsOpen() {
		add("--since", q.Closed.From.text())
	}
	if !q.Closed.To.IsOpen() {
		add("--until", q.Closed.To.text())
	}
	if !q.Created.IsZero() {
		add("--created", q.Created.String())
	}
	for _, l := range q.ExcludeLabels {
		add("--exclude-label", l)
	}
	for _, a := range q.ExcludeAuthors {
		add("--exclude-author", a)
	}
	if q.Sort != "" {
		add("--link-sort", q.Sort)
	}
	if q.LinkedPR != nil {
		if *q.LinkedPR {
			add("--term", "linked:pr")
		} else {
			add("--term", "-linked:pr")
		}
	}
	for i := 0; i < len(q.Other); i++ {
		t := q.Other[i]
		if t == "NOT" && i+1 < len(q.Other) {
			// NOT alone is not a term AddTerms accepts.
			i++
			t += " " + q.Other[i]
		}
		add("--term", t)
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
