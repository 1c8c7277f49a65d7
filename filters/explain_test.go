package filters

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestExplainGolden writes, for every row of queryTests, the canonical query,
// its explanation and its command line, and compares with
// testdata/explain.golden (go test -update rewrites it).
func TestExplainGolden(t *testing.T) {
	var b strings.Builder
	for _, tt := range queryTests {
		q, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		fmt.Fprintf(&b, "query: %s\n", q)
		lines := q.Explain()
		if len(lines) == 0 {
			b.WriteString("  (matches everything)\n")
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s — %s\n", l.Term, l.Meaning)
		}
		fmt.Fprintf(&b, "  $ %s\n\n", q.CommandLine())
		var terms []string
		for _, l := range lines {
			terms = append(terms, l.Term)
		}
		if got := strings.Join(terms, " "); got != q.String() {
			t.Errorf("Explain terms %q are not String() %q", got, q.String())
		}
	}
	path := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), b.String()); d != "" {
		t.Errorf("explanations differ from %s (-want +got):\n%s", path, d)
	}
}

func TestExplainWindow(t *testing.T) {
	tests := []struct {
		w    string
		want string
	}{
		{"2024-03-26..2024-09-09", "closed 2024-03-26 through 2024-09-09, whole days in UTC, 168 days"},
		{"2024-03-26", "closed on 2024-03-26, a whole day in UTC"},
		{"2024-03-26T10:00:00Z..2024-09-09T23:59:59Z", "closed from 2024-03-26T10:00:00Z through 2024-09-09T23:59:59Z (UTC)"},
		{"2024-03-26T10:00:00Z..2024-09-09", "closed from 2024-03-26T10:00:00Z through 2024-09-09 (UTC; a date means the whole day)"},
		{">=2024-03-26", "closed on or after 2024-03-26 (the whole UTC day)"},
		{">=2024-03-26T10:00:00Z", "closed at or after 2024-03-26T10:00:00Z (UTC)"},
		{"<=2024-09-09", "closed on or before 2024-09-09 (the whole UTC day)"},
		{"2024-10-01..2024-11-30", "closed 2024-10-01 through 2024-11-30, whole days in UTC, 61 days"},
	}
	for _, tt := range tests {
		w, err := ParseWindow(tt.w)
		if err != nil {
			t.Fatal(err)
		}
		lines := Query{Closed: w}.Explain()
		if len(lines) != 1 || lines[0].Meaning != tt.want {
			t.Errorf("Explain(closed:%s) = %q, want %q", tt.w, lines, tt.want)
		}
	}
}
