package changelog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func mustParse(t testing.TB, s string) filters.Query {
	t.Helper()
	q, err := filters.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestNew(t *testing.T) {
	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	now := at("2024-07-01T12:00:00Z")
	q := mustParse(t, "repo:o/b repo:o/a is:issue reason:completed closed:2024-03-01..2024-03-31 -label:wontfix")
	ok := func(repo string, n int, closed string) Issue {
		return Issue{Repository: repo, Number: n, Title: fmt.Sprint("t", n), Labels: []string{}, Author: "u",
			CreatedAt: at("2024-01-01T00:00:00Z"), ClosedAt: at(closed), StateReason: "completed"}
	}
	notPlanned := ok("o/a", 9, "2024-03-05T00:00:00Z")
	notPlanned.StateReason = "not_planned"
	excluded := ok("o/b", 8, "2024-03-05T00:00:00Z")
	excluded.Labels = []string{"wontfix"}
	late := ok("o/a", 7, "2024-04-01T00:00:00Z")
	stale := ok("o/b", 2, "2024-03-09T00:00:00Z")
	stale.Title = "old title"
	in := []Issue{
		ok("o/b", 3, "2024-03-02T00:00:00Z"), stale, ok("o/a", 5, "2024-03-31T23:59:59Z"),
		ok("o/a", 4, "2024-03-01T00:00:00Z"), notPlanned, excluded, late, ok("o/b", 2, "2024-03-09T00:00:00Z"),
	}
	got, err := New(q, "https://github.com/", filters.EncodingPlus, in, now)
	if err != nil {
		t.Fatal(err)
	}
	want := &Changelog{
		Query:        q.String(),
		URL:          q.URL("https://github.com", filters.EncodingPlus),
		Window:       Window{Since: "2024-03-01", Until: "2024-03-31"},
		Repositories: []string{"o/a", "o/b"},
		Total:        4,
		Dropped:      3,
		Issues: []Issue{
			ok("o/a", 4, "2024-03-01T00:00:00Z"), ok("o/a", 5, "2024-03-31T23:59:59Z"),
			ok("o/b", 3, "2024-03-02T00:00:00Z"), ok("o/b", 2, "2024-03-09T00:00:00Z"),
		},
		GeneratedAt: now,
	}
	// The reasons are filters.Match's words; check the line names each item.
	wantWarn := `left out 3 items that do not match the query: ` +
		`o/a#9 (closed as not_planned, not completed), o/b#8 (label "wontfix" is excluded), o/a#7 (`
	if len(got.Warnings) != 1 || !strings.HasPrefix(got.Warnings[0], wantWarn) {
		t.Errorf("Warnings = %q, want one starting %q", got.Warnings, wantWarn)
	}
	got.Warnings = nil
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("New (-want +got):\n%s", d)
	}
	if _, err := New(q, "", 0, []Issue{{Number: 1}}, now); err == nil {
		t.Error("an issue without repository was accepted")
	}
}

func ExampleNew() {
	q, _ := filters.Parse("repo:acme/rockets is:issue reason:completed closed:2024-03-01..2024-03-31")
	closed := time.Date(2024, 3, 7, 9, 30, 0, 0, time.UTC)
	issues := []Issue{
		{Repository: "acme/rockets", Number: 12, Title: "Fuel gauge reads empty", StateReason: "completed", ClosedAt: closed},
		{Repository: "acme/rockets", Number: 13, Title: "Won't do", StateReason: "not_planned", ClosedAt: closed},
	}
	cl, _ := New(q, "https://github.com", filters.EncodingPlus, issues, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(cl.URL)
	fmt.Println(cl.Total, "kept,", cl.Dropped, "dropped:", cl.Issues[0].Title)
	// Output:
	// https://github.com/acme/rockets/issues?q=is%3Aissue+reason%3Acompleted+closed%3A2024-03-01..2024-03-31
	// 1 kept, 1 dropped: Fuel gauge reads empty
}
