package releases_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/relnotes/relnotes/releases"
)

func ExamplePlanHistory() {
	file := "4.1.0,2024-01-10T10:00:00Z\n4.2.0-rc1,2024-02-20T10:00:00Z\n4.2.0,2024-03-01T10:00:00Z\n" +
		"4.1.1,2024-03-05T10:00:00Z\n4.2.1,2024-04-01T10:00:00Z\n"
	rels, _ := releases.ParseFile(strings.NewReader(file), "releases.csv")
	h, _ := releases.PlanHistory(context.Background(), staticSource(rels), releases.HistoryOptions{
		Unreleased: true,
		Now:        func() time.Time { return time.Date(2024, 4, 20, 12, 0, 0, 0, time.UTC) },
	})
	for _, s := range h.Sections {
		tag := s.Release.Tag
		if s.Kind == releases.KindUnreleased {
			tag = "Unreleased"
		}
		fmt.Printf("%-10s %-10s closed:%s\n", tag, s.Kind, s.Window)
	}
	fmt.Println("one search: closed:" + h.Span.String())
	// Output:
	// Unreleased unreleased closed:2024-04-01T10:00:01Z..2024-04-20T12:00:00Z
	// 4.2.1      main-line  closed:2024-03-01T10:00:01Z..2024-04-01T10:00:00Z
	// 4.1.1      hotfix     closed:2024-01-10T10:00:01Z..2024-03-05T10:00:00Z
	// 4.2.0      main-line  closed:2024-01-10T10:00:01Z..2024-03-01T10:00:00Z
	// 4.1.0      main-line  closed:<=2024-01-10T10:00:00Z
	// one search: closed:<=2024-04-20T12:00:00Z
}

func ExampleChangelogFile_Update() {
	old := "# Changelog\n\n" +
		"<!-- relnotes:section v1.0.0 -->\n## v1.0.0\n<!-- relnotes:section-end v1.0.0 -->\n\nOlder releases: see the wiki.\n"
	f, _ := releases.ParseChangelogFile(old)
	_ = f.Update([]releases.NewSection{{Unreleased: true, Body: "## Unreleased\n"}, {Tag: "v1.1.0", Body: "## v1.1.0\n"}})
	fmt.Print(f.String())
	// Output:
	// # Changelog
	//
	// <!-- relnotes:unreleased -->
	// ## Unreleased
	// <!-- relnotes:unreleased-end -->
	//
	// <!-- relnotes:section v1.1.0 -->
	// ## v1.1.0
	// <!-- relnotes:section-end v1.1.0 -->
	//
	// <!-- relnotes:section v1.0.0 -->
	// ## v1.0.0
	// <!-- relnotes:section-end v1.0.0 -->
	//
	// Older releases: see the wiki.
}
