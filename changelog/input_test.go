package changelog

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadIssues(t *testing.T) {
	tests := []struct {
		file string
		want []Issue
	}{
		{"gh-issue-list.json", []Issue{
			{Repository: "QubesOS/qubes-issues", Number: 9001, Title: "Fix *everything* <now>", URL: "https://github.com/QubesOS/qubes-issues/issues/9001",
				Labels: []string{"T: bug", "C: core"}, Milestone: "Release 4.2 updates", Author: "marmarek",
				CreatedAt: day("2024-01-05T08:00:00Z"), ClosedAt: day("2024-04-02T10:11:12Z"), StateReason: "completed"},
			{Repository: "QubesOS/qubes-issues", Number: 9002, Title: "Bump x", URL: "https://github.com/QubesOS/qubes-issues/issues/9002",
				Labels: []string{}, Author: "app/dependabot", AuthorIsBot: true,
				CreatedAt: day("2024-04-30T00:00:00Z"), ClosedAt: day("2024-05-01T00:00:00Z"), StateReason: "not_planned"},
		}},
		{"gh-search-issues.json", []Issue{
			{Repository: "QubesOS/qubes-issues", Number: 77, Title: "Docs: @someone #12", URL: "https://github.com/QubesOS/qubes-issues/issues/77",
				Labels: []string{"C: doc"}, Author: "andrewdavidwong",
				CreatedAt: day("2024-02-01T12:00:00Z"), ClosedAt: day("2024-06-01T12:00:00Z")},
		}},
		{"search-page.json", []Issue{
			{Repository: "o/r", Number: 1, Title: "First", URL: "https://github.com/o/r/issues/1", Labels: []string{"T: task"}, Type: "Task",
				Author: "renovate[bot]", AuthorIsBot: true, CreatedAt: day("2021-01-01T00:00:00Z"), ClosedAt: day("2021-02-01T00:00:00Z")},
			{Repository: "o/r", Number: 2, Title: "A PR", URL: "https://github.com/o/r/pull/2", Labels: []string{}, Author: "x", IsPR: true,
				CreatedAt: day("2024-01-01T00:00:00Z"), ClosedAt: day("2024-01-02T00:00:00Z"), StateReason: "completed"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "input", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ReadIssues(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadIssues mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadIssuesOwnJSON: relnotes' own JSON output reads back to the same
// issues, and several concatenated values (pages saved one after another)
// are all read.
func TestReadIssuesOwnJSON(t *testing.T) {
	want := []Issue{{Repository: "a/b", Number: 3, Title: "t", URL: "https://github.com/a/b/issues/3", Labels: []string{"x"},
		Author: "me", ClosedAt: day("2024-01-02T03:04:05Z"), CreatedAt: day("2023-01-02T03:04:05Z"), StateReason: "completed"}}
	b, err := json.Marshal(&Changelog{Query: "is:issue", Issues: want, Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadIssues(bytes.NewReader(append(append(b, '\n'), b...)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(want, want...), got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestReadIssuesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"hello": 1}`, "not a format relnotes reads"},
		{`[{"title": "no number"}]`, "element 1: has no issue number"},
		{`[{"number": 4, "title": "where"}]`, "cannot tell its repository"},
		{`{"total_count":1,"incomplete_results":true,"items":[]}`, "incomplete_results"},
		{`{"items": [`, "reading JSON value 1"},
		{`42`, "neither an object nor an array"},
		// Regression: relnotes JSON was returned unchecked, so an issue
		// without number or repository got past ReadIssues.
		{`{"issues": [{"repository": "o/r", "number": 1}, {"title": "x"}]}`, "issue 2: has no issue number"},
		{`{"issues": [{"number": 5}]}`, "issue #5: has no repository"},
		{`{"issues": [{"repository": "a!/b", "number": 5}]}`, `issue #5: repository "a!/b" is not in OWNER/NAME form`},
		{`[{"number": 6, "repository": {"nameWithOwner": "a b/c"}}]`, `issue #6: repository "a b/c" is not in OWNER/NAME form`},
	}
	for _, tt := range tests {
		_, err := ReadIssues(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadIssues(%q) error = %v, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func FuzzReadIssues(f *testing.F) {
	for _, name := range []string{"gh-issue-list.json", "gh-search-issues.json", "search-page.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "input", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"issues": [{"title": "no number"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadIssues(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, is := range got {
			if is.Number <= 0 || !filters.ValidRepo(is.Repository) {
				t.Fatalf("accepted an issue without number or OWNER/NAME repository: %+v", is)
			}
		}
	})
}
