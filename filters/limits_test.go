package filters

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCheckLimits: GitHub's documented search limits (256 characters of
// keywords, five operators) and relnotes' bound on the whole text, each
// right at and just past the limit.
func TestCheckLimits(t *testing.T) {
	word := func(n int) string { return strings.Repeat("é", n) } // characters, not bytes
	words := func(n, size int) string {
		var ws []string
		for range n {
			ws = append(ws, word(size))
		}
		return strings.Join(ws, " ")
	}
	nots := func(n int) string { return strings.Repeat("NOT crash ", n) }
	labels := func(n int) string { return strings.Repeat("-label:"+strings.Repeat("x", 99)+" ", n) }
	tests := []struct {
		name, query string
		want        *LimitError // nil: within the limits
	}{
		{"plain", "repo:o/r is:issue closed:2024-01-01..2024-02-01 crash in:title", nil},
		{"256 keyword characters", "repo:o/r " + words(2, 127) + " label:bug", nil},
		{"257 keyword characters", "repo:o/r " + words(2, 127) + " x label:bug", &LimitError{What: "keywords", Size: 257, Max: 256}},
		{"qualifiers do not count", "repo:o/r in:title no:label " + word(256), nil},
		{"five operators", nots(5), nil},
		{"six operators", nots(6), &LimitError{What: "operators", Size: 6, Max: 5}},
		{"long qualifiers within the bound", labels(150), nil},
		{"query over the bound", labels(200), &LimitError{What: "query", Size: 200*107 - 1, Max: MaxQueryLen}},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		err = q.CheckLimits()
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: CheckLimits = %v, want nil", tt.name, err)
			}
			continue
		}
		var le *LimitError
		if !errors.As(err, &le) {
			t.Errorf("%s: CheckLimits = %v, want a *LimitError", tt.name, err)
			continue
		}
		if d := cmp.Diff(tt.want, le); d != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, d)
		}
		if strings.Contains(err.Error(), "é") || strings.Contains(err.Error(), "xxxx") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: message %q repeats the query or is not one line", tt.name, err)
		}
	}
}

func ExampleQuery_CheckLimits() {
	q, _ := Parse("repo:o/r is:issue " + strings.Repeat("crash ", 50))
	fmt.Println(q.CheckLimits())
	// Output: the query's keywords are 299 characters long, and GitHub's search takes at most 256 besides qualifiers and operators: shorten or remove keywords
}
