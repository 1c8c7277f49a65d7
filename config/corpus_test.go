package config_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusIssues is one changelog every real configuration is applied to:
// the labels and authors those files name, in several spellings, and
// issues no category of most files takes.
func corpusIssues() *changelog.Changelog {
	at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	type row struct {
		author string
		bot    bool
		labels []string
	}
	rows := []row{
		{"alice", false, []string{"bug"}},
		{"bob", false, []string{"Bug", "regression"}},
		{"carol", false, []string{"enhancement"}},
		{"dave", false, []string{"feature"}},
		{"erin", false, []string{"breaking-change", "enhancement"}},
		{"frank", false, []string{"Semver-Major"}},
		{"grace", false, []string{"documentation"}},
		{"heidi", false, []string{"docs"}},
		{"dependabot[bot]", true, []string{"dependencies"}},
		{"dependabot[bot]", true, nil},
		{"renovate[bot]", true, []string{"dependencies", "renovate"}},
		{"github-actions[bot]", true, []string{"chore"}},
		{"pre-commit-ci[bot]", true, []string{"ci"}},
		{"octocat", false, []string{"enhancement"}},
		{"ivan", false, []string{"ignore-for-release", "bug"}},
		{"judy", false, []string{"skip-changelog"}},
		{"mallory", false, nil},
		{"niaj", false, []string{"question"}},
		{"olivia", false, []string{"pr:bug"}},
		{"peggy", false, []string{"pr:new-feature", "pr:dependencies"}},
		{"rupert", false, []string{"ENHANCEMENT"}},
		{"sybil", false, []string{"refactor"}},
		{"trent", false, []string{"test", "chore"}},
		{"victor", false, []string{"🎉 Feature"}},
	}
	cl := &changelog.Changelog{}
	for i, r := range rows {
		n := i + 1
		cl.Issues = append(cl.Issues, changelog.Issue{
			Repository: "o/r", Number: n, Title: fmt.Sprintf("change %d", n),
			URL: fmt.Sprintf("https://github.com/o/r/issues/%d", n), Labels: r.labels,
			Author: r.author, AuthorIsBot: r.bot, ClosedAt: at.Add(time.Duration(n) * time.Hour),
		})
	}
	cl.Total = len(cl.Issues)
	return cl
}

// TestReleaseCorpus applies each real .github/release.yml of
// testdata/release-yml (see SOURCES there) to the same changelog, with the
// rules GitHub documents: categories in order, the first that takes an
// issue wins, "*" takes everything left, changelog.exclude drops issues
// altogether, and what no category takes is left out. The sections, the
// count left out, and any error or warning are compared with a golden file.
func TestReleaseCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "release-yml")
	sources, err := os.ReadFile(filepath.Join(dir, "SOURCES"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(sources), "\n") {
		name, _, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			// Load decides by path; give each file the path GitHub reads.
			ext := filepath.Ext(name)
			gh := filepath.Join(t.TempDir(), ".github", "release"+ext)
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(gh), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(gh, src, 0o644); err != nil {
				t.Fatal(err)
			}
			got := describe(gh, corpusIssues())
			golden := filepath.Join("testdata", "release-yml-golden", strings.TrimSuffix(name, ext)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("golden file %s: %v (run go test -update to create it)", golden, err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", golden, diff)
			}
		})
	}
	if n < 30 {
		t.Errorf("corpus has %d files, want at least 30", n)
	}
}

// describe loads the configuration at path and groups cl with it, as
// text: one heading per section with its issues, then what was left out.
func describe(path string, cl *changelog.Changelog) string {
	var b strings.Builder
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintf(&b, "error: %s\n", strings.TrimPrefix(err.Error(), path))
		return b.String()
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", strings.TrimPrefix(w, path))
	}
	opt := templates.Options{
		CatchAll:          cfg.CatchAll,
		Exclude:           templates.Exclude(cfg.Exclude),
		LeaveOutUnmatched: cfg.LeaveOutUnmatched,
	}
	for _, s := range cfg.Sections {
		opt.Sections = append(opt.Sections, templates.Section(s))
	}
	for _, g := range templates.GroupIssues(cl, opt) {
		fmt.Fprintf(&b, "## %s\n", g.Title)
		for _, is := range g.Issues {
			fmt.Fprintf(&b, "- #%d %s [%s]\n", is.Number, is.Author, strings.Join(is.Labels, ", "))
		}
	}
	fmt.Fprintf(&b, "left out: %d\n", templates.LeftOut(cl, opt))
	for _, h := range templates.AuthorHints(cl, opt) {
		fmt.Fprintf(&b, "hint: %s\n", h)
	}
	return b.String()
}
