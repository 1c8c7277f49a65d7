package templates

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/changelog"
)

// groupCL builds a changelog of issues numbered 1.. with the given labels
// and authors ("name" for a user, "name[bot]" for an app).
func groupCL(issues ...changelog.Issue) *changelog.Changelog {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range issues {
		issues[i].Repository = "o/r"
		issues[i].Number = i + 1
		issues[i].Title = fmt.Sprint("t", i+1)
		issues[i].ClosedAt = at.Add(time.Duration(i) * time.Hour)
		if issues[i].Author == "" {
			issues[i].Author = "alice"
		}
	}
	return &changelog.Changelog{Issues: issues, Total: len(issues)}
}

func lab(labels ...string) changelog.Issue { return changelog.Issue{Labels: labels} }

func by(author string, bot bool, labels ...string) changelog.Issue {
	return changelog.Issue{Author: author, AuthorIsBot: bot, Labels: labels}
}

// numbers shows groups as title -> issue numbers, for whole-value diffs.
func numbers(groups []Group) map[string][]int {
	out := map[string][]int{}
	for _, g := range groups {
		for _, is := range g.Issues {
			out[g.Title] = append(out[g.Title], is.Number)
		}
	}
	return out
}

func TestGroupIssues(t *testing.T) {
	bugs := Section{Title: "Bugs", Labels: []string{"bug"}}
	all := Section{Title: "Everything", Labels: []string{"*"}}
	tests := []struct {
		name    string
		cl      *changelog.Changelog
		opt     Options
		want    map[string][]int
		leftOut int
	}{
		{"no sections: one untitled group", groupCL(lab("bug"), lab()),
			Options{}, map[string][]int{"": {1, 2}}, 0},
		{"catch-all default title", groupCL(lab("bug"), lab("x")),
			Options{Sections: []Section{bugs}}, map[string][]int{"Bugs": {1}, DefaultCatchAll: {2}}, 0},
		{"catch-all joins the section of the same title",
			groupCL(lab("bug"), lab("docs"), lab("x")),
			Options{Sections: []Section{bugs, {Title: "other CHANGES", Labels: []string{"docs"}}}},
			map[string][]int{"Bugs": {1}, "other CHANGES": {2, 3}}, 0},
		{"configured catch-all title joins its section",
			groupCL(lab("bug"), lab("x")),
			Options{Sections: []Section{{Title: "Misc", Labels: []string{"misc"}}, bugs}, CatchAll: "Misc"},
			map[string][]int{"Bugs": {1}, "Misc": {2}}, 0},
		{"GitHub rule: unmatched left out", groupCL(lab("bug"), lab("x"), lab()),
			Options{Sections: []Section{bugs}, LeaveOutUnmatched: true},
			map[string][]int{"Bugs": {1}}, 2},
		{"GitHub rule: * is the catch-all", groupCL(lab("bug"), lab("x")),
			Options{Sections: []Section{bugs, all}, LeaveOutUnmatched: true},
			map[string][]int{"Bugs": {1}, "Everything": {2}}, 0},
		{"GitHub rule: no categories keeps everything", groupCL(lab("bug"), lab("x")),
			Options{LeaveOutUnmatched: true}, map[string][]int{"": {1, 2}}, 0},
		{"excluded issues are not counted as left out",
			groupCL(lab("bug"), lab("skip"), lab("x")),
			Options{Sections: []Section{bugs}, LeaveOutUnmatched: true, Exclude: Exclude{Labels: []string{"SKIP"}}},
			map[string][]int{"Bugs": {1}}, 1},
		{"labels compare lower-cased", groupCL(lab("BUG"), lab("Bug"), lab("ſecurity")),
			Options{Sections: []Section{bugs, {Title: "Sec", Labels: []string{"security"}}}, LeaveOutUnmatched: true},
			map[string][]int{"Bugs": {1, 2}}, 1},
		{"app/NAME and NAME[bot] name the app, NAME the account",
			groupCL(by("dependabot[bot]", true), by("renovate[bot]", true), by("dependabot", false), by("app/snyk", true)),
			Options{Sections: []Section{{Title: "All", Labels: []string{"*"},
				ExcludeAuthors: []string{"app/dependabot", "RENOVATE[bot]", "snyk[bot]"}}}},
			map[string][]int{"All": {3}, DefaultCatchAll: {1, 2, 4}}, 0},
		{"exclude authors", groupCL(by("dependabot[bot]", true), by("dependabot", false), by("bob", false)),
			Options{Exclude: Exclude{Authors: []string{"dependabot"}}},
			map[string][]int{"": {1, 3}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GroupIssues(tt.cl, tt.opt)
			if diff := cmp.Diff(tt.want, numbers(got)); diff != "" {
				t.Errorf("GroupIssues (-want +got):\n%s", diff)
			}
			if n := LeftOut(tt.cl, tt.opt); n != tt.leftOut {
				t.Errorf("LeftOut = %d, want %d", n, tt.leftOut)
			}
			titles := map[string]bool{}
			for _, g := range got {
				if titles[g.Title] {
					t.Errorf("title %q appears twice", g.Title)
				}
				titles[g.Title] = true
			}
		})
	}
}

func TestAuthorHints(t *testing.T) {
	cl := groupCL(by("dependabot[bot]", true), by("dependabot[bot]", true), by("renovate[bot]", true), by("carol", false))
	opt := Options{
		Exclude:  Exclude{Authors: []string{"dependabot", "renovate[bot]", "carol", "*"}},
		Sections: []Section{{Title: "A", Labels: []string{"*"}, ExcludeAuthors: []string{"dependabot", "app/renovate"}}},
	}
	want := []string{`author "dependabot" names the account dependabot, not the app dependabot[bot] that opened 2 issues; write dependabot[bot] to mean the app`}
	if diff := cmp.Diff(want, AuthorHints(cl, opt)); diff != "" {
		t.Errorf("AuthorHints (-want +got):\n%s", diff)
	}
}

// TestJSONLeftOut: the JSON output carries the count GitHub's rule left
// out, and the issues stay in "issues".
func TestJSONLeftOut(t *testing.T) {
	cl := groupCL(lab("bug"), lab("x"), lab())
	out := render(t, cl, Options{Format: FormatJSON, Sections: []Section{{Title: "Bugs", Labels: []string{"bug"}}}, LeaveOutUnmatched: true})
	for _, want := range []string{`"left_out": 2`, `"title": "Bugs"`, `"total": 3`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
}
