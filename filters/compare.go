package filters

import (
	"fmt"
	"slices"
	"strings"
)

// Difference is one way in which two queries select different issues apart
// from their closed windows, e.g. a label one excludes and the other does
// not.
type Difference struct {
	// What names the part of the query, e.g. "label exclusions".
	What string
	// OnlyA and OnlyB are the terms only one side has, in query syntax
	// (-label:"R: duplicate", repo:a/b, reason:completed); at least one of
	// them is not empty.
	OnlyA, OnlyB []string
}

// String describes d with the sides named "the first query" and "the
// second"; Describe names them.
func (d Difference) String() string { return d.Describe("the first query", "the second") }

// Describe says how the sides differ, naming side A a and side B b:
// "label exclusions differ: only the previous link has -label:invalid", or
// "close reasons differ: this link has reason:completed, the previous link
// has reason:\"not planned\"".
func (d Difference) Describe(a, b string) string {
	switch {
	case len(d.OnlyB) == 0:
		return fmt.Sprintf("%s differ: only %s has %s", d.What, a, strings.Join(d.OnlyA, " "))
	case len(d.OnlyA) == 0:
		return fmt.Sprintf("%s differ: only %s has %s", d.What, b, strings.Join(d.OnlyB, " "))
	}
	return fmt.Sprintf("%s differ: %s has %s, %s has %s", d.What, a, strings.Join(d.OnlyA, " "), b, strings.Join(d.OnlyB, " "))
}

// Differences lists how a and b differ in everything that selects issues
// except the closed window (which consecutive announcements change on
// purpose): repositories and organisations, kind, state, close reason,
// included and excluded labels and authors, issue type, milestone, linked
// pull requests, the created window, and other terms. Names are compared as
// GitHub's search compares them (letter case aside), lists as sets. The web
// page's sort order selects nothing and is ignored. Two queries with no
// differences list the same issues for the same closed window.
func Differences(a, b Query) []Difference {
	var out []Difference
	add := func(what string, av, bv []string) {
		onlyA, onlyB := setMinus(av, bv), setMinus(bv, av)
		if len(onlyA) > 0 || len(onlyB) > 0 {
			out = append(out, Difference{What: what, OnlyA: onlyA, OnlyB: onlyB})
		}
	}
	// Each part is written as its terms, so the values read as the link.
	terms := func(q Query, qualifier string) []string {
		var t []string
		for _, p := range q.parts(false) {
			if strings.HasPrefix(p.Term, qualifier) {
				t = append(t, p.Term)
			}
		}
		return t
	}
	scope := func(q Query) []string { return append(terms(q, "repo:"), terms(q, "org:")...) }
	add("repositories", scope(a), scope(b))
	for _, p := range []struct{ what, qualifier string }{
		{"kinds", "is:issue"}, {"kinds", "is:pr"},
		{"states", "is:open"}, {"states", "is:closed"},
		{"close reasons", "reason:"},
		{"included labels", "label:"},
		{"label exclusions", "-label:"},
		{"authors", "author:"},
		{"author exclusions", "-author:"},
		{"issue types", "type:"},
		{"milestones", "milestone:"},
		{"linked pull requests", "linked:"}, {"linked pull requests", "-linked:"},
		{"created windows", "created:"},
	} {
		add(p.what, terms(a, p.qualifier), terms(b, p.qualifier))
	}
	other := func(q Query) []string { return q.Other }
	add("other terms", other(a), other(b))
	return mergeByWhat(out)
}

// mergeByWhat joins differences reported per qualifier under one heading
// (is:issue and is:pr are both "kinds").
func mergeByWhat(ds []Difference) []Difference {
	var out []Difference
	for _, d := range ds {
		if n := len(out); n > 0 && out[n-1].What == d.What {
			out[n-1].OnlyA = append(out[n-1].OnlyA, d.OnlyA...)
			out[n-1].OnlyB = append(out[n-1].OnlyB, d.OnlyB...)
			continue
		}
		out = append(out, d)
	}
	return out
}

// setMinus returns the values of a that b lacks, compared as search
// compares names, in a's order and without repeats.
func setMinus(a, b []string) []string {
	var out []string
	for _, v := range a {
		has := func(x string) bool { return SameName(x, v) }
		if !slices.ContainsFunc(b, has) && !slices.ContainsFunc(out, has) {
			out = append(out, v)
		}
	}
	return out
}
