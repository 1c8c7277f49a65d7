package filters

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Issue is what Match needs to know about one fetched issue or pull request.
type Issue struct {
	Repo        string // OWNER/NAME
	Number      int
	IsPR        bool
	State       string // "open" or "closed"
	StateReason string // "completed", "not_planned", "duplicate", "reopened" or "" (null)
	Labels      []string
	Type        string // issue type name, "" if none
	Milestone   string // milestone title, "" if none
	Author      string // login, e.g. "dependabot[bot]" for an app
	AuthorIsBot bool
	LinkedPR    *bool // whether a pull request will close it; nil if unknown
	CreatedAt   time.Time
	ClosedAt    time.Time
}

// Match reports whether is satisfies q's structured fields and, if not, a
// short reason such as `label "R: duplicate" is excluded`.
//
// It follows GitHub's search semantics: names (labels, milestone, authors,
// type, repo, org) compare case-insensitively; reason:completed also matches
// a closed issue whose state_reason is null, because GitHub shows issues
// closed before close reasons existed as completed; reason:"not planned"
// matches not_planned, and a duplicate matches neither. author:app/NAME
// matches the login NAME[bot]. Day bounds cover whole UTC days at both ends.
// Repos and Orgs are alternatives: the issue must be in one of the repos or
// owned by one of the orgs. A closed: window never matches an open issue or a
// closed one without ClosedAt; a created: window needs CreatedAt.
//
// Match checks only the structured fields. Terms in Other (keywords, in:title,
// no:label ...) and author:@me are ignored; Unmatchable lists them so callers
// can warn. LinkedPR is checked only when is.LinkedPR is known.
func (q Query) Match(is Issue) (ok bool, why string) {
	noun := "issue"
	if is.IsPR {
		noun = "pull request"
	}
	closed := strings.EqualFold(is.State, "closed")
	if len(q.Repos)+len(q.Orgs) > 0 {
		owner, _, _ := strings.Cut(is.Repo, "/")
		if !slices.ContainsFunc(q.Repos, func(r string) bool { return SameName(r, is.Repo) }) &&
			!slices.ContainsFunc(q.Orgs, func(o string) bool { return SameName(o, owner) }) {
			return false, fmt.Sprintf("repository %s is not one the query names", is.Repo)
		}
	}
	switch {
	case q.Kind == KindIssue && is.IsPR:
		return false, "a pull request, and the query asks for issues"
	case q.Kind == KindPR && !is.IsPR:
		return false, "an issue, and the query asks for pull requests"
	case q.State == StateClosed && !closed:
		return false, noun + " is " + is.State + ", not closed"
	case q.State == StateOpen && closed:
		return false, noun + " is closed, not open"
	}
	if q.Reason != ReasonAny {
		reason := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(is.StateReason))
		switch {
		case !closed:
			return false, fmt.Sprintf("%s is %s, so it has no close reason", noun, is.State)
		case q.Reason == ReasonCompleted && reason != "completed" && reason != "":
			return false, fmt.Sprintf("closed as %s, not completed", reason)
		case q.Reason == ReasonNotPlanned && reason != "not_planned":
			if reason == "" {
				reason = "completed (no reason recorded)"
			}
			return false, fmt.Sprintf("closed as %s, not as not planned", reason)
		}
	}
	if q.Type != "" && !SameName(q.Type, is.Type) {
		return false, fmt.Sprintf("issue type is %q, not %q", is.Type, q.Type)
	}
	for _, g := range q.Labels {
		if !slices.ContainsFunc(g, func(l string) bool { return hasFold(is.Labels, l) }) {
			return false, "not labelled " + orList(g)
		}
	}
	if q.Milestone != "" && !SameName(q.Milestone, is.Milestone) {
		if is.Milestone == "" {
			return false, fmt.Sprintf("in no milestone, not %q", q.Milestone)
		}
		return false, fmt.Sprintf("in the milestone %q, not %q", is.Milestone, q.Milestone)
	}
	if authors := slices.DeleteFunc(slices.Clone(q.Authors), isMe); len(authors) > 0 &&
		!slices.ContainsFunc(authors, func(a string) bool { return authorIs(a, is) }) {
		return false, fmt.Sprintf("opened by %s, not by %s", BotLogin(is.Author, is.AuthorIsBot), strings.Join(authors, " or "))
	}
	if q.LinkedPR != nil && is.LinkedPR != nil && *q.LinkedPR != *is.LinkedPR {
		if *q.LinkedPR {
			return false, "not linked to a pull request"
		}
		return false, "linked to a pull request"
	}
	if !q.Closed.IsZero() {
		switch {
		case !closed:
			return false, fmt.Sprintf("%s is %s, and the query asks for a close time", noun, is.State)
		case is.ClosedAt.IsZero():
			return false, "close time unknown"
		}
		if why := outside("closed", q.Closed, is.ClosedAt); why != "" {
			return false, why
		}
	}
	if !q.Created.IsZero() {
		if is.CreatedAt.IsZero() {
			return false, "creation time unknown"
		}
		if why := outside("created", q.Created, is.CreatedAt); why != "" {
			return false, why
		}
	}
	for _, l := range q.ExcludeLabels {
		if hasFold(is.Labels, l) {
			return false, fmt.Sprintf("label %q is excluded", l)
		}
	}
	for _, a := range q.ExcludeAuthors {
		if !isMe(a) && authorIs(a, is) {
			return false, fmt.Sprintf("author %s is excluded", a)
		}
	}
	return true, ""
}

// Unmatchable returns the terms of q that Match cannot evaluate and ignores:
// every Other term, author:@me / -author:@me (Match does not know who "me"
// is), and linked:pr / -linked:pr (the REST API's issue data does not say
// whether a closing pull request is linked, so fetched issues leave
// Issue.LinkedPR nil). Nil when Match checks everything q asks.
func (q Query) Unmatchable() []string {
	var out []string
	if q.LinkedPR != nil {
		out = append(out, linkedTerm(*q.LinkedPR))
	}
	for _, a := range q.Authors {
		if isMe(a) {
			out = append(out, "author:"+a)
		}
	}
	for _, a := range q.ExcludeAuthors {
		if isMe(a) {
			out = append(out, "-author:"+a)
		}
	}
	return append(out, q.Other...)
}

func isMe(a string) bool { return a == "@me" }

func hasFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return SameName(x, s) })
}

// SameName reports whether two names (labels, milestones, types, logins,
// repositories) are the same name the way GitHub's search index compares
// them: both lower-cased one letter at a time. It is the one comparison
// relnotes uses for names, in the query and in the sections of the notes,
// so that an issue the search found under label:bug is also the issue a
// section for "Bug" takes. strings.EqualFold is wider than lower-casing (it
// equates ſ with s, and a final ς with σ), so it would keep items GitHub's
// search leaves out. A repository cannot hold two labels that differ only
// in case, so for labels this rule and an exact one differ only in how the
// configuration is spelt.
func SameName(a, b string) bool {
	if a == b {
		return true
	}
	// strings.ToLower(a) == strings.ToLower(b), one rune at a time: the
	// grouping of every issue into sections calls this per label, and two
	// new strings per call were most of its allocations.
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

// SameAuthor reports whether name, an author as a person writes it (in
// author:, -author:, --author, --exclude-author or an exclude.authors list),
// names the account with the given login. It is the one rule relnotes
// applies to authors, and it is GitHub search's: app/NAME and NAME[bot]
// both name the app NAME, whose login the REST API writes NAME[bot] and gh
// writes app/NAME (login may be either, or NAME with isBot set); a plain
// NAME names the account NAME only, never an app. Names compare as SameName.
func SameAuthor(name, login string, isBot bool) bool {
	return SameName(canonicalLogin(name, false), canonicalLogin(login, isBot))
}

// BotLogin returns the login GitHub's REST API shows for the author that an
// export wrote as login: NAME[bot] for an app, whether written app/NAME (gh)
// or NAME with isBot set; any other login unchanged (also gh's "app/" for
// an app that no longer exists).
func BotLogin(login string, isBot bool) string { return canonicalLogin(login, isBot) }

func canonicalLogin(s string, isBot bool) string {
	if len(s) >= len("app/") && strings.EqualFold(s[:len("app/")], "app/") {
		if len(s) == len("app/") {
			return s
		}
		return s[len("app/"):] + "[bot]"
	}
	if isBot && !strings.HasSuffix(strings.ToLower(s), "[bot]") {
		return s + "[bot]"
	}
	return s
}

// authorIs reports whether the query author a (LOGIN or app/NAME) opened is.
func authorIs(a string, is Issue) bool { return SameAuthor(a, is.Author, is.AuthorIsBot) }

// outside explains why t is not in w, or returns "".
func outside(verb string, w Window, t time.Time) string {
	if w.Contains(t) {
		return ""
	}
	at := t.UTC().Format(instantLayout)
	if !w.From.IsOpen() && t.Before(w.Start()) {
		return fmt.Sprintf("%s %s, before the window's start %s", verb, at, boundNote(w.From))
	}
	return fmt.Sprintf("%s %s, after the window's end %s", verb, at, boundNote(w.To))
}

func boundNote(b Bound) string {
	if b.Day {
		return b.text() + " (whole UTC day)"
	}
	return b.text()
}
