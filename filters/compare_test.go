package filters

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDifferences(t *testing.T) {
	base := `repo:QubesOS/qubes-issues is:issue is:closed reason:completed closed:2024-03-26..2024-09-09 -label:"R: duplicate" -label:"R: declined"`
	tests := []struct {
		name  string
		other string
		want  []Difference
	}{
		{"only the window differs", `repo:qubesos/Qubes-Issues is:issue is:closed reason:completed closed:2024-09-10..2024-12-01 -label:"r: declined" -label:"R: duplicate"`, nil},
		{"another repository", `repo:QubesOS/qubes-builderv2 is:issue is:closed reason:completed -label:"R: duplicate" -label:"R: declined"`,
			[]Difference{{What: "repositories", OnlyA: []string{"repo:QubesOS/qubes-issues"}, OnlyB: []string{"repo:QubesOS/qubes-builderv2"}}}},
		{"pull requests", `repo:QubesOS/qubes-issues is:pr is:closed reason:completed -label:"R: duplicate" -label:"R: declined"`,
			[]Difference{{What: "kinds", OnlyA: []string{"is:issue"}, OnlyB: []string{"is:pr"}}}},
		{"any state", `repo:QubesOS/qubes-issues is:issue reason:completed -label:"R: duplicate" -label:"R: declined"`,
			[]Difference{{What: "states", OnlyA: []string{"is:closed"}}}},
		{"close reason", `repo:QubesOS/qubes-issues is:issue is:closed reason:"not planned" -label:"R: duplicate" -label:"R: declined"`,
			[]Difference{{What: "close reasons", OnlyA: []string{"reason:completed"}, OnlyB: []string{`reason:"not planned"`}}}},
		{"label exclusions", `repo:QubesOS/qubes-issues is:issue is:closed reason:completed -label:"R: duplicate" -label:wontfix`,
			[]Difference{{What: "label exclusions", OnlyA: []string{`-label:"R: declined"`}, OnlyB: []string{"-label:wontfix"}}}},
		{"organisation instead of the repository", `org:QubesOS is:issue is:closed reason:completed -label:"R: duplicate" -label:"R: declined"`,
			[]Difference{{What: "repositories", OnlyA: []string{"repo:QubesOS/qubes-issues"}, OnlyB: []string{"org:QubesOS"}}}},
		{"included labels, authors, type, milestone", `repo:QubesOS/qubes-issues is:issue is:closed reason:completed -label:"R: duplicate" -label:"R: declined" label:bug,regression author:marmarek type:Bug milestone:"Release 4.2.3"`,
			[]Difference{{What: "included labels", OnlyB: []string{"label:bug,regression"}}, {What: "authors", OnlyB: []string{"author:marmarek"}},
				{What: "issue types", OnlyB: []string{"type:Bug"}}, {What: "milestones", OnlyB: []string{`milestone:"Release 4.2.3"`}}}},
		{"linked pull requests and the created window", `repo:QubesOS/qubes-issues is:issue is:closed reason:completed -label:"R: duplicate" -label:"R: declined" linked:pr created:>=2024-01-01`,
			[]Difference{{What: "linked pull requests", OnlyB: []string{"linked:pr"}}, {What: "created windows", OnlyB: []string{"created:>=2024-01-01"}}}},
		{"author exclusion and a keyword", `repo:QubesOS/qubes-issues is:issue is:closed reason:completed -label:"R: duplicate" -label:"R: declined" -author:app/dependabot crash`,
			[]Difference{{What: "author exclusions", OnlyB: []string{"-author:app/dependabot"}}, {What: "other terms", OnlyB: []string{"crash"}}}},
	}
	a, err := Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse(tt.other)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Differences(a, b)); diff != "" {
				t.Errorf("Differences (-want +got):\n%s", diff)
			}
			if len(Differences(a, a)) != 0 {
				t.Errorf("a query differs from itself")
			}
		})
	}
}

func ExampleDifferences() {
	this, _ := Parse(`repo:acme/app is:issue is:closed reason:completed closed:2024-07-01..2024-09-30 -label:duplicate`)
	prev, _ := Parse(`repo:acme/app is:issue is:closed closed:2024-04-01..2024-06-30 -label:duplicate -label:invalid`)
	for _, d := range Differences(this, prev) {
		fmt.Println(d.Describe("this link", "the previous link"))
	}
	// Output:
	// close reasons differ: only this link has reason:completed
	// label exclusions differ: only the previous link has -label:invalid
}
