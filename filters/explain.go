package filters

import (
	"fmt"
	"strings"
)

// Line is one term of a query and what it means, in plain words.
type Line struct {
	Term    string // the term as String writes it, e.g. -label:"R: duplicate"
	Meaning string // e.g. leave out issues labelled "R: duplicate"
}

// Explain returns one Line per term of q, in String order (so the Terms
// joined with spaces are q.String()), for a person checking what a link asks
// GitHub for. It returns nil for the zero Query, which matches everything.
func (q Query) Explain() []Line { return q.parts(true) }

// parts lists q's terms in String order; with meanings false only Term is set,
// so String does not pay for the explanations.
func (q Query) parts(meanings bool) []Line {
	var out []Line
	add := func(term string, meaning func() string) {
		l := Line{Term: term}
		if meanings {
			l.Meaning = meaning()
		}
		out = append(out, l)
	}
	noun := q.noun()
	scope := func(s string) func() string {
		return func() string {
			if len(q.Repos)+len(q.Orgs) > 1 {
				return s + " (any of the repo: and org: terms)"
			}
			return s
		}
	}
	for _, r := range q.Repos {
		add("repo:"+r, scope(noun+" of the repository "+r))
	}
	for _, o := range q.Orgs {
		add("org:"+o, scope(noun+" of every repository owned by "+o))
	}
	switch q.Kind {
	case KindIssue:
		add("is:issue", func() string { return "issues only, no pull requests" })
	case KindPR:
		add("is:pr", func() string { return "pull requests only, no issues" })
	}
	switch q.State {
	case StateClosed:
		add("is:closed", func() string { return "closed " + noun + " only" })
	case StateOpen:
		add("is:open", func() string { return "open " + noun + " only" })
	}
	switch q.Reason {
	case ReasonCompleted:
		add("reason:completed", func() string {
			return "closed as completed (items closed before GitHub recorded close reasons count as completed)"
		})
	case ReasonNotPlanned:
		add(`reason:"not planned"`, func() string { return "closed as not planned" })
	}
	if q.Type != "" {
		add("type:"+quote(q.Type), func() string { return fmt.Sprintf("issue type %q", q.Type) })
	}
	for _, g := range q.Labels {
		quoted := make([]string, len(g))
		for i, l := range g {
			quoted[i] = quote(l)
		}
		add("label:"+strings.Join(quoted, ","), func() string { return "labelled " + orList(g) })
	}
	if q.Milestone != "" {
		add("milestone:"+quote(q.Milestone), func() string { return fmt.Sprintf("in the milestone %q", q.Milestone) })
	}
	for _, a := range q.Authors {
		add("author:"+quote(a), func() string {
			s := "opened by " + describeAuthor(a)
			if len(q.Authors) > 1 {
				s += " (any of the author: terms)"
			}
			return s
		})
	}
	if q.LinkedPR != nil {
		if *q.LinkedPR {
			add("linked:pr", func() string { return "linked to a pull request that will close it" })
		} else {
			add("-linked:pr", func() string { return "not linked to a pull request that will close it" })
		}
	}
	if !q.Closed.IsZero() {
		add("closed:"+q.Closed.String(), func() string { return explainWindow("closed", q.Closed) })
	}
	if !q.Created.IsZero() {
		add("created:"+q.Created.String(), func() string { return explainWindow("created", q.Created) })
	}
	for _, l := range q.ExcludeLabels {
		add("-label:"+quote(l), func() string { return fmt.Sprintf("leave out %s labelled %q", noun, l) })
	}
	for _, a := range q.ExcludeAuthors {
		add("-author:"+quote(a), func() string { return fmt.Sprintf("leave out %s opened by %s", noun, describeAuthor(a)) })
	}
	if q.Sort != "" {
		add("sort:"+quote(q.Sort), func() string {
			return "sort the web page by " + q.Sort + " (the search API ignores it)"
		})
	}
	for _, t := range q.Other {
		add(t, func() string { return "passed to GitHub as written; relnotes does not check it on fetched issues" })
	}
	return out
}

func (q Query) noun() string {
	switch q.Kind {
	case KindIssue:
		return "issues"
	case KindPR:
		return "pull requests"
	}
	return "issues and pull requests"
}

func orList(g []string) string {
	q := make([]string, len(g))
	for i, l := range g {
		q[i] = fmt.Sprintf("%q", l)
	}
	return strings.Join(q, " or ")
}

func describeAuthor(a string) string {
	switch name, isApp := strings.CutPrefix(a, "app/"); {
	case a == "@me":
		return "you (the signed-in user)"
	case isApp:
		return fmt.Sprintf("the app %s (login %s[bot])", name, name)
	}
	return a
}

// explainWindow describes w in a sentence starting with verb ("closed").
func explainWindow(verb string, w Window) string {
	from, to := w.From.text(), w.To.text()
	switch {
	case w.To.IsOpen() && w.From.Day:
		return fmt.Sprintf("%s on or after %s (the whole UTC day)", verb, from)
	case w.To.IsOpen():
		return fmt.Sprintf("%s at or after %s (UTC)", verb, from)
	case w.From.IsOpen() && w.To.Day:
		return fmt.Sprintf("%s on or before %s (the whole UTC day)", verb, to)
	case w.From.IsOpen():
		return fmt.Sprintf("%s at or before %s (UTC)", verb, to)
	case w.From.Day && w.To.Day:
		days := int(w.End().Sub(w.Start()).Hours()/24 + 0.5)
		if days == 1 {
			return fmt.Sprintf("%s on %s, a whole day in UTC", verb, from)
		}
		return fmt.Sprintf("%s %s through %s, whole days in UTC, %d days", verb, from, to, days)
	case !w.From.Day && !w.To.Day:
		return fmt.Sprintf("%s from %s through %s (UTC)", verb, from, to)
	}
	return fmt.Sprintf("%s from %s through %s (UTC; a date means the whole day)", verb, from, to)
}
