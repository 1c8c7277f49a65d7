package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// releaseWorld is an emulated project whose issues live in acme/tracker and
// whose releases live in acme/app, as in the Qubes OS layout.
type releaseWorld struct {
	srv    *ghemu.Server
	env    map[string]string
	issues []ghemu.Issue
}

var (
	relV100 = time.Date(2024, 1, 10, 10, 0, 0, 0, time.UTC)
	relV110 = time.Date(2024, 3, 26, 10, 0, 0, 0, time.UTC)
	relV120 = time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)
	relV130 = time.Date(2024, 9, 9, 12, 0, 0, 0, time.UTC)
)

func newReleaseWorld(t *testing.T) *releaseWorld {
	t.Helper()
	var issues []ghemu.Issue
	start := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 120; i++ {
		closed := start.Add(time.Duration(i) * 67 * time.Hour) // about every 3 days, into October 2024
		issues = append(issues, ghemu.Issue{
			Repo: "acme/tracker", Number: i, Title: fmt.Sprintf("Issue %d", i), Author: "dev",
			State: "closed", StateReason: "completed", CreatedAt: closed.Add(-48 * time.Hour), UpdatedAt: closed, ClosedAt: closed,
		})
	}
	s := ghemutest.Start(t, ghemu.Config{Issues: issues, Token: "secret-token"})
	for _, r := range []struct {
		tag  string
		at   time.Time
		body string
	}{
		{"v1.0.0", relV100, "First."},
		{"v1.1.0", relV110, "Second.\r\n"},
		{"v1.2.0", relV120, "## Highlights\n\nFaster.\n"},
		{"v1.3.0", relV130, "Intro text  \r\nwith CRLF and trailing spaces.  "},
	} {
		s.AddRelease("acme", "app", ghemu.Release{Tag: r.tag, Name: r.tag, Body: r.body, PublishedAt: r.at})
		s.AddTag("acme", "app", ghemu.Tag{Name: r.tag, CommitDate: r.at.Add(-time.Hour)})
	}
	return &releaseWorld{srv: s, issues: issues, env: map[string]string{
		"GITHUB_API_URL": s.URL(),
		"GITHUB_TOKEN":   "secret-token",
	}}
}

// closedIn counts the world's issues closed in [from, to).
func (w *releaseWorld) closedIn(from, to time.Time) int {
	n := 0
	for _, is := range w.issues {
		if !is.ClosedAt.Before(from) && is.ClosedAt.Before(to) {
			n++
		}
	}
	return n
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func releaseFromBody(tag, body string) ghemu.Release {
	return ghemu.Release{Tag: tag, Body: body, PublishedAt: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)}
}
