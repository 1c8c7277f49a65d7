package main

import (
	"bufio"
	"flag"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/templates"
)

var (
	benchInput  = flag.String("bench-input", "", "TestWriteBenchInput: write a relnotes JSON input for notes --input to this file")
	benchIssues = flag.Int("bench-issues", 500000, "TestWriteBenchInput: how many issues")
)

// TestWriteBenchInput writes, with -bench-input FILE, what `relnotes notes
// --format json` prints for -bench-issues completed issues of example/tracker
// closed over 2023 and 2024 (internal/ghemu's generator, fixed seed, so the
// file is the same on every machine). It is the input of the memory
// figures in BENCHMARKS.md; without the flag it does nothing.
func TestWriteBenchInput(t *testing.T) {
	if *benchInput == "" {
		t.Skip("pass -bench-input FILE to write the input")
	}
	writeBenchInput(t, *benchInput, *benchIssues)
}

func writeBenchInput(t testing.TB, path string, n int) {
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	gen := ghemu.Generate(2024, ghemu.GenOptions{Issues: n, Completed: n, CompletedFrom: from, CompletedTo: to})
	issues := make([]changelog.Issue, len(gen))
	for i, g := range gen {
		issues[i] = changelog.Issue{
			Repository: g.Repo, Number: g.Number, Title: g.Title,
			URL:    "https://github.com/" + g.Repo + "/issues/" + strconv.Itoa(g.Number),
			Labels: append([]string{}, g.Labels...), Type: g.Type, Milestone: g.Milestone,
			Author: g.Author, AuthorIsBot: g.AuthorIsBot, IsPR: g.IsPR,
			CreatedAt: g.CreatedAt, ClosedAt: g.ClosedAt, StateReason: g.StateReason,
		}
	}
	q, err := filters.Parse("repo:example/tracker is:issue is:closed reason:completed closed:2023-01-01..2024-12-31")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := changelog.New(q, "https://github.com", filters.EncodingPlus, issues, to)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := templates.Render(w, cl, templates.Options{Format: templates.FormatJSON}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d issues (%d match the query)", path, len(gen), cl.Total)
}
