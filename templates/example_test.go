package templates_test

import (
	"fmt"
	"os"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/templates"
)

func exampleChangelog() *changelog.Changelog {
	closed := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	return &changelog.Changelog{
		URL:          "https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed",
		Repositories: []string{"QubesOS/qubes-issues"},
		Issues: []changelog.Issue{
			{Repository: "QubesOS/qubes-issues", Number: 9012, Title: "Fix *all* the <bugs> for @alice",
				URL: "https://github.com/QubesOS/qubes-issues/issues/9012", Labels: []string{"T: bug"}, Author: "marmarek", ClosedAt: closed},
			{Repository: "QubesOS/qubes-issues", Number: 9001, Title: "Faster backups",
				URL: "https://github.com/QubesOS/qubes-issues/issues/9001", Labels: []string{"T: enhancement"}, ClosedAt: closed.Add(time.Hour)},
		},
		GeneratedAt: closed.Add(24 * time.Hour),
	}
}

func ExampleRender() {
	opt := templates.Options{
		Sections: []templates.Section{{Title: "Bug fixes", Labels: []string{"T: bug"}}},
	}
	if err := templates.Render(os.Stdout, exampleChangelog(), opt); err != nil {
		fmt.Println(err)
	}
	// Output:
	// For more information about the changes included in this version, see the [full list of issues completed since the previous stable release](https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed).
	//
	// ### Bug fixes
	//
	// - Fix \*all\* the \<bugs> for @​alice ([#9012](https://github.com/QubesOS/qubes-issues/issues/9012))
	//
	// ### Other changes
	//
	// - Faster backups ([#9001](https://github.com/QubesOS/qubes-issues/issues/9001))
	//
	// Total: 2 issues.
}

func ExampleRender_html() {
	opt := templates.Options{Format: templates.FormatHTML, Announcement: templates.Announcement{Sentence: "See the {link}.", LinkText: "issues", Count: true}}
	if err := templates.Render(os.Stdout, exampleChangelog(), opt); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <p>See the <a href="https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed">issues</a> (2 issues).</p>
	// <ul>
	// <li><bdi>Fix *all* the &lt;bugs&gt; for @​alice</bdi> (<a href="https://github.com/QubesOS/qubes-issues/issues/9012">#9012</a>)</li>
	// <li><bdi>Faster backups</bdi> (<a href="https://github.com/QubesOS/qubes-issues/issues/9001">#9001</a>)</li>
	// </ul>
	// <p>Total: 2 issues.</p>
}

func ExampleParseTemplate() {
	tmpl, err := templates.ParseTemplate("notes.tmpl",
		"{{ range .Sections }}{{ range .Issues }}* {{ md .Title }} ({{ .Ref }}, {{ date \"2006-01-02\" .ClosedAt }})\n{{ end }}{{ end }}"+
			"{{ count .Count \"issue\" }}\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := templates.Render(os.Stdout, exampleChangelog(), templates.Options{Template: tmpl, Sort: templates.SortNumber}); err != nil {
		fmt.Println(err)
	}
	_, err = templates.ParseTemplate("notes.tmpl", "line 1\n{{ .Title }")
	fmt.Println(err)
	// Output:
	// * Faster backups (#9001, 2024-05-01)
	// * Fix \*all\* the \<bugs> for @​alice (#9012, 2024-05-01)
	// 2 issues
	// template notes.tmpl:2: unexpected "}" in operand
}

func ExampleGroupIssues() {
	groups := templates.GroupIssues(exampleChangelog(), templates.Options{
		Sections: []templates.Section{{Title: "Enhancements", Labels: []string{"t: ENHANCEMENT"}}},
		CatchAll: "Fixes",
	})
	for _, g := range groups {
		fmt.Println(g.Title, len(g.Issues), g.Issues[0].Number)
	}
	// Output:
	// Enhancements 1 9001
	// Fixes 1 9012
}

// GitHub's release.yml rule: what no section takes is left out, and
// LeftOut counts it.
func ExampleLeftOut() {
	opt := templates.Options{
		Sections:          []templates.Section{{Title: "Enhancements", Labels: []string{"t: ENHANCEMENT"}}},
		LeaveOutUnmatched: true,
	}
	for _, g := range templates.GroupIssues(exampleChangelog(), opt) {
		fmt.Println(g.Title, len(g.Issues))
	}
	fmt.Println("left out:", templates.LeftOut(exampleChangelog(), opt))
	// Output:
	// Enhancements 1
	// left out: 1
}
