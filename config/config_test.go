package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const full = `# every key of .relnotes.yml
repos: [QubesOS/qubes-issues]
orgs: [QubesOS]
labels: ["C: core"]
exclude-labels: ["R: duplicate", "R: declined"]
reason: completed
kind: issue
state: closed
server-url: https://github.com
api-url: https://api.github.com
sections:
  - title: Bug fixes
    labels: ["T: bug"]
    exclude-labels: [wontfix]
    exclude-authors: [dependabot]
  - title: Everything else
    labels: ["*"]
catch-all: Other changes
exclude:
  labels: [internal]
  authors: ["renovate[bot]"]
announcement:
  sentence: "See the {link}."
  link-text: full list
  count: true
format: html
sort: number
mentions: keep
show-labels: true
show-authors: true
title: Qubes OS 4.2.3
template: notes.tmpl
`

func TestLoadFull(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, FileName, full)
	got, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:          p,
		Repos:         []string{"QubesOS/qubes-issues"},
		Orgs:          []string{"QubesOS"},
		Labels:        []string{"C: core"},
		ExcludeLabels: []string{"R: duplicate", "R: declined"},
		Reason:        "completed", Kind: "issue", State: "closed",
		ServerURL: "https://github.com", APIURL: "https://api.github.com",
		Sections: []Section{
			{Title: "Bug fixes", Labels: []string{"T: bug"}, ExcludeLabels: []string{"wontfix"}, ExcludeAuthors: []string{"dependabot"}},
			{Title: "Everything else", Labels: []string{"*"}},
		},
		CatchAll:     "Other changes",
		Exclude:      Exclude{Labels: []string{"internal"}, Authors: []string{"renovate[bot]"}},
		Announcement: Announcement{Sentence: "See the {link}.", LinkText: "full list", Count: true},
		Format:       "html", Sort: "number", Mentions: "keep",
		ShowLabels: true, ShowAuthors: true,
		Title:    "Qubes OS 4.2.3",
		Template: filepath.Join(dir, "notes.tmpl"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

func TestLoadEmpty(t *testing.T) {
	for _, content := range []string{"", "\n# nothing\n", "---\n"} {
		p := write(t, t.TempDir(), FileName, content)
		got, err := Load(p)
		if err != nil {
			t.Fatalf("Load(%q): %v", content, err)
		}
		if diff := cmp.Diff(&Config{File: p}, got); diff != "" {
			t.Errorf("Load(%q) (-want +got):\n%s", content, diff)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, content string
		line          int
		key           string
		msg           string // substring
	}{
		{"unknown top-level key", "repos: [a/b]\nrepo: a/b\n", 2, "repo", "unknown key; the keys allowed here are announcement, api-url,"},
		{"unknown nested key", "sections:\n  - title: A\n    lables: [x]\n", 3, "sections[0].lables", "unknown key"},
		{"unknown announcement key", "announcement:\n  text: x\n", 2, "announcement.text", "link-text"},
		{"list expected", "repos: a/b\n", 1, "repos", "must be a list"},
		{"mapping expected", "exclude: [a]\n", 1, "exclude", "must be a mapping"},
		{"bool expected", "show-labels: yes please\n", 1, "show-labels", "true or false"},
		{"scalar expected", "format: [html]\n", 1, "format", "single value"},
		{"duplicate key", "sort: number\nsort: title\n", 2, "sort", "twice"},
		{"bad enum", "format: pdf\n", 1, "format", `"pdf" is not allowed; use one of "announcement", "markdown", "html", "json"`},
		{"bad reason", "reason: done\n", 1, "reason", `"not planned"`},
		{"bad repo", "repos: [a/b, qubes]\n", 1, "repos[1]", "OWNER/NAME"},
		{"repo GitHub cannot name", "repos: [a/b, a!/b]\n", 1, "repos[1]", `"a!/b" is not a repository; write OWNER/NAME`},
		{"repo with a path", "repos: [a/b/c]\n", 1, "repos[0]", "OWNER/NAME"},
		{"untitled section", "sections:\n  - labels: [x]\n", 2, "sections[0].title", "needs a title"},
		{"sentence without link", "announcement:\n  sentence: hello\n", 2, "announcement.sentence", "{link}"},
		{"not a mapping", "- a\n- b\n", 1, "", "mapping of keys"},
		{"bad yaml", "repos: [a/b\n", 0, "", "not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, t.TempDir(), FileName, tt.content)
			_, err := Load(p)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want *Error", err)
			}
			if ce.File != p || ce.Line != tt.line || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("Load = %#v\nwant file %s line %d key %q msg containing %q", ce, p, tt.line, tt.key, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), p) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q must start with the file name and be one line", err)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yml"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "not found") {
		t.Errorf("Load(missing) = %v, want a not-found error wrapping fs.ErrNotExist", err)
	}
}

const githubReleaseYAML = `changelog:
  exclude:
    labels: [ignore-for-release]
    authors: [octocat]
  categories:
    - title: Breaking Changes 🛠
      labels: [Semver-Major, breaking-change]
    - title: Exciting New Features 🎉
      labels: [Semver-Minor, enhancement]
      exclude:
        labels: [experimental]
        authors: [bot]
    - title: Other Changes
      labels: ["*"]
`

func TestLoadGitHubRelease(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, ".github/release.yml", githubReleaseYAML)
	want := &Config{
		File:              p,
		LeaveOutUnmatched: true,
		Exclude:           Exclude{Labels: []string{"ignore-for-release"}, Authors: []string{"octocat"}},
		Sections: []Section{
			{Title: "Breaking Changes 🛠", Labels: []string{"Semver-Major", "breaking-change"}},
			{Title: "Exciting New Features 🎉", Labels: []string{"Semver-Minor", "enhancement"},
				ExcludeLabels: []string{"experimental"}, ExcludeAuthors: []string{"bot"}},
			{Title: "Other Changes", Labels: []string{"*"}},
		},
	}
	for name, load := range map[string]func(string) (*Config, error){"Load": Load, "LoadGitHubRelease": LoadGitHubRelease} {
		got, err := load(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}

	bad := write(t, dir, "bad.yml", "changelog:\n  categories:\n    - title: A\n      label: [x]\n")
	_, err := LoadGitHubRelease(bad)
	var ce *Error
	if !errors.As(err, &ce) || ce.Key != "changelog.categories[0].label" || ce.Line != 4 {
		t.Errorf("LoadGitHubRelease(typo) = %v, want unknown key changelog.categories[0].label on line 4", err)
	}
	untitled := write(t, dir, "untitled.yml", "changelog:\n  categories:\n    - labels: [x]\n")
	if _, err := LoadGitHubRelease(untitled); !errors.As(err, &ce) || ce.Line != 3 {
		t.Errorf("LoadGitHubRelease(untitled) = %v, want an error on line 3", err)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if p, ok := Find(dir); ok {
		t.Errorf("Find(empty) = %q, true", p)
	}
	rel := write(t, dir, ".github/release.yml", githubReleaseYAML)
	if p, ok := Find(dir); !ok || p != rel {
		t.Errorf("Find = %q, %v; want %q", p, ok, rel)
	}
	own := write(t, dir, FileName, "")
	if p, ok := Find(dir); !ok || p != own {
		t.Errorf("Find = %q, %v; want %q (.relnotes.yml wins)", p, ok, own)
	}
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "relnotes")
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, ".relnotes.yml")
	_ = os.WriteFile(p, []byte("repos: [QubesOS/qubes-issues]\nsections:\n  - title: Bug fixes\n    lables: [\"T: bug\"]\n"), 0o644)
	_, err := Load(p)
	println := func(s string) { os.Stdout.WriteString(s + "\n") }
	println(strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	// Output:
	// .relnotes.yml:4: sections[0].lables: unknown key; the keys allowed here are exclude-authors, exclude-labels, labels, title
}

// TestReasonSpellings: the config accepts the CLI's spelling of the close
// reason (--reason not-planned) as well as the search syntax's.
func TestReasonSpellings(t *testing.T) {
	for _, in := range []string{"not-planned", "not_planned", `"not planned"`} {
		p := write(t, t.TempDir(), FileName, "reason: "+in+"\n")
		got, err := Load(p)
		if err != nil {
			t.Fatalf("reason: %s: %v", in, err)
		}
		if got.Reason != "not planned" {
			t.Errorf("reason: %s read as %q, want %q", in, got.Reason, "not planned")
		}
	}
}

// TestLoadGitHubReleaseRefused: what GitHub documents as required or as a
// list is refused with one line naming the key, its line and the rule,
// instead of quietly meaning "nothing".
func TestLoadGitHubReleaseRefused(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       string // the error after "FILE:"
	}{
		{"null exclude labels", "changelog:\n  exclude:\n    labels:\n",
			"3: changelog.exclude.labels: must be a list of labels, like [a, b]; GitHub refuses an empty value (remove the key if there are none)"},
		{"null exclude authors", "changelog:\n  exclude:\n    authors: ~\n",
			"3: changelog.exclude.authors: must be a list of logins, like [a, b]; GitHub refuses an empty value (remove the key if there are none)"},
		{"single label", "changelog:\n  categories:\n    - title: All\n      labels: \"*\"\n",
			"4: changelog.categories[0].labels: must be a list, like [a, b]"},
		{"empty labels", "changelog:\n  categories:\n    - title: All\n      labels: []\n",
			"4: changelog.categories[0].labels: must be a list of labels, like [a, b]; GitHub refuses an empty value (remove the key if there are none)"},
		{"no labels", "changelog:\n  categories:\n    - title: All\n",
			`3: changelog.categories[0].labels: every category needs labels (GitHub requires them); write labels: ["*"] for every issue no earlier category took`},
		{"no title", "changelog:\n  categories:\n    - labels: [x]\n",
			"3: changelog.categories[0].title: every category needs a title (GitHub requires it)"},
		{"blank title", "changelog:\n  categories:\n    - title: \" \"\n      labels: [x]\n",
			"3: changelog.categories[0].title: every category needs a title (GitHub requires it)"},
		{"empty entry", "changelog:\n  categories:\n    - title: A\n      labels: [x]\n      exclude:\n        authors:\n          -\n",
			"7: changelog.categories[0].exclude.authors[0]: must be a name; remove the empty entry"},
		{"mapping labels", "changelog:\n  categories:\n    - title: A\n      labels: {a: b}\n",
			"4: changelog.categories[0].labels: must be a list, like [a, b]"},
		{"invalid YAML", "changelog:\n  categories:\n    - title: [\n",
			" not valid YAML: line 3: did not find expected node content"},
		{"unknown key", "changelog:\n  exclude:\n    label: [x]\n",
			"3: changelog.exclude.label: unknown key; the keys allowed here are authors, labels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, t.TempDir(), ".github/release.yml", tt.yaml)
			got, err := Load(p)
			if err == nil {
				t.Fatalf("Load = %+v, want an error", got)
			}
			if diff := cmp.Diff(p+":"+tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadGitHubReleaseNotAConfig: a file at .github/release.yml or .yaml
// without a changelog key (a workflow saved there, a release-please
// config) is not read as a .relnotes.yml; it is ignored with a warning
// naming it, so no command fails because of it.
func TestLoadGitHubReleaseNotAConfig(t *testing.T) {
	for _, name := range []string{".github/release.yml", ".github/release.yaml"} {
		for _, content := range []string{
			"name: Release\non:\n  push:\n    tags: ['v*']\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
			"releaseType: simple\n",
			"",
		} {
			p := write(t, t.TempDir(), name, content)
			got, err := Load(p)
			if err != nil {
				t.Fatalf("Load(%s with %q) = %v", name, content, err)
			}
			want := &Config{Warnings: []string{p + ": no changelog key, so not a release-notes configuration; ignored"}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Load(%s with %q) (-want +got):\n%s", name, content, diff)
			}
		}
	}
	// Elsewhere the same workflow is a .relnotes.yml with unknown keys.
	p := write(t, t.TempDir(), FileName, "releaseType: simple\n")
	if _, err := Load(p); err == nil {
		t.Errorf("Load(%s) accepted an unknown key", p)
	}
}

// TestLoadAliasBomb: a small file of nested aliases that would expand to a
// billion labels is refused at once, without expanding it.
func TestLoadAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [" + strings.Repeat("x,", 9) + "x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [%s*a%d]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d,", i-1), 9), i-1)
	}
	b.WriteString("labels: *a9\n")
	for _, name := range []string{FileName, ".github/release.yml"} {
		p := write(t, t.TempDir(), name, strings.Replace(b.String(), "labels: *a9", map[string]string{
			FileName: "labels: *a9", ".github/release.yml": "changelog:\n  exclude:\n    labels: *a9"}[name], 1))
		start := time.Now()
		_, err := Load(p)
		want := p + ": its aliases (*name) expand it to more than 4 MiB; write the values out instead"
		if err == nil || err.Error() != want {
			t.Errorf("Load(alias bomb) = %v, want %s", err, want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Load(alias bomb) took %v", d)
		}
	}
	// One long anchored label repeated by many aliases: few nodes, gigabytes
	// of text.
	long := write(t, t.TempDir(), FileName, "labels: [&a "+strings.Repeat("x", 100_000)+strings.Repeat(", *a", 15_000)+"]\n")
	if _, err := Load(long); err == nil || !strings.Contains(err.Error(), "expand it to more than 4 MiB") {
		t.Errorf("Load(repeated long alias) = %v", err)
	}
	// Aliases within the bound are fine.
	p := write(t, t.TempDir(), FileName, "sections:\n  - title: A\n    labels: &l [x, y]\n  - title: B\n    labels: *l\n")
	if c, err := Load(p); err != nil || len(c.Sections) != 2 || len(c.Sections[1].Labels) != 2 {
		t.Errorf("Load(small aliases) = %+v, %v", c, err)
	}
}

// TestLoadTooLarge: reading a device or a huge file as the configuration
// ends at the size limit with a clear error.
func TestLoadTooLarge(t *testing.T) {
	p := write(t, t.TempDir(), FileName, "# "+strings.Repeat("x", 1<<20)+"\n")
	want := p + ": larger than 1 MiB, so not a configuration file; check the path"
	if _, err := Load(p); err == nil || err.Error() != want {
		t.Errorf("Load(2 MiB) = %v, want %s", err, want)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
			t.Errorf("Load(/dev/zero) = %v", err)
		}
	}
}

func ExampleLoadGitHubRelease() {
	dir, _ := os.MkdirTemp("", "relnotes")
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, ".github", "release.yml")
	_ = os.MkdirAll(filepath.Dir(p), 0o755)
	_ = os.WriteFile(p, []byte("changelog:\n  categories:\n    - title: Fixes\n      labels: [bug]\n"), 0o644)
	c, _ := LoadGitHubRelease(p)
	fmt.Println(c.Sections[0].Title, c.Sections[0].Labels, "leave out unmatched:", c.LeaveOutUnmatched)

	_ = os.WriteFile(p, []byte("changelog:\n  categories:\n    - title: Fixes\n"), 0o644)
	_, err := LoadGitHubRelease(p)
	fmt.Println(strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	// Output:
	// Fixes [bug] leave out unmatched: true
	// .github/release.yml:3: changelog.categories[0].labels: every category needs labels (GitHub requires them); write labels: ["*"] for every issue no earlier category took
}
