package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCompletion: the shells' scripts exist, and flag values complete from
// the same lists the flags accept, labels from the configuration.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if r := runCLI(t, nil, "completion", sh); r.code != 0 || !strings.Contains(r.stdout, "relnotes") {
			t.Errorf("completion %s: exit %d, %s", sh, r.code, r.stderr)
		}
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".relnotes.yml"), "exclude-labels: [wontfix, \"R: duplicate\"]\nsections:\n  - title: Bugs\n    labels: [bug]\n")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"notes", "--format", ""}, []string{"announcement", "markdown", "html", "json"}},
		{[]string{"notes", "--sort", ""}, []string{"closed", "number", "title"}},
		{[]string{"notes", "--mentions", ""}, []string{"escape", "keep"}},
		{[]string{"link", "--granularity", ""}, []string{"instant", "day"}},
		{[]string{"link", "--encoding", ""}, []string{"plus", "percent"}},
		{[]string{"link", "--reason", ""}, []string{"completed", "not-planned", "any"}},
		{[]string{"link", "--kind", ""}, []string{"issue", "pr", "any"}},
		{[]string{"link", "--state", ""}, []string{"closed", "open", "any"}},
		{[]string{"publish", "--exclude-label", ""}, []string{"R: duplicate", "bug", "wontfix"}},
		{[]string{"notes", "--label", ""}, []string{"R: duplicate", "bug", "wontfix"}},
	}
	for _, tt := range tests {
		r := runIn(t, dir, append([]string{"__complete"}, tt.args...)...)
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if !strings.HasPrefix(l, ":") {
				got = append(got, l)
			}
		}
		if r.code != 0 || !slices.Equal(got, tt.want) {
			t.Errorf("%v: exit %d, completions %q, want %q", tt.args, r.code, got, tt.want)
		}
	}
}
