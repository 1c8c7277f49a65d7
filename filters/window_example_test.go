package filters_test

import (
	"fmt"
	"time"

	"github.com/relnotes/relnotes/filters"
)

func ExampleReleaseWindow() {
	prev := time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)
	cur := time.Date(2024, 9, 9, 12, 0, 0, 0, time.UTC)
	fmt.Println(filters.ReleaseWindow(prev, cur, filters.GranularityInstant))
	fmt.Println(filters.ReleaseWindow(prev, cur, filters.GranularityDay))
	fmt.Println(filters.ReleaseWindow(time.Time{}, cur, filters.GranularityDay))

	// A hotfix published later on the same UTC day has no whole day of its own.
	hotfix := cur.Add(3 * time.Hour)
	w := filters.ReleaseWindow(cur, hotfix, filters.GranularityDay)
	fmt.Println(w.Empty(), w.Validate())
	fmt.Println(filters.ReleaseWindow(cur, hotfix, filters.GranularityInstant))
	// Output:
	// 2024-07-13T10:00:01Z..2024-09-09T12:00:00Z
	// 2024-07-13..2024-09-08
	// <=2024-09-08
	// true window 2024-09-09..2024-09-08 starts after it ends: swap the dates
	// 2024-09-09T12:00:01Z..2024-09-09T15:00:00Z
}

func ExampleHalfOpen() {
	w, _ := filters.ParseWindow("2024-03-26..2024-09-09")
	fmt.Println(w.Start(), w.End())
	fmt.Println(filters.HalfOpen(w.Start(), w.End()))
	// Output:
	// 2024-03-26 00:00:00 +0000 UTC 2024-09-10 00:00:00 +0000 UTC
	// 2024-03-26T00:00:00Z..2024-09-09T23:59:59Z
}

func ExampleWindow_StartsBefore() {
	link, _ := filters.ParseWindow("2024-03-26..2024-09-09")
	want, _ := filters.ParseWindow("2024-07-13..2024-09-08")
	fmt.Println(link.StartsBefore(want), link.EndsAfter(want))
	// Output:
	// true true
}

func ExampleGranularity_Bound() {
	published := time.Date(2024, 9, 9, 23, 30, 0, 0, time.FixedZone("UTC-2", -2*3600))
	fmt.Println(filters.GranularityDay.Bound(published), filters.GranularityInstant.Bound(published))
	// Output:
	// 2024-09-10 2024-09-10T01:30:00Z
}
