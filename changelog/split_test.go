package changelog

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func mustQuery(t *testing.T, s string) filters.Query {
	t.Helper()
	q, err := filters.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func mustWindow(t *testing.T, s string) filters.Window {
	t.Helper()
	w, err := filters.ParseWindow(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func splitIssue(n int, closed string, labels ...string) Issue {
	c, err := time.Parse(time.RFC3339, closed)
	if err != nil {
		panic(err)
	}
	return Issue{Repository: "example/tracker", Number: n, Title: fmt.Sprint("issue ", n), Labels: labels,
		Author: "octocat", CreatedAt: c.AddDate(0, 0, -3), ClosedAt: c, StateReason: "completed"}
}

func TestSplit(t *testing.T) {
	now := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	const server = "https://github.com"
	base := mustQuery(t, `repo:example/tracker is:issue reason:completed -label:"R: duplicate"`)
	issues := []Issue{
		splitIssue(1, "2024-01-31T23:59:59Z"), // before every window
		splitIssue(2, "2024-02-01T00:00:00Z"),
		splitIssue(3, "2024-02-10T10:00:00Z"), // the first window's last second
		splitIssue(4, "2024-02-10T10:00:01Z"),
		splitIssue(5, "2024-03-01T10:00:00Z"),
		splitIssue(6, "2024-03-05T00:00:00Z"), // in the gap between the tiling windows, inside the hotfix's
		splitIssue(7, "2024-03-10T12:00:00Z"),
	}
	windows := []filters.Window{
		mustWindow(t, "2024-03-06T00:00:00Z..2024-03-31T00:00:00Z"),
		mustWindow(t, "2024-02-10T10:00:01Z..2024-03-01T10:00:00Z"),
		mustWindow(t, "2024-02-01T00:00:00Z..2024-02-10T10:00:00Z"),
		mustWindow(t, "2024-02-15T00:00:00Z..2024-03-31T00:00:00Z"), // overlaps: a hotfix
	}
	wholeQ := base
	wholeQ.Closed = mustWindow(t, "2024-01-01..2024-06-30")
	whole, err := New(wholeQ, server, filters.EncodingPlus, issues, now)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := whole.Split(base, windows, server, filters.EncodingPlus)
	if err != nil {
		t.Fatal(err)
	}
	wantNumbers := [][]int{{7}, {4, 5}, {2, 3}, {5, 6, 7}}
	for i, w := range windows {
		q := base
		q.Closed = w
		var in []Issue
		for _, n := range wantNumbers[i] {
			in = append(in, issues[n-1])
		}
		want, err := New(q, server, filters.EncodingPlus, in, now)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, parts.Sections[i]); diff != "" {
			t.Errorf("section %d (%s) (-want +got):\n%s", i, w, diff)
		}
	}
	if diff := cmp.Diff([]Issue{issues[0]}, parts.Outside); diff != "" {
		t.Errorf("Outside (-want +got):\n%s", diff)
	}
}

func TestSplitRefuses(t *testing.T) {
	now := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	base := mustQuery(t, "repo:example/tracker is:issue reason:completed")
	wholeQ := base
	wholeQ.Closed = mustWindow(t, "2024-02-01..2024-03-31")
	issues := []Issue{splitIssue(1, "2024-02-05T00:00:00Z"), splitIssue(2, "2024-03-05T00:00:00Z", "bug")}
	whole, err := New(wholeQ, "https://github.com", filters.EncodingPlus, issues, now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		base    filters.Query
		windows []filters.Window
		want    string
	}{
		{"another query", mustQuery(t, "repo:example/tracker is:issue"), nil,
			`changelog: split "repo:example/tracker is:issue reason:completed closed:2024-02-01..2024-03-31": it was not fetched for the sections' query "repo:example/tracker is:issue closed:2024-02-01..2024-03-31"`},
		{"window starts earlier", base, []filters.Window{mustWindow(t, "2024-01-31T23:59:59Z..2024-02-10T00:00:00Z")},
			`changelog: split "repo:example/tracker is:issue reason:completed closed:2024-02-01..2024-03-31": its window 2024-02-01..2024-03-31 does not hold the window 2024-01-31T23:59:59Z..2024-02-10T00:00:00Z; fetch a window that holds every section`},
		{"empty window", base, []filters.Window{{From: filters.Day(time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)), To: filters.Day(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))}},
			`changelog: split "repo:example/tracker is:issue reason:completed closed:2024-02-01..2024-03-31": the window 2024-03-02..2024-03-01 is empty: it can hold no issue and has no link (a search refuses it); leave it out`},
		{"window open at the end", base, []filters.Window{mustWindow(t, ">=2024-03-01")},
			`changelog: split "repo:example/tracker is:issue reason:completed closed:2024-02-01..2024-03-31": its window 2024-02-01..2024-03-31 does not hold the window >=2024-03-01; fetch a window that holds every section`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := whole.Split(tt.base, tt.windows, "https://github.com", filters.EncodingPlus)
			var se *SplitError
			if !errors.As(err, &se) || err.Error() != tt.want {
				t.Errorf("error %v,\nwant *SplitError %s", err, tt.want)
			}
		})
	}

	// A changelog whose issues do not match its own query (read from a
	// hand-edited file) is caught by the sections' Match.
	bad := *whole
	bad.Issues = append([]Issue{{Repository: "example/tracker", Number: 9, ClosedAt: issues[0].ClosedAt, StateReason: "not_planned"}}, whole.Issues...)
	_, err = bad.Split(base, []filters.Window{mustWindow(t, "2024-02-01..2024-02-28")}, "https://github.com", filters.EncodingPlus)
	if want := `changelog: split "repo:example/tracker is:issue reason:completed closed:2024-02-01..2024-03-31": issues inside the window 2024-02-01..2024-02-28 fail its query`; err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("error %v, want it to start with %s", err, want)
	}
}
