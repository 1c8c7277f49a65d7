package changelog_test

import (
	"fmt"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
)

func ExampleChangelog_Split() {
	base, _ := filters.Parse("repo:acme/app is:issue reason:completed")
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	issue := func(n int, closed string) changelog.Issue {
		return changelog.Issue{Repository: "acme/app", Number: n, ClosedAt: at(closed), StateReason: "completed"}
	}
	// One fetch over the span of two releases' windows.
	v1, _ := filters.ParseWindow("2024-01-01T00:00:00Z..2024-02-01T10:00:00Z")
	v2, _ := filters.ParseWindow("2024-02-01T10:00:01Z..2024-03-01T10:00:00Z")
	span := base
	span.Closed = filters.Window{From: v1.From, To: v2.To}
	whole, _ := changelog.New(span, "https://github.com", filters.EncodingPlus, []changelog.Issue{
		issue(1, "2024-01-15T00:00:00Z"), issue(2, "2024-02-01T10:00:00Z"), issue(3, "2024-02-01T10:00:01Z"),
	}, time.Time{})
	parts, _ := whole.Split(base, []filters.Window{v2, v1}, "https://github.com", filters.EncodingPlus)
	for _, s := range parts.Sections {
		fmt.Println(s.Query, s.Total)
	}
	fmt.Println("outside:", len(parts.Outside))
	// Output:
	// repo:acme/app is:issue reason:completed closed:2024-02-01T10:00:01Z..2024-03-01T10:00:00Z 1
	// repo:acme/app is:issue reason:completed closed:2024-01-01T00:00:00Z..2024-02-01T10:00:00Z 2
	// outside: 0
}
