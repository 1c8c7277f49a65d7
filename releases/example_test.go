package releases_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/releases"
)

func ExamplePlan() {
	file := "# version,date\n4.2.1,2024-03-26\n4.2.2,2024-07-13T10:00:00Z\n4.2.3-rc1,2024-08-20\n4.2.3,2024-09-09T12:00:00Z\n"
	rels, _ := releases.ParseFile(strings.NewReader(file), "qubes.csv")
	src := staticSource(rels)
	for _, g := range []filters.Granularity{filters.GranularityInstant, filters.GranularityDay} {
		span, _ := releases.Plan(context.Background(), src, releases.Options{Release: "4.2.3", Granularity: g})
		fmt.Printf("closed:%s\n", span.Window)
	}
	rc, _ := releases.Plan(context.Background(), src, releases.Options{Release: "4.2.3-rc1", Granularity: filters.GranularityDay})
	fmt.Printf("rc1 closed:%s (after %s)\n", rc.Window, rc.Previous.Tag)
	// Output:
	// closed:2024-07-13T10:00:01Z..2024-09-09T12:00:00Z
	// closed:2024-07-13..2024-09-08
	// rc1 closed:2024-07-13..2024-08-19 (after 4.2.2)
}

type staticSource []releases.Release

func (s staticSource) Releases(context.Context) ([]releases.Release, error) { return s, nil }

func ExampleSplice() {
	body := "Download the ISO.\r\n"
	once, changed, _ := releases.Splice(body, "- #1 Fix boot\n")
	twice, changedAgain, _ := releases.Splice(once, "- #1 Fix boot\n")
	fmt.Printf("%q %v\n", once, changed)
	fmt.Println(twice == once, changedAgain)
	// Output:
	// "Download the ISO.\r\n\n<!-- relnotes:start -->\n- #1 Fix boot\n<!-- relnotes:end -->\n" true
	// true false
}

func ExampleCompare() {
	prev := releases.Release{Tag: "4.2.2", Time: time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)}
	cur := releases.Release{Tag: "4.2.3", Time: time.Date(2024, 9, 9, 12, 0, 0, 0, time.UTC)}
	want := releases.Span{Release: cur, Previous: &prev, Window: filters.ReleaseWindow(prev.Time, cur.Time, filters.GranularityDay)}
	link := filters.ReleaseWindow(time.Date(2024, 3, 26, 0, 0, 0, 0, time.UTC), cur.Time, filters.GranularityDay) // copied from 4.2.1
	for _, f := range releases.Compare(link, &want, nil).Findings {
		fmt.Println(f)
	}
	// Output:
	// starts 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13: 109 days overlap
}

func ExampleEmptyWindowError() {
	// A hotfix published the same UTC day as the release it fixes.
	file := "4.2.2,2024-07-13T10:00:00Z\n4.2.3,2024-09-09T08:00:00Z\n4.2.4,2024-09-09T17:00:00Z\n"
	rels, _ := releases.ParseFile(strings.NewReader(file), "releases.csv")
	_, err := releases.Plan(context.Background(), staticSource(rels), releases.Options{Release: "4.2.4", Granularity: filters.GranularityDay})
	var empty *releases.EmptyWindowError
	fmt.Println(errors.As(err, &empty), err)
	span, _ := releases.Plan(context.Background(), staticSource(rels), releases.Options{Release: "4.2.4", Granularity: filters.GranularityInstant})
	fmt.Printf("closed:%s\n", span.Window)
	// Output:
	// true 4.2.4 was published on the same UTC day as 4.2.3 (2024-09-09), so its whole-day window closed:2024-09-09..2024-09-08 ends before it starts
	// closed:2024-09-09T08:00:01Z..2024-09-09T17:00:00Z
}
