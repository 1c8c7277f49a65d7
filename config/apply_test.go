package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestApplyTo(t *testing.T) {
	c := &Config{Repos: []string{"o/r"}, ExcludeLabels: []string{"wontfix", "duplicate"}, Reason: "any", Kind: ""}
	values := map[string][]string{"repo": {"a/b"}, "since": {"2024-01-01"}}
	c.ApplyTo(values)
	want := map[string][]string{
		"repo":          {"a/b"}, // the flag wins
		"since":         {"2024-01-01"},
		"exclude-label": {"wontfix", "duplicate"},
		"reason":        {"any"},
	}
	if d := cmp.Diff(want, values); d != "" {
		t.Errorf("ApplyTo (-want +got):\n%s", d)
	}
	values["exclude-label"][0] = "changed"
	if c.ExcludeLabels[0] != "wontfix" {
		t.Errorf("ApplyTo shares its slices with the configuration")
	}
}
