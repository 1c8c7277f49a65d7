package templates

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/changelog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// hostileTitles are titles a stranger could give an issue, each aimed at one
// way of escaping its list item: HTML and script injection, dangerous links,
// entity tricks, nested Markdown, template placeholders, GitHub mentions and
// references, autolinks, line breaks, control and bidi characters.
var hostileTitles = []string{
	"Fix the updater when dom0 is offline",
	"<script>document.title='pwned';window.__pwned=1</script>",
	`<img src=x onerror="window.__pwned=1">`,
	`"><svg onload=window.__pwned=1>`,
	`<a href="javascript:window.__pwned=1" onclick="window.__pwned=1">click</a>`,
	"[click me](javascript:window.__pwned=1)",
	"[also](&#106;avascript:window.__pwned=1 \"t\")",
	"![tracker](https://evil.example/pixel.png)",
	"&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;amp; &#x3C;b&#x3E;",
	"**bold** __strong__ _em_ *em* ~~strike~~ ~single~ `code` ``x``",
	"# Heading",
	"- not a list item",
	"1. not ordered",
	"> not a quote",
	"| not | a | table |",
	"--- setext?",
	"[ref]: https://evil.example/ref",
	"{{ .Changelog.URL }} {{ printf \"%s\" \"x\" }} {{template \"x\"}}",
	"@everyone ping @octocat about #123, GH-42 and owner/repo#7",
	"https://evil.example/x www.evil.example mail@evil.example <https://evil.example>",
	"line one\nline two\r\n  - injected item\n\n# injected heading",
	"bidi \u202egnp.exe\u202c and \u2066isolate\u2069 \u200emark\u200f \u061calm",
	"control \x00\x07\x1b[31mred\x1b[0m\x7f\u0085end",
	"<!-- comment --> ]]> </li></ul><script>window.__pwned=1</script>",
	"<style>body{display:none}</style><iframe src=\"//evil.example\"></iframe>",
	"trailing backslash \\",
	`\*not bold\* \<not html\>`,
	"   leading\tand trailing spaces   ",
	"Ünïcödé 日本語 🎉 non\u00a0breaking",
	"javascript:window.__pwned=1",
	"<details open ontoggle=window.__pwned=1>",
	"",
}

// fixture is a changelog of QubesOS/qubes-issues whose issues carry
// hostileTitles, a few labels for sections and one excluded issue.
func fixture() *changelog.Changelog {
	t0 := time.Date(2024, 3, 27, 10, 0, 0, 0, time.UTC)
	labels := [][]string{{"T: bug"}, {"T: enhancement"}, {"T: bug", "C: core"}, nil, {"<b>label</b>", "T: task"}}
	authors := []string{"marmarek", "dependabot[bot]", "@evil", "andrewdavidwong"}
	cl := &changelog.Changelog{
		Query:        `is:issue is:closed reason:completed repo:QubesOS/qubes-issues closed:2024-03-26..2024-09-09 -label:"R: duplicate"`,
		URL:          "https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+duplicate%22",
		Window:       changelog.Window{Since: "2024-03-26", Until: "2024-09-09"},
		Repositories: []string{"QubesOS/qubes-issues"},
		GeneratedAt:  time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC),
	}
	for i, title := range hostileTitles {
		n := 9000 + i*7%31*3 + i // distinct, not in closed order
		is := changelog.Issue{
			Repository:  "QubesOS/qubes-issues",
			Number:      n,
			Title:       title,
			URL:         "https://github.com/QubesOS/qubes-issues/issues/" + strconv.Itoa(n),
			Labels:      labels[i%len(labels)],
			Author:      authors[i%len(authors)],
			AuthorIsBot: i%len(authors) == 1,
			CreatedAt:   t0.Add(-time.Duration(i) * 24 * time.Hour),
			ClosedAt:    t0.Add(time.Duration((i*11)%len(hostileTitles)) * time.Hour),
			StateReason: "completed",
		}
		cl.Issues = append(cl.Issues, is)
	}
	// One issue links off the tracker: relnotes must rebuild its link.
	cl.Issues[5].URL = "javascript:window.__pwned=1"
	// One issue is excluded by the fixture options.
	cl.Issues[6].Labels = []string{"R: self-closed"}
	cl.Total = len(cl.Issues)
	return cl
}

// fixtureOptions groups the fixture into sections and excludes one label.
func fixtureOptions() Options {
	return Options{
		Sections: []Section{
			{Title: "Bug fixes", Labels: []string{"t: BUG"}},
			{Title: "Enhancements", Labels: []string{"T: enhancement"}, ExcludeAuthors: []string{"dependabot[bot]"}},
		},
		Exclude: Exclude{Labels: []string{"R: self-closed"}},
	}
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
// A missing golden file fails the test.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run go test -update to create it)", path, err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}
