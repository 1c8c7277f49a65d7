package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func trackerLink(window string) string {
	return "https://github.com/acme/tracker/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A" + strings.ReplaceAll(window, ":", "%3A")
}

func TestCheck(t *testing.T) {
	w := newReleaseWorld(t)
	rel := []string{"--release", "v1.3.0", "--releases-repo", "acme/app"}
	// Day convention: v1.3.0 (2024-09-09) lists 2024-07-13 (v1.2.0's day) through 2024-09-08.
	overlap := w.closedIn(day("2024-03-26"), day("2024-07-13"))
	gap := w.closedIn(day("2024-09-02"), day("2024-09-09"))
	if overlap == 0 || gap == 0 {
		t.Fatalf("the world has no issues in the overlap (%d) or the gap (%d)", overlap, gap)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  []string // lines stdout must contain
	}{
		{"correct day link", append([]string{"check", trackerLink("2024-07-13..2024-09-08")}, rel...), 0,
			[]string{"ok: closed:2024-07-13..2024-09-08 has no overlap and no gap"}},
		{"correct instant link", append([]string{"check", trackerLink("2024-07-13T10:00:01Z..2024-09-09T12:00:00Z")}, rel...), 0,
			[]string{"ok: "}},
		{"start from the release before the previous", append([]string{"check", trackerLink("2024-03-26..2024-09-08")}, rel...), exitFindings,
			[]string{fmt.Sprintf("overlap: starts 2024-03-26 but the previous stable release v1.2.0 was published 2024-07-13: 109 days overlap, %d issues listed twice", overlap),
				"expected: closed:2024-07-13..2024-09-08"}},
		{"end days before the release", append([]string{"check", trackerLink("2024-07-13..2024-09-01")}, rel...), exitFindings,
			[]string{fmt.Sprintf("gap: ends 2024-09-01 but v1.3.0 was published 2024-09-09, so its list ends 2024-09-08: 7 days gap, %d issues in no announcement", gap)}},
		{"previous link only", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--previous-link", trackerLink("2024-03-26..2024-07-20")}, exitFindings,
			[]string{"overlap: starts 2024-07-13 but the previous announcement's link ends 2024-07-20: 8 days overlap"}},
		{"days only", append([]string{"check", trackerLink("2024-03-26..2024-09-08"), "--no-count"}, rel...), exitFindings,
			[]string{"overlap: starts 2024-03-26 but the previous stable release v1.2.0 was published 2024-07-13: 109 days overlap\n"}},
		{"previous link on another repository", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--previous-link",
			"https://github.com/acme/other/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-07-12"}, exitFindings,
			[]string{"difference: repositories differ: this link has repo:acme/tracker, the previous link has repo:acme/other\n"}},
		{"previous link lists pull requests", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--previous-link",
			"https://github.com/acme/tracker/issues?q=is%3Apr+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-07-12"}, exitFindings,
			[]string{"difference: kinds differ: this link has is:issue, the previous link has is:pr\n"}},
		{"previous link excludes other labels and any reason", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--previous-link",
			"https://github.com/acme/tracker/issues?q=is%3Aissue+is%3Aclosed+closed%3A2024-03-26..2024-07-12+-label%3Awontfix"}, exitFindings,
			[]string{"difference: close reasons differ: only this link has reason:completed\n",
				"difference: label exclusions differ: only the previous link has -label:wontfix\n"}},
		{"previous link with no end", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--previous-link", trackerLink("2024-03-26..*")}, exitFindings,
			[]string{"overlap: the previous announcement's link has no end"}},
		{"link with no end", []string{"check", trackerLink("2024-07-13..*"), "--previous-link", trackerLink("2024-03-26..2024-07-12")}, exitFindings,
			[]string{"open-ended: the link's window has no end"}},
		{"nothing to compare with", []string{"check", trackerLink("2024-07-13..2024-09-08")}, exitUsage, nil},
		{"no window", append([]string{"check", "https://github.com/acme/tracker/issues?q=is%3Aissue"}, rel...), exitUsage, nil},
		{"unknown release", []string{"check", trackerLink("2024-07-13..2024-09-08"), "--release", "v9.0.0", "--releases-repo", "acme/app"}, exitUsage, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, w.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, want := range tt.out {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			if strings.Contains(r.stdout+r.stderr, "secret-token") {
				t.Error("the token appeared in the output")
			}
		})
	}
}

func TestCheckReleasesFile(t *testing.T) {
	w := newReleaseWorld(t)
	f := filepath.Join(t.TempDir(), "releases.csv")
	if err := os.WriteFile(f, []byte("# version,date\n4.2.1,2024-03-26\n4.2.2,2024-07-13\n4.2.3-rc1,2024-08-20\n4.2.3,2024-09-09\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, w.env, "check", trackerLink("2024-03-26..2024-09-09"), "--release", "4.2.3", "--releases-file", f, "--no-count")
	if r.code != exitFindings || !strings.Contains(r.stdout, "starts 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13: 109 days overlap") ||
		!strings.Contains(r.stdout, "ends 2024-09-09 but 4.2.3 was published 2024-09-09, so its list ends 2024-09-08: 1 day overlap") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "Whole UTC days") {
		t.Errorf("the day convention is stated without --verbose: %s", r.stderr)
	}
	args := []string{"check", trackerLink("2024-03-26..2024-09-09"), "--release", "4.2.3", "--releases-file", f, "--no-count", "--verbose"}
	if r := runCLI(t, w.env, args...); strings.Count(r.stderr, "Whole UTC days") != 1 {
		t.Errorf("the day convention is not stated once with --verbose: %s", r.stderr)
	}
	if r := runCLI(t, w.env, append(args, "--quiet")...); strings.Contains(r.stderr, "Whole UTC days") {
		t.Errorf("the day convention is stated with --quiet: %s", r.stderr)
	}
}

// TestCheckAgainstConfiguration: the link must ask for what the project's
// configuration asks, such as its label exclusions; each part that differs
// is a finding (exit 3), and a link that matches is ok.
func TestCheckAgainstConfiguration(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".relnotes.yml"), "repos: [acme/tracker]\nexclude-labels: [\"R: duplicate\", \"R: declined\"]\n")
	prev := trackerLink("2024-03-26..2024-07-12") + "+-label%3A%22R%3A+duplicate%22+-label%3A%22R%3A+declined%22"
	tests := []struct {
		name, link string
		code       int
		out        []string
	}{
		{"as configured", trackerLink("2024-07-13..2024-09-08") + "+-label%3A%22R%3A+declined%22+-label%3A%22R%3A+duplicate%22", 0,
			[]string{"ok: closed:2024-07-13..2024-09-08"}},
		{"an exclusion missing", trackerLink("2024-07-13..2024-09-08") + "+-label%3A%22R%3A+duplicate%22", exitFindings,
			[]string{`difference: label exclusions differ: only the configuration .relnotes.yml has -label:"R: declined"`}},
		{"another repository and reason", "https://github.com/acme/other/issues?q=is%3Aissue+is%3Aclosed+closed%3A2024-07-13..2024-09-08+-label%3A%22R%3A+duplicate%22+-label%3A%22R%3A+declined%22", exitFindings,
			[]string{"difference: repositories differ: this link has repo:acme/other, the configuration .relnotes.yml has repo:acme/tracker",
				"difference: close reasons differ: only the configuration .relnotes.yml has reason:completed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runIn(t, dir, "check", tt.link, "--previous-link", prev, "--no-count")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, want := range tt.out {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
		})
	}
}
