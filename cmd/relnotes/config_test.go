package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runIn runs one command line in-process with dir as the working directory.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := &App{
		Stdin:   strings.NewReader(""),
		Stdout:  &stdout,
		Stderr:  &stderr,
		Getenv:  func(string) string { return "" },
		Now:     func() time.Time { return time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC) },
		WorkDir: dir,
	}
	code := app.Run(context.Background(), args)
	return result{stdout.String(), stderr.String(), code}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWorkflowAtGitHubRelease: a workflow saved as .github/release.yml is
// not a release-notes configuration; every command runs, with a warning
// naming the file (it used to make every command exit 2).
func TestWorkflowAtGitHubRelease(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, ".github", "release.yml"),
		"name: Release\non:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n")
	r := runIn(t, dir, seedArgs...)
	if r.code != 0 || r.stdout != seedLink+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if want := "relnotes: warning: " + p + ": no changelog key, so not a release-notes configuration; ignored\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
}

// ghExport is a gh issue list --json export as gh writes it: no url, and
// the app dependabot as app/dependabot.
const ghExport = `[
  {"author":{"id":"U1","is_bot":false,"login":"alice","name":""},"closedAt":"2024-05-01T10:00:00Z","labels":[{"name":"Bug"}],"number":1,"stateReason":"COMPLETED","title":"Crash on start"},
  {"author":{"is_bot":true,"login":"app/dependabot"},"closedAt":"2024-05-02T10:00:00Z","labels":[{"name":"dependencies"}],"number":2,"stateReason":"COMPLETED","title":"Bump x"},
  {"author":{"id":"U2","is_bot":false,"login":"bob","name":""},"closedAt":"2024-05-03T10:00:00Z","labels":[],"number":3,"stateReason":"COMPLETED","title":"Reword the docs"}
]`

// TestGitHubReleaseLeavesOut: with .github/release.yml, what no category
// takes is left out as on GitHub; relnotes says how many and how to list
// them, and --format json carries the count as left_out.
func TestGitHubReleaseLeavesOut(t *testing.T) {
	dir := t.TempDir()
	rel := writeFile(t, filepath.Join(dir, ".github", "release.yml"),
		"changelog:\n  categories:\n    - title: Bug fixes\n      labels: [bug]\n    - title: Other Changes\n      labels: [enhancement]\n")
	in := writeFile(t, filepath.Join(dir, "issues.json"), ghExport)
	args := []string{"notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in, "--quiet"}

	r := runIn(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Count(r.stdout, "Other Changes") != 0 || !strings.Contains(r.stdout, "### Bug fixes") || strings.Contains(r.stdout, "Other changes") {
		t.Errorf("want only the Bug fixes section, no catch-all:\n%s", r.stdout)
	}
	want := "relnotes: warning: 2 issues match no category of " + rel + ` and are left out, as on GitHub; to list them, add a last category with labels: ["*"]` + "\n"
	if r.stderr != want {
		t.Errorf("stderr = %q\nwant     %q", r.stderr, want)
	}

	j := runIn(t, dir, append(args, "--format", "json")...)
	var doc struct {
		LeftOut  int `json:"left_out"`
		Total    int `json:"total"`
		Sections []struct {
			Title  string   `json:"title"`
			Issues []string `json:"issues"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, j.stdout)
	}
	if doc.LeftOut != 2 || doc.Total != 3 || len(doc.Sections) != 1 || doc.Sections[0].Title != "Bug fixes" {
		t.Errorf("JSON: left_out %d, total %d, sections %+v", doc.LeftOut, doc.Total, doc.Sections)
	}

	// A "*" category is GitHub's catch-all: nothing is left out.
	writeFile(t, rel, "changelog:\n  categories:\n    - title: Bug fixes\n      labels: [bug]\n    - title: Other Changes\n      labels: [\"*\"]\n")
	r = runIn(t, dir, args...)
	if r.code != 0 || r.stderr != "" || strings.Count(r.stdout, "### Other Changes") != 1 {
		t.Errorf("exit %d, stderr %q:\n%s", r.code, r.stderr, r.stdout)
	}
}

// TestBotAuthorsInExports: gh's app/dependabot is the app dependabot[bot]
// for --exclude-author (written app/dependabot or dependabot[bot]) and for
// exclude.authors, and renders as GitHub writes it.
func TestBotAuthorsInExports(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "issues.json"), ghExport)
	base := []string{"notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in, "--quiet", "--format", "json"}
	numbers := func(r result) []int {
		t.Helper()
		var doc struct {
			Issues []struct {
				Number int    `json:"number"`
				Author string `json:"author"`
			} `json:"issues"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("exit %d, %v: %s", r.code, err, r.stderr)
		}
		var out []int
		for _, is := range doc.Issues {
			out = append(out, is.Number)
			if is.Number == 2 && is.Author != "dependabot[bot]" {
				t.Errorf("author of #2 = %q, want dependabot[bot]", is.Author)
			}
		}
		return out
	}
	for _, a := range []string{"app/dependabot", "dependabot[bot]", "APP/Dependabot"} {
		if diff := cmp.Diff([]int{1, 3}, numbers(runIn(t, dir, append(base, "--exclude-author", a)...))); diff != "" {
			t.Errorf("--exclude-author %s (-want +got):\n%s", a, diff)
		}
		if diff := cmp.Diff([]int{2}, numbers(runIn(t, dir, append(base, "--author", a)...))); diff != "" {
			t.Errorf("--author %s (-want +got):\n%s", a, diff)
		}
	}
	// A plain name is the account of that name, as in GitHub's search.
	if diff := cmp.Diff([]int{1, 2, 3}, numbers(runIn(t, dir, append(base, "--exclude-author", "dependabot")...))); diff != "" {
		t.Errorf("--exclude-author dependabot (-want +got):\n%s", diff)
	}

	// exclude.authors follows the same rule, and says so where a plain name
	// is an app's.
	writeFile(t, filepath.Join(dir, ".relnotes.yml"), "exclude:\n  authors: [dependabot]\n")
	r := runIn(t, dir, "notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in, "--quiet")
	if !strings.Contains(r.stdout, "Bump x") {
		t.Errorf("exclude.authors [dependabot] dropped the app's issue:\n%s", r.stdout)
	}
	if want := `relnotes: warning: author "dependabot" names the account dependabot, not the app dependabot[bot] that opened 1 issue; write dependabot[bot] to mean the app` + "\n"; r.stderr != want {
		t.Errorf("stderr = %q\nwant     %q", r.stderr, want)
	}
	writeFile(t, filepath.Join(dir, ".relnotes.yml"), "exclude:\n  authors: [\"dependabot[bot]\"]\n")
	r = runIn(t, dir, "notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in, "--quiet")
	if strings.Contains(r.stdout, "Bump x") || r.stderr != "" {
		t.Errorf("exclude.authors [dependabot[bot]] kept the app's issue (stderr %q):\n%s", r.stderr, r.stdout)
	}
}

// TestExportWithoutRepository: an export without url/repository is read
// when exactly one repository is queried, and refused with the fix
// otherwise.
func TestExportWithoutRepository(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "issues.json"), ghExport)
	r := runIn(t, dir, "notes", "--repo", "o/r", "--repo", "o/s", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in, "--quiet")
	want := "relnotes: --input " + in + ": line 2, column 3: JSON value 1, element 1, issue #1: cannot tell its repository (no repository, repository_url or url field); query exactly one repository, or export with --json url\n"
	if r.code != exitUsage || r.stderr != want {
		t.Errorf("exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
	bom := writeFile(t, filepath.Join(dir, "bom.json"), "\ufeff"+ghExport)
	if r := runIn(t, dir, "notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", bom, "--quiet"); r.code != 0 {
		t.Errorf("UTF-8 with BOM: exit %d: %s", r.code, r.stderr)
	}
}

// TestUnboundedFiles: a configuration of nested aliases and endless files
// given as configuration, template or token end at once with one line.
func TestUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	// Ten levels of ten aliases each: 10^10 labels once expanded.
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [" + strings.Repeat("x,", 9) + "x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [%s*a%d]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), i-1)
	}
	bomb.WriteString("labels: *a9\nrepos: [o/r]\n")
	cfg := writeFile(t, filepath.Join(dir, "bomb.yml"), bomb.String())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"alias bomb", []string{"link", "--config", cfg, "--since", "2024-01-01"},
			"relnotes: " + cfg + ": its aliases (*name) expand it to more than 4 MiB; write the values out instead\n"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests,
			struct {
				name string
				args []string
				want string
			}{"config /dev/zero", []string{"link", "--config", "/dev/zero", "--repo", "o/r", "--since", "2024-01-01"},
				"relnotes: /dev/zero: larger than 1 MiB, so not a configuration file; check the path\n"},
			struct {
				name string
				args []string
				want string
			}{"template /dev/zero", []string{"notes", "--template", "/dev/zero", "--repo", "o/r", "--since", "2024-01-01", "--input", "-"},
				"relnotes: template /dev/zero: larger than 1 MiB, so not a template; check the --template path\n"},
			struct {
				name string
				args []string
				want string
			}{"token file /dev/zero", []string{"notes", "--token-file", "/dev/zero", "--repo", "o/r", "--since", "2024-01-01", "--api-url", "http://127.0.0.1:1"},
				"relnotes: --token-file /dev/zero is larger than 64 KiB, so it does not hold a token; check the path\n"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := runIn(t, dir, tt.args...)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if r.code != exitUsage || r.stderr != tt.want {
				t.Errorf("exit %d, stderr %q\nwant %q", r.code, r.stderr, tt.want)
			}
		})
	}
}
