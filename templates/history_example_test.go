package templates_test

import (
	"fmt"
	"os"
	"time"

	"github.com/relnotes/relnotes/templates"
)

func ExampleRenderSection() {
	sec := templates.HistorySection{
		Title: "v4.2.3 (2024-09-09)", Tag: "v4.2.3", Kind: "main-line",
		Published: time.Date(2024, 9, 9, 12, 0, 0, 0, time.UTC), Changelog: exampleChangelog(),
	}
	opt := templates.Options{Announcement: templates.Announcement{Sentence: "See the {link}.", LinkText: "full list of issues"}}
	if err := templates.RenderSection(os.Stdout, sec, opt); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ## v4.2.3 (2024-09-09)
	//
	// See the [full list of issues](https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed).
	//
	// - Fix \*all\* the \<bugs> for @​alice ([#9012](https://github.com/QubesOS/qubes-issues/issues/9012))
	// - Faster backups ([#9001](https://github.com/QubesOS/qubes-issues/issues/9001))
	//
	// Total: 2 issues.
}
