package templates

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/relnotes/relnotes/changelog"
)

const benchIssues = 100_000

// benchChangelog has n issues with titles shaped like real ones: mostly
// words, some punctuation, code, paths, mentions and the odd hostile title.
func benchChangelog(n int) *changelog.Changelog {
	shapes := []string{
		"Fix the updater when dom0 is offline",
		"qvm-backup: restore fails for VMs with `:` in their name (#%d)",
		"Add support for Fedora 40 templates",
		"Crash in qubesd when a disposable VM is killed during startup",
		"Document the new `qvm-prefs` options for audiovm, guivm & keyboard-layout",
		"Thanks @someone for the fix to https://example.org/path?x=1",
		"<script>alert(1)</script> **bold** [link](javascript:x)",
		"Update translations",
	}
	labels := [][]string{{"T: bug"}, {"T: enhancement", "C: core"}, {"T: task"}, nil}
	t0 := time.Date(2024, 3, 26, 0, 0, 0, 0, time.UTC)
	cl := &changelog.Changelog{
		URL:          "https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed",
		Repositories: []string{"QubesOS/qubes-issues"},
		Issues:       make([]changelog.Issue, n),
	}
	for i := range cl.Issues {
		num := 10000 + i
		cl.Issues[i] = changelog.Issue{
			Repository: "QubesOS/qubes-issues", Number: num,
			Title:    fmt.Sprintf(shapes[i%len(shapes)], i),
			URL:      "https://github.com/QubesOS/qubes-issues/issues/" + strconv.Itoa(num),
			Labels:   labels[i%len(labels)],
			Author:   "user" + strconv.Itoa(i%97),
			ClosedAt: t0.Add(time.Duration(i) * time.Minute),
		}
	}
	return cl
}

func benchOptions(format string) Options {
	return Options{
		Format: format,
		Sections: []Section{
			{Title: "Bug fixes", Labels: []string{"T: bug"}},
			{Title: "Enhancements", Labels: []string{"T: enhancement"}},
		},
	}
}

// measure runs f and returns its wall time and heap allocations. It
// collects garbage first so no phase pays for the previous one's.
func measure(f func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return d, after.Mallocs - before.Mallocs
}

// BenchmarkRender100k renders 100 000 issues to Markdown and to HTML and,
// in the same run, times goldmark alone converting the same Markdown (the
// baseline). It reports per-issue time and allocations of each, and the
// overhead ratio: (relnotes HTML time - goldmark time) / goldmark time,
// and the Markdown time over goldmark's. Times are the fastest of the b.N
// iterations: on a shared machine the minimum is the stable estimate.
// The target is an overhead of at most 0.5. The html format writes the
// issue lines itself and converts only the announcement with goldmark, so
// its overhead is negative: HTML costs a fraction of goldmark alone.
func BenchmarkRender100k(b *testing.B) {
	cl := benchChangelog(benchIssues)
	var src bytes.Buffer
	if err := Render(&src, cl, benchOptions(FormatMarkdown)); err != nil {
		b.Fatal(err)
	}
	md := newMarkdown()
	tMD, tHTML, tGM := time.Duration(1<<62), time.Duration(1<<62), time.Duration(1<<62)
	var aMD, aHTML, aGM uint64
	b.ResetTimer()
	for range b.N {
		d, a := measure(func() {
			if err := Render(io.Discard, cl, benchOptions(FormatMarkdown)); err != nil {
				b.Fatal(err)
			}
		})
		tMD, aMD = min(tMD, d), a
		d, a = measure(func() {
			if err := Render(io.Discard, cl, benchOptions(FormatHTML)); err != nil {
				b.Fatal(err)
			}
		})
		tHTML, aHTML = min(tHTML, d), a
		d, a = measure(func() {
			var out bytes.Buffer
			if err := md.Convert(src.Bytes(), &out); err != nil {
				b.Fatal(err)
			}
		})
		tGM, aGM = min(tGM, d), a
	}
	per := float64(benchIssues)
	b.ReportMetric(float64(tMD.Nanoseconds())/per, "md-ns/issue")
	b.ReportMetric(float64(aMD)/per, "md-allocs/issue")
	b.ReportMetric(float64(tHTML.Nanoseconds())/per, "html-ns/issue")
	b.ReportMetric(float64(aHTML)/per, "html-allocs/issue")
	b.ReportMetric(float64(tGM.Nanoseconds())/per, "goldmark-ns/issue")
	b.ReportMetric(float64(aGM)/per, "goldmark-allocs/issue")
	b.ReportMetric(float64(tHTML-tGM)/float64(tGM), "overhead/goldmark")
	b.ReportMetric(float64(tMD)/float64(tGM), "md/goldmark")
}
