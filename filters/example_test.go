package filters_test

import (
	"fmt"
	"time"

	"github.com/relnotes/relnotes/filters"
)

func ExampleParse() {
	q, err := filters.Parse("https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+duplicate%22")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Repos, q.Kind, q.State, q.Closed, q.ExcludeLabels)

	_, err = filters.Parse("closed:2024-13-01")
	fmt.Println(err)
	// Output:
	// [QubesOS/qubes-issues] issue closed 2024-03-26..2024-09-09 [R: duplicate]
	// cannot parse "closed:2024-13-01": invalid date "2024-13-01" at position 7: use YYYY-MM-DD or an RFC 3339 time such as 2024-03-26T00:00:00Z
}

func ExampleQuery_String() {
	q, _ := filters.Parse(`-label:"R: duplicate" state:closed closed:>2024-03-25 label:bug,enhancement is:issue crash`)
	fmt.Println(q)
	// Output:
	// is:issue is:closed label:bug,enhancement closed:>=2024-03-26 -label:"R: duplicate" crash
}

func ExampleQuery_URL() {
	day := func(s string) filters.Bound {
		t, _ := time.Parse("2006-01-02", s)
		return filters.Day(t)
	}
	q := filters.Query{
		Repos:         []string{"QubesOS/qubes-issues"},
		Kind:          filters.KindIssue,
		State:         filters.StateClosed,
		Reason:        filters.ReasonCompleted,
		Closed:        filters.Window{From: day("2024-03-26"), To: day("2024-09-09")},
		ExcludeLabels: []string{"R: duplicate"},
	}
	if err := q.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.URL("https://github.com", filters.EncodingPlus))
	fmt.Println(q.URL("https://github.com", filters.EncodingPercent))
	q.Repos = append(q.Repos, "QubesOS/qubes-core-admin")
	fmt.Println(q.URL("https://ghe.example.com/", filters.EncodingPlus))
	// Output:
	// https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+duplicate%22
	// https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue%20is%3Aclosed%20reason%3Acompleted%20closed%3A2024-03-26..2024-09-09%20-label%3A%22R%3A%20duplicate%22
	// https://ghe.example.com/search?q=repo%3AQubesOS%2Fqubes-issues+repo%3AQubesOS%2Fqubes-core-admin+is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+duplicate%22&type=issues
}

func ExampleQuery_Match() {
	q, _ := filters.Parse(`repo:QubesOS/qubes-issues is:issue is:closed reason:completed closed:2024-03-26..2024-09-09 -label:"R: duplicate"`)
	issue := filters.Issue{
		Repo:        "QubesOS/qubes-issues",
		Number:      9001,
		State:       "closed",
		StateReason: "", // closed before GitHub recorded reasons: counts as completed
		Labels:      []string{"T: bug"},
		ClosedAt:    time.Date(2024, 9, 9, 23, 59, 59, 0, time.UTC),
	}
	ok, _ := q.Match(issue)
	fmt.Println(ok)

	issue.ClosedAt = time.Date(2024, 9, 10, 0, 0, 1, 0, time.UTC)
	fmt.Println(q.Match(issue))

	issue.ClosedAt = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	issue.Labels = append(issue.Labels, "R: duplicate")
	fmt.Println(q.Match(issue))
	// Output:
	// true
	// false closed 2024-09-10T00:00:01Z, after the window's end 2024-09-09 (whole UTC day)
	// false label "R: duplicate" is excluded
}

func ExampleQuery_Explain() {
	q, _ := filters.Parse(`is:issue is:closed closed:2024-03-26..2024-09-09 -label:"R: duplicate" author:app/dependabot`)
	for _, l := range q.Explain() {
		fmt.Printf("%s — %s\n", l.Term, l.Meaning)
	}
	fmt.Println(q.CommandLine())
	// Output:
	// is:issue — issues only, no pull requests
	// is:closed — closed issues only
	// author:app/dependabot — opened by the app dependabot (login dependabot[bot])
	// closed:2024-03-26..2024-09-09 — closed 2024-03-26 through 2024-09-09, whole days in UTC, 168 days
	// -label:"R: duplicate" — leave out issues labelled "R: duplicate"
	// relnotes link --reason any --author app/dependabot --since 2024-03-26 --until 2024-09-09 --exclude-label 'R: duplicate'
}

func ExampleParseFlags() {
	q, err := filters.ParseFlags(map[string][]string{
		"repo":  {"QubesOS/qubes-issues"},
		"since": {"2024-03-26T10:00:00.5+02:00"},
		"label": {`" bug",enhancement`, "C: gui"},
		"term":  {"no:assignee"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	fmt.Println(q.CommandLine())

	_, err = filters.ParseFlags(map[string][]string{"kind": {"discussion"}})
	fmt.Println(err)
	// Output:
	// repo:QubesOS/qubes-issues is:issue is:closed reason:completed label:" bug",enhancement label:"C: gui" closed:>=2024-03-26T08:00:01Z no:assignee
	// relnotes link --repo QubesOS/qubes-issues --label '" bug",enhancement' --label 'C: gui' --since 2024-03-26T08:00:01Z --term no:assignee
	// --kind "discussion" is not one of issue, pr, any
}

func ExampleWindow_Contains() {
	w, _ := filters.ParseWindow("2024-03-26..2024-09-09")
	fmt.Println(w.Start().Format(time.RFC3339), w.End().Format(time.RFC3339))
	fmt.Println(w.Contains(time.Date(2024, 9, 9, 23, 59, 59, 0, time.UTC)))
	fmt.Println(w.Contains(time.Date(2024, 9, 10, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600))))
	// Output:
	// 2024-03-26T00:00:00Z 2024-09-10T00:00:00Z
	// true
	// true
}

func ExampleSameAuthor() {
	// gh writes the app Dependabot as app/dependabot, the REST API as
	// dependabot[bot]; both spellings name it. A plain name is an account.
	fmt.Println(filters.SameAuthor("app/dependabot", "dependabot[bot]", true))
	fmt.Println(filters.SameAuthor("dependabot[bot]", "app/dependabot", true))
	fmt.Println(filters.SameAuthor("dependabot", "dependabot[bot]", true))
	// Output:
	// true
	// true
	// false
}

func ExampleSameName() {
	fmt.Println(filters.SameName("Bug", "bug"), filters.SameName("ſecurity", "security"))
	// Output:
	// true false
}
