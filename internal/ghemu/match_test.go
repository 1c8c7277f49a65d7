package ghemu_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// tiny is a hand-made tracker; the expectations in the tables below were
// worked out by hand from it, not computed.
func tiny() []ghemu.Issue {
	return []ghemu.Issue{
		{Repo: "o/a", Number: 1, Title: "Crash on start", Body: "segfault", Author: "alice", State: "closed", StateReason: "completed",
			Labels: []string{"T: bug", "C: core"}, Type: "Bug", Milestone: "Release 4.2", LinkedPR: true,
			CreatedAt: ts("2024-01-01T10:00:00Z"), ClosedAt: ts("2024-03-26T00:00:00Z")},
		{Repo: "o/a", Number: 2, Title: "Docs typo", Author: "bob", State: "closed", StateReason: "not_planned",
			Labels: []string{"C: doc", "R: declined"}, CreatedAt: ts("2024-01-02T10:00:00Z"), ClosedAt: ts("2024-03-26T23:59:59Z")},
		{Repo: "o/a", Number: 3, Title: "Bump x", Author: "dependabot[bot]", AuthorIsBot: true, IsPR: true, State: "closed",
			Labels: []string{"dependencies"}, CreatedAt: ts("2024-01-03T10:00:00Z"), ClosedAt: ts("2024-03-27T00:00:00Z")},
		{Repo: "o/a", Number: 4, Title: "Old fix", Author: "alice", State: "closed", StateReason: "",
			Labels: []string{"T: bug", "C: doc"}, Type: "Bug", CreatedAt: ts("2021-01-01T00:00:00Z"), ClosedAt: ts("2021-06-01T12:00:00Z")},
		{Repo: "o/a", Number: 5, Title: "Dup of 1", Author: "carol", State: "closed", StateReason: "duplicate",
			Labels: []string{"R: duplicate"}, CreatedAt: ts("2024-02-01T00:00:00Z"), ClosedAt: ts("2024-03-25T23:59:59Z")},
		{Repo: "o/a", Number: 6, Title: "Open feature", Author: "carol", State: "open", Type: "Feature",
			Labels: []string{"T: enhancement"}, Milestone: "Release 4.2", CreatedAt: ts("2024-02-02T00:00:00Z")},
		{Repo: "o/b", Number: 1, Title: "Other repo fix", Author: "Alice", State: "closed", StateReason: "completed",
			Labels: []string{"t: BUG"}, Type: "bug", CreatedAt: ts("2024-01-01T10:00:00Z"), ClosedAt: ts("2024-03-26T12:00:00Z")},
		{Repo: "p/c", Number: 9, Title: "Elsewhere", Author: "renovate[bot]", AuthorIsBot: true, State: "closed", StateReason: "completed",
			CreatedAt: ts("2023-01-01T00:00:00Z"), ClosedAt: ts("2024-03-26T06:00:00Z")},
	}
}

type ref struct {
	Repo   string
	Number int
}

func refs(is []ghemu.Issue) []ref {
	out := []ref{}
	for _, i := range is {
		out = append(out, ref{i.Repo, i.Number})
	}
	return out
}

func TestSearchGroundTruth(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	a1, a2, a3, a4, a5, a6 := ref{"o/a", 1}, ref{"o/a", 2}, ref{"o/a", 3}, ref{"o/a", 4}, ref{"o/a", 5}, ref{"o/a", 6}
	b1, c9 := ref{"o/b", 1}, ref{"p/c", 9}
	tests := []struct {
		q    string
		want []ref // created asc, then number
	}{
		{"repo:o/a", []ref{a4, a1, a2, a3, a5, a6}},
		{"repo:o/a repo:o/b is:pr", []ref{a3}},
		{"repo:O/A repo:o/b is:issue is:open", []ref{a6}},
		{"org:o is:issue reason:completed", []ref{a4, a1, b1}},
		{"org:o repo:p/c is:issue reason:completed", []ref{a4, c9, a1, b1}},
		{`repo:o/a reason:"not planned"`, []ref{a2}},
		{"repo:o/a is:closed", []ref{a4, a1, a2, a3, a5}},
		{"repo:o/a state:open", []ref{a6}},
		{"type:bug", []ref{a4, a1, b1}},
		{"type:Feature", []ref{a6}},
		{`label:"T: bug" label:"C: doc"`, []ref{a4}},
		{`label:"C: doc","C: core"`, []ref{a4, a1, a2}},
		{`repo:o/a -label:"C: doc" -label:dependencies`, []ref{a1, a5, a6}},
		{`repo:o/a -label:"C: doc","R: duplicate"`, []ref{a1, a3, a6}},
		{`milestone:"release 4.2"`, []ref{a1, a6}},
		{"author:alice", []ref{a4, a1, b1}},
		{"author:app/dependabot", []ref{a3}},
		{"-author:app/dependabot -author:app/renovate -author:carol", []ref{a4, a1, b1, a2}},
		{"linked:pr", []ref{a1}},
		{"repo:o/a is:issue -linked:pr", []ref{a4, a2, a5, a6}},
		// Day bounds are whole UTC days, both ends inclusive.
		{"closed:2024-03-26", []ref{c9, a1, b1, a2}},
		{"closed:2024-03-26..2024-03-26", []ref{c9, a1, b1, a2}},
		{"closed:>2024-03-25", []ref{c9, a1, b1, a2, a3}},
		{"closed:<2024-03-26", []ref{a4, a5}},
		{"closed:<=2024-03-26", []ref{a4, c9, a1, b1, a2, a5}},
		// Instant bounds are exact.
		{"closed:2024-03-26T00:00:00Z..2024-03-26T12:00:00Z", []ref{c9, a1, b1}},
		{"closed:2024-03-26T00:00:01Z..2024-03-26T11:59:59Z", []ref{c9}},
		{"closed:>=2024-03-26T23:59:59Z", []ref{a2, a3}},
		{"created:2024-01-01", []ref{a1, b1}},
		{"created:2024-01-01..2024-01-02 is:issue", []ref{a1, b1, a2}},
		{"updated:<2022-01-01", []ref{a4}},
		// Keywords match title or body, case-insensitively.
		{"crash", []ref{a1}},
		{"SEGFAULT", []ref{a1}},
		{"segfault in:title", []ref{}},
		{`"other repo"`, []ref{b1}},
		{"fix -other", []ref{a4}},
		{"repo:o/a no:label", []ref{}},
		{"repo:o/a no:milestone is:open", []ref{}},
		{"repo:o/a -is:issue", []ref{a3}},
		{"user:p", []ref{c9}},
		{"is:issue is:pr", []ref{}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, err := s.Search(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, refs(got)); d != "" {
				t.Errorf("Search(%q) -want +got:\n%s", tt.q, d)
			}
		})
	}
}

func TestSearchRejects(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	for _, q := range []string{
		"repo:o/missing is:issue",
		"frobnicate:yes",
		"reason:duplicate",
		"-no:label",
		"is:banana",
		"linked:issue",
	} {
		_, err := s.Search(q)
		var qe *ghemu.QueryError
		if !errors.As(err, &qe) {
			t.Errorf("Search(%q) error = %v, want *QueryError", q, err)
		}
	}
}

// TestSearchQueryHandBuilt drives the matcher with filters.Query values built
// by hand, independent of filters.Parse.
func TestSearchQueryHandBuilt(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	yes := true
	day := func(d string) filters.Bound { return filters.Bound{T: ts(d + "T00:00:00Z"), Day: true} }
	inst := func(v string) filters.Bound { return filters.Bound{T: ts(v)} }
	tests := []struct {
		name string
		q    filters.Query
		want []ref
	}{
		{"zero matches all", filters.Query{}, refs(s.Issues())},
		{"completed day window", filters.Query{Kind: filters.KindIssue, Reason: filters.ReasonCompleted, Repos: []string{"o/a"},
			Closed: filters.Window{From: day("2024-03-26"), To: day("2024-03-26")}}, []ref{{"o/a", 1}}},
		{"half-open instant window", filters.Query{Closed: filters.Window{From: inst("2024-03-26T06:00:00Z"), To: inst("2024-03-26T23:59:58Z")}},
			[]ref{{"p/c", 9}, {"o/b", 1}}},
		{"open start", filters.Query{Kind: filters.KindIssue, Closed: filters.Window{To: day("2021-12-31")}}, []ref{{"o/a", 4}}},
		{"linked", filters.Query{LinkedPR: &yes}, []ref{{"o/a", 1}}},
		{"label groups", filters.Query{Labels: [][]string{{"c: CORE", "r: declined"}}}, []ref{{"o/a", 1}, {"o/a", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SearchQuery(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, refs(got)); d != "" {
				t.Errorf("-want +got:\n%s", d)
			}
		})
	}
}
