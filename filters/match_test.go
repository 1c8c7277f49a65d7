package filters

import (
	"strings"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	seed := seedQuery()
	at := func(s string) time.Time { return mustTime(s) }
	good := Issue{Repo: "QubesOS/qubes-issues", Number: 9000, State: "closed", StateReason: "completed",
		Labels: []string{"T: bug", "C: gui"}, Author: "marmarek", CreatedAt: at("2024-01-01T00:00:00Z"),
		ClosedAt: at("2024-05-01T12:00:00Z")}
	with := func(f func(*Issue)) Issue {
		is := good
		is.Labels = append([]string(nil), good.Labels...)
		f(&is)
		return is
	}
	tests := []struct {
		name string
		q    Query
		is   Issue
		why  string // "" for a match
	}{
		{"seed", seed, good, ""},
		{"null reason counts as completed", seed, with(func(i *Issue) { i.StateReason = "" }), ""},
		{"repo case-insensitive", seed, with(func(i *Issue) { i.Repo = "qubesos/QUBES-issues" }), ""},
		{"other repo", seed, with(func(i *Issue) { i.Repo = "QubesOS/qubes-core-admin" }), "repository QubesOS/qubes-core-admin is not one the query names"},
		{"pr", seed, with(func(i *Issue) { i.IsPR = true }), "a pull request, and the query asks for issues"},
		{"open", seed, with(func(i *Issue) { i.State = "open"; i.StateReason = "reopened" }), "issue is open, not closed"},
		{"not planned", seed, with(func(i *Issue) { i.StateReason = "not_planned" }), "closed as not_planned, not completed"},
		{"duplicate", seed, with(func(i *Issue) { i.StateReason = "duplicate" }), "closed as duplicate, not completed"},
		{"excluded label", seed, with(func(i *Issue) { i.Labels = append(i.Labels, "r: DUPLICATE") }), `label "R: duplicate" is excluded`},
		{"first second of window", seed, with(func(i *Issue) { i.ClosedAt = at("2024-03-26T00:00:00Z") }), ""},
		{"before window", seed, with(func(i *Issue) { i.ClosedAt = at("2024-03-25T23:59:59Z") }),
			"closed 2024-03-25T23:59:59Z, before the window's start 2024-03-26 (whole UTC day)"},
		{"last second of window", seed, with(func(i *Issue) { i.ClosedAt = at("2024-09-09T23:59:59Z") }), ""},
		{"after window", seed, with(func(i *Issue) { i.ClosedAt = at("2024-09-10T00:00:01Z") }),
			"closed 2024-09-10T00:00:01Z, after the window's end 2024-09-09 (whole UTC day)"},
		{"offset converted to UTC", seed, with(func(i *Issue) { i.ClosedAt = at("2024-09-10T01:00:00+02:00") }), ""},
		{"closed window, open issue", Query{Closed: seed.Closed}, with(func(i *Issue) { i.State = "open" }), "issue is open, and the query asks for a close time"},
		{"closed window, no time", Query{Closed: seed.Closed}, with(func(i *Issue) { i.ClosedAt = time.Time{} }), "close time unknown"},
		{"instant window end", Query{Closed: Window{To: instant("2024-05-01T11:59:59Z")}}, good,
			"closed 2024-05-01T12:00:00Z, after the window's end 2024-05-01T11:59:59Z"},
		{"created", Query{Created: Window{From: day("2024-02-01")}}, good, "created 2024-01-01T00:00:00Z, before the window's start 2024-02-01 (whole UTC day)"},
		{"reason not planned", Query{Reason: ReasonNotPlanned}, with(func(i *Issue) { i.StateReason = "not_planned" }), ""},
		{"reason not planned vs null", Query{Reason: ReasonNotPlanned}, with(func(i *Issue) { i.StateReason = "" }), "closed as completed (no reason recorded), not as not planned"},
		{"reason on open issue", Query{Reason: ReasonCompleted}, with(func(i *Issue) { i.State = "open"; i.StateReason = "" }), "issue is open, so it has no close reason"},
		{"open state", Query{State: StateOpen}, good, "issue is closed, not open"},
		{"kind pr", Query{Kind: KindPR}, good, "an issue, and the query asks for pull requests"},
		{"labels OR", Query{Labels: [][]string{{"T: enhancement", "t: BUG"}}}, good, ""},
		{"labels AND", Query{Labels: [][]string{{"T: bug"}, {"C: core"}}}, good, `not labelled "C: core"`},
		// Names compare as GitHub's index does, lower-cased letter by letter;
		// case folding would also equate ς with σ and ſ with s.
		{"label lower-cased", Query{Labels: [][]string{{"ΛΆΘΟΣ"}}}, with(func(i *Issue) { i.Labels = []string{"λάθοσ"} }), ""},
		{"label not folded", Query{Labels: [][]string{{"ΛΆΘΟΣ"}}}, with(func(i *Issue) { i.Labels = []string{"λάθος"} }), `not labelled "ΛΆΘΟΣ"`},
		{"long s is not s", Query{Labels: [][]string{{"security"}}}, with(func(i *Issue) { i.Labels = []string{"ſecurity"} }), `not labelled "security"`},
		{"type", Query{Type: "bug"}, with(func(i *Issue) { i.Type = "Bug" }), ""},
		{"type differs", Query{Type: "Bug"}, with(func(i *Issue) { i.Type = "Task" }), `issue type is "Task", not "Bug"`},
		{"milestone", Query{Milestone: "Release 4.2.3"}, with(func(i *Issue) { i.Milestone = "release 4.2.3" }), ""},
		{"no milestone", Query{Milestone: "Release 4.2.3"}, good, `in no milestone, not "Release 4.2.3"`},
		{"author any of", Query{Authors: []string{"andrewdavidwong", "MARMAREK"}}, good, ""},
		{"author differs", Query{Authors: []string{"andrewdavidwong"}}, good, "opened by marmarek, not by andrewdavidwong"},
		{"author app", Query{Authors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "dependabot[bot]"; i.AuthorIsBot = true }), ""},
		// The REST API may give an app's login as NAME with type Bot
		// (AuthorIsBot): app/NAME names it, a plain NAME does not.
		{"author app, bot flag", Query{Authors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "dependabot"; i.AuthorIsBot = true }), ""},
		{"author login is not the app", Query{Authors: []string{"dependabot"}}, with(func(i *Issue) { i.Author = "dependabot"; i.AuthorIsBot = true }),
			"opened by dependabot[bot], not by dependabot"},
		{"author app is not the login", Query{Authors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "dependabot" }),
			"opened by dependabot, not by app/dependabot"},
		{"excluded app, bot flag", Query{ExcludeAuthors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "dependabot"; i.AuthorIsBot = true }), "author app/dependabot is excluded"},
		{"excluded login keeps the app", Query{ExcludeAuthors: []string{"dependabot"}}, with(func(i *Issue) { i.Author = "dependabot"; i.AuthorIsBot = true }), ""},
		{"author @me ignored", Query{Authors: []string{"@me"}}, good, ""},
		{"excluded app", Query{ExcludeAuthors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "Dependabot[bot]" }), "author app/dependabot is excluded"},
		{"excluded login is not the app", Query{ExcludeAuthors: []string{"app/dependabot"}}, with(func(i *Issue) { i.Author = "dependabot" }), ""},
		{"linked unknown", Query{LinkedPR: ptr(true)}, good, ""},
		{"linked yes", Query{LinkedPR: ptr(true)}, with(func(i *Issue) { i.LinkedPR = ptr(true) }), ""},
		{"linked no", Query{LinkedPR: ptr(true)}, with(func(i *Issue) { i.LinkedPR = ptr(false) }), "not linked to a pull request"},
		{"not linked", Query{LinkedPR: ptr(false)}, with(func(i *Issue) { i.LinkedPR = ptr(true) }), "linked to a pull request"},
		{"org", Query{Orgs: []string{"qubesos"}}, good, ""},
		{"repo or org", Query{Repos: []string{"a/b"}, Orgs: []string{"QubesOS"}}, good, ""},
		{"other org", Query{Orgs: []string{"fedora"}}, good, "repository QubesOS/qubes-issues is not one the query names"},
		{"keywords ignored", Query{Other: []string{"crash", "in:title"}}, good, ""},
	}
	for _, tt := range tests {
		ok, why := tt.q.Match(tt.is)
		if ok != (tt.why == "") || why != tt.why {
			t.Errorf("%s: Match = %v, %q; want %v, %q", tt.name, ok, why, tt.why == "", tt.why)
		}
	}
}

func TestUnmatchable(t *testing.T) {
	q, err := Parse("is:issue author:@me -author:@me crash in:title label:bug -linked:pr")
	if err != nil {
		t.Fatal(err)
	}
	got := q.Unmatchable()
	want := []string{"-linked:pr", "author:@me", "-author:@me", "crash", "in:title"}
	if len(got) != len(want) {
		t.Fatalf("Unmatchable() = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Unmatchable() = %q, want %q", got, want)
		}
	}
	if got := seedQuery().Unmatchable(); got != nil {
		t.Errorf("seed Unmatchable() = %q, want nil", got)
	}
}

// TestSameAuthor: the one rule for authors. app/NAME and NAME[bot] name the
// app NAME however its login is written (REST NAME[bot], gh app/NAME, or
// NAME with the bot flag); a plain NAME names only the account NAME, as in
// GitHub's search.
func TestSameAuthor(t *testing.T) {
	tests := []struct {
		name, login string
		bot         bool
		want        bool
	}{
		{"app/dependabot", "dependabot[bot]", true, true},
		{"app/dependabot", "app/dependabot", true, true},
		{"app/dependabot", "dependabot", true, true},
		{"APP/Dependabot", "dependabot[bot]", true, true},
		{"dependabot[bot]", "app/dependabot", true, true},
		{"Dependabot[BOT]", "dependabot[bot]", true, true},
		{"dependabot", "dependabot[bot]", true, false},
		{"dependabot", "app/dependabot", true, false},
		{"dependabot", "dependabot", false, true},
		{"app/dependabot", "dependabot", false, false},
		{"alice", "ALICE", false, true},
		{"app/", "app/", true, true},
		{"ſam", "sam", false, false},
	}
	for _, tt := range tests {
		if got := SameAuthor(tt.name, tt.login, tt.bot); got != tt.want {
			t.Errorf("SameAuthor(%q, %q, %v) = %v, want %v", tt.name, tt.login, tt.bot, got, tt.want)
		}
	}
	for login, want := range map[string]string{"app/dependabot": "dependabot[bot]", "dependabot[bot]": "dependabot[bot]", "app/": "app/", "alice": "alice"} {
		if got := BotLogin(login, login != "alice"); got != want {
			t.Errorf("BotLogin(%q) = %q, want %q", login, got, want)
		}
	}
}

// FuzzSameName: SameName is lower-casing both names and comparing, without
// the two new strings.
func FuzzSameName(f *testing.F) {
	for _, s := range [][2]string{{"Bug", "bug"}, {"ſ", "s"}, {"ς", "σ"}, {"İ", "i̇"}, {"\xff", "\xfe"}, {"K", "k"}, {"", "a"}, {"R: Duplicate", "r: duplicate"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		//lint:ignore SA6005 the definition SameName must equal is lower-casing, not EqualFold
		if got, want := SameName(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
			t.Fatalf("SameName(%q, %q) = %v, lower-casing says %v", a, b, got, want)
		}
	})
}
