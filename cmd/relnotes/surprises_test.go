package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relnotes/relnotes/changelog"
)

// relnotesJSON is a saved run of relnotes: its query, link, window and time,
// and the issue the query found.
const relnotesJSON = `{"query":"repo:example/tracker is:issue is:closed reason:completed closed:2024-05-01..2024-05-31",` +
	`"url":"https://github.com/example/tracker/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-05-01..2024-05-31",` +
	`"window":{"since":"2024-05-01","until":"2024-05-31"},"repositories":["example/tracker"],"total":1,"dropped":0,` +
	`"issues":[{"repository":"example/tracker","number":200,"title":"Crash on start","url":"URL","labels":[],"author":"alice",` +
	`"created_at":"2024-04-01T10:00:00Z","closed_at":"2024-05-02T10:00:00Z","state_reason":"completed"}],` +
	`"generated_at":"2020-01-02T03:04:05Z"}`

func savedRun(t *testing.T, url string) string {
	return writeFile(t, filepath.Join(t.TempDir(), "changelog.json"), strings.Replace(relnotesJSON, "URL", url, 1))
}

// TestInputTakesItsQuery: relnotes JSON rendered without query flags uses
// the file's query, link and generated_at and asks nothing of the API; the
// same query given as flags is fine, another is refused in one line.
func TestInputTakesItsQuery(t *testing.T) {
	in := savedRun(t, "https://github.com/example/tracker/issues/200")
	// No token, no API: any request would fail.
	env := map[string]string{"GITHUB_API_URL": "http://127.0.0.1:1/"}
	r := runCLI(t, env, "notes", "--input", in, "--format", "json", "--quiet")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var cl changelog.Changelog
	if err := json.Unmarshal([]byte(r.stdout), &cl); err != nil {
		t.Fatal(err)
	}
	var saved changelog.Changelog
	if err := json.Unmarshal([]byte(strings.Replace(relnotesJSON, "URL", "https://github.com/example/tracker/issues/200", 1)), &saved); err != nil {
		t.Fatal(err)
	}
	if cl.Query != saved.Query || cl.URL != saved.URL || cl.Window != saved.Window || !cl.GeneratedAt.Equal(saved.GeneratedAt) || cl.Total != 1 {
		t.Errorf("rendered %+v\nwant the file's query, link, window and time %+v", cl, saved)
	}

	same := runCLI(t, env, "notes", "--input", in, "--repo", "example/tracker", "--since", "2024-05-01", "--until", "2024-05-31", "--quiet")
	if same.code != 0 || !strings.Contains(same.stdout, "Crash on start") {
		t.Errorf("the same query as flags: exit %d, %s", same.code, same.stderr)
	}
	other := runCLI(t, env, "notes", "--input", in, "--repo", "example/tracker", "--since", "2024-05-01", "--until", "2024-05-31", "--exclude-label", "wontfix", "--quiet")
	want := "relnotes: --input " + in + " was fetched for another query (label exclusions differ: only the command line has -label:wontfix): drop the query flags to render the file's own query, or fetch again\n"
	if other.code != exitUsage || other.stderr != want || other.stdout != "" {
		t.Errorf("another query: exit %d, stderr %q\nwant exit 2, %q", other.code, other.stderr, want)
	}
	ghe := runCLI(t, env, "notes", "--input", in, "--server-url", "https://ghe.example.com", "--quiet")
	if ghe.code != exitUsage || !strings.Contains(ghe.stderr, "pass the --server-url it was fetched with") {
		t.Errorf("another server: exit %d, stderr %q", ghe.code, ghe.stderr)
	}
}

// TestInputURLs: an issue that links anywhere but its own page on the
// tracker is refused; one without a URL gets its page.
func TestInputURLs(t *testing.T) {
	phish := savedRun(t, "https://github.com/attacker/phish/issues/1")
	r := runCLI(t, nil, "notes", "--input", phish)
	want := "relnotes: --input " + phish + ": issue example/tracker#200: its url https://github.com/attacker/phish/issues/1 is not its page https://github.com/example/tracker/issues/200; relnotes links only to the tracker (--server-url, else GITHUB_SERVER_URL, else https://github.com)\n"
	if r.code != exitUsage || r.stderr != want || r.stdout != "" {
		t.Errorf("exit %d, stderr %q\nwant exit 2, %q", r.code, r.stderr, want)
	}
	export := writeFile(t, filepath.Join(t.TempDir(), "gh.json"),
		`[{"number":5,"title":"x","repository":{"nameWithOwner":"example/tracker"},"url":"https://github.com/attacker/phish/issues/5","closedAt":"2024-05-02T10:00:00Z","stateReason":"COMPLETED"}]`)
	if r := runCLI(t, nil, "notes", "--input", export, "--repo", "example/tracker"); r.code != exitUsage || !strings.Contains(r.stderr, "is not its page") {
		t.Errorf("gh export with a foreign url: exit %d, %s", r.code, r.stderr)
	}
	bare := writeFile(t, filepath.Join(t.TempDir(), "gh.json"),
		`[{"number":5,"title":"x","closedAt":"2024-05-02T10:00:00Z","stateReason":"COMPLETED"}]`)
	r = runCLI(t, nil, "notes", "--input", bare, "--repo", "example/tracker", "--since", "2024-05-01", "--format", "json", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, `"url": "https://github.com/example/tracker/issues/5"`) {
		t.Errorf("gh export without url: exit %d, %s\n%s", r.code, r.stderr, r.stdout)
	}
}

// TestEmptyInput: an input that holds no issues is what a failed export
// looks like; it is refused unless --allow-empty says it is meant.
func TestEmptyInput(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ name, content string }{
		{"zero bytes", ""},
		{"empty list", "[]"},
		{"null issues", `{"issues": null}`},
		{"empty stdin", "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := "-"
			if tt.content != "-" {
				in = writeFile(t, filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json"), tt.content)
			}
			args := []string{"notes", "--repo", "o/r", "--since", "2024-05-01", "--input", in}
			r := runCLI(t, nil, args...)
			want := "relnotes: --input " + in + ` holds no issues (an empty file, [] or "issues": null), as a failed export does: check it, or pass --allow-empty to render an empty list` + "\n"
			if r.code != exitUsage || r.stderr != want || r.stdout != "" {
				t.Errorf("exit %d, stderr %q\nwant exit 2, %q", r.code, r.stderr, want)
			}
			r = runCLI(t, nil, append(args, "--allow-empty", "--quiet")...)
			if r.code != 0 || !strings.Contains(r.stdout, "Total: 0 issues.") {
				t.Errorf("--allow-empty: exit %d, %s\n%s", r.code, r.stderr, r.stdout)
			}
		})
	}
}

// TestNoRepositoryNoWindow: notes without a repository is refused as link
// refuses it; a link with no window is printed with a warning.
func TestNoRepositoryNoWindow(t *testing.T) {
	export := writeFile(t, filepath.Join(t.TempDir(), "gh.json"),
		`[{"number":5,"title":"x","url":"https://github.com/o/r/issues/5","closedAt":"2024-05-02T10:00:00Z","stateReason":"COMPLETED"}]`)
	want := "relnotes: no repository: pass --repo OWNER/NAME (or --org NAME), or set repos in .relnotes.yml\n"
	for _, args := range [][]string{{"link"}, {"notes"}, {"notes", "--input", export}} {
		if r := runCLI(t, nil, args...); r.code != exitUsage || r.stderr != want {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, %q", args, r.code, r.stderr, want)
		}
	}
	r := runCLI(t, nil, "link", "--repo", "o/r")
	if r.code != 0 || r.stderr != "relnotes: warning: no window: the link lists every matching issue of all time; pass --since and --until, or --release TAG\n" {
		t.Errorf("link without a window: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runCLI(t, nil, "link", "--repo", "o/r", "--since", "2024-01-01"); r.stderr != "" {
		t.Errorf("link with a window warns: %q", r.stderr)
	}
}

// TestCountsAgree: the summary line says what the configuration left out,
// so it agrees with the output's total; with both configuration files, a
// line says which one is read.
func TestCountsAgree(t *testing.T) {
	dir := t.TempDir()
	rel := writeFile(t, filepath.Join(dir, ".github", "release.yml"),
		"changelog:\n  exclude:\n    labels: [dependencies]\n  categories:\n    - title: Bug fixes\n      labels: [Bug]\n")
	in := writeFile(t, filepath.Join(dir, "issues.json"), ghExport)
	r := runIn(t, dir, "notes", "--repo", "o/r", "--since", "2024-05-01", "--until", "2024-05-31", "--input", in)
	if r.code != 0 || !strings.Contains(r.stdout, "Total: 1 issue.") {
		t.Fatalf("exit %d, %s\n%s", r.code, r.stderr, r.stdout)
	}
	want := "relnotes: 3 issues from o/r; 2 left out by " + rel + ", 1 listed\n"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if !strings.Contains(r.stderr, "relnotes: warning: 1 issue matches no category of "+rel+" and is left out") {
		t.Errorf("stderr lacks the singular warning:\n%s", r.stderr)
	}

	writeFile(t, filepath.Join(dir, ".relnotes.yml"), "repos: [o/r]\n")
	r = runIn(t, dir, "link", "--since", "2024-05-01")
	want = "relnotes: using .relnotes.yml; .github/release.yml is not read, since .relnotes.yml comes first (copy its categories into sections:, or pass --config .github/release.yml)\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("both files: exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
	_ = os.Remove(rel)
	if r := runIn(t, dir, "link", "--since", "2024-05-01"); r.stderr != "" {
		t.Errorf("one file: stderr %q", r.stderr)
	}
}

// TestHints: usage errors point at the command that was run.
func TestHints(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"link", "extra"}, `relnotes: link takes no arguments, got "extra" (a flag value with spaces needs quotes; see 'relnotes link --help')`},
		{[]string{"changelog", "CHANGELOG.md"}, `relnotes: changelog takes no arguments, got "CHANGELOG.md" (a flag value with spaces needs quotes; see 'relnotes changelog --help')`},
		{[]string{"version", "x"}, `relnotes: version takes no arguments, got "x" (a flag value with spaces needs quotes; see 'relnotes version --help')`},
		{[]string{"check"}, `relnotes: check takes one link (quote it), got 0 arguments (see 'relnotes check --help')`},
		{[]string{"lnk"}, `relnotes: unknown command "lnk" for "relnotes"; did you mean link?`},
		{[]string{"link", "--sinse", "2024-01-01"}, `relnotes: unknown flag: --sinse; did you mean --since?`},
		{[]string{"notes", "-f", "md"}, `relnotes: --format "md" is not one of announcement, markdown, html, json; did you mean markdown?`},
		{[]string{"link", "--kind", "prs"}, `relnotes: --kind "prs" is not one of issue, pr, any; did you mean pr?`},
	}
	for _, tt := range tests {
		if r := runCLI(t, nil, tt.args...); r.code != exitUsage || r.stderr != tt.want+"\n" {
			t.Errorf("%v: exit %d, stderr %q\nwant exit 2, %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

// TestDroppedFromInput: an input's items that do not match are counted in
// the right number, without blaming the search index, which a file has not.
func TestDroppedFromInput(t *testing.T) {
	export := writeFile(t, filepath.Join(t.TempDir(), "gh.json"),
		`[{"number":5,"title":"x","closedAt":"2024-05-02T10:00:00Z","stateReason":"COMPLETED"},`+
			`{"number":6,"title":"y","closedAt":"2023-05-02T10:00:00Z","stateReason":"COMPLETED"}]`)
	r := runCLI(t, nil, "notes", "--repo", "o/r", "--since", "2024-01-01", "--input", export)
	want := "relnotes: warning: left out 1 item that does not match the query: o/r#6 (closed 2023-05-02T10:00:00Z, before the window's start 2024-01-01 (whole UTC day))\n" +
		"relnotes: 1 issue from o/r; 1 item did not match the query and was left out\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
}
