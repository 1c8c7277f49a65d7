package changelog

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/relnotes/relnotes/filters"
)

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadIssues(t *testing.T) {
	tests := []struct {
		file string
		want []Issue
	}{
		{"gh-issue-list.json", []Issue{
			{Repository: "QubesOS/qubes-issues", Number: 9001, Title: "Fix *everything* <now>", URL: "https://github.com/QubesOS/qubes-issues/issues/9001",
				Labels: []string{"T: bug", "C: core"}, Milestone: "Release 4.2 updates", Author: "marmarek",
				CreatedAt: day("2024-01-05T08:00:00Z"), ClosedAt: day("2024-04-02T10:11:12Z"), StateReason: "completed"},
			{Repository: "QubesOS/qubes-issues", Number: 9002, Title: "Bump x", URL: "https://github.com/QubesOS/qubes-issues/issues/9002",
				Labels: []string{}, Author: "dependabot[bot]", AuthorIsBot: true,
				CreatedAt: day("2024-04-30T00:00:00Z"), ClosedAt: day("2024-05-01T00:00:00Z"), StateReason: "not_planned"},
		}},
		{"gh-search-issues.json", []Issue{
			{Repository: "QubesOS/qubes-issues", Number: 77, Title: "Docs: @someone #12", URL: "https://github.com/QubesOS/qubes-issues/issues/77",
				Labels: []string{"C: doc"}, Author: "andrewdavidwong",
				CreatedAt: day("2024-02-01T12:00:00Z"), ClosedAt: day("2024-06-01T12:00:00Z")},
		}},
		{"search-page.json", []Issue{
			{Repository: "o/r", Number: 1, Title: "First", URL: "https://github.com/o/r/issues/1", Labels: []string{"T: task"}, Type: "Task",
				Author: "renovate[bot]", AuthorIsBot: true, CreatedAt: day("2021-01-01T00:00:00Z"), ClosedAt: day("2021-02-01T00:00:00Z")},
			{Repository: "o/r", Number: 2, Title: "A PR", URL: "https://github.com/o/r/pull/2", Labels: []string{}, Author: "x", IsPR: true,
				CreatedAt: day("2024-01-01T00:00:00Z"), ClosedAt: day("2024-01-02T00:00:00Z"), StateReason: "completed"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "input", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ReadIssues(f, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadIssues mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadIssuesOwnJSON: relnotes' own JSON output reads back to the same
// issues, and several concatenated values (pages saved one after another)
// are all read.
func TestReadIssuesOwnJSON(t *testing.T) {
	want := []Issue{{Repository: "a/b", Number: 3, Title: "t", URL: "https://github.com/a/b/issues/3", Labels: []string{"x"},
		Author: "me", ClosedAt: day("2024-01-02T03:04:05Z"), CreatedAt: day("2023-01-02T03:04:05Z"), StateReason: "completed"}}
	b, err := json.Marshal(&Changelog{Query: "is:issue", Issues: want, Total: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadIssues(bytes.NewReader(append(append(b, '\n'), b...)), "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(want, want...), got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestReadIssuesErrors: every problem is one line with the line and column
// where it is (when it has a place) and the item it is in.
func TestReadIssuesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"hello": 1}`, `line 1, column 1: JSON value 1: not a format relnotes reads: want relnotes JSON ("issues"), a /search/issues page ("items"), or gh --json output (an array)`},
		{`[{"title": "no number"}]`, "line 1, column 2: JSON value 1, element 1: has no issue number"},
		{`[{"number": 4, "title": "where"}]`, "line 1, column 2: JSON value 1, element 1, issue #4: cannot tell its repository (no repository, repository_url or url field); query exactly one repository, or export with --json url"},
		{`{"total_count":1,"incomplete_results":true,"items":[]}`, "line 1, column 1: JSON value 1: this saved search page says incomplete_results: true; fetch it again"},
		{`{"items": [`, "line 1, column 12: JSON value 1: the JSON ends in the middle of a value; is the file cut short?"},
		{`42`, "line 1, column 1: JSON value 1: neither an object nor an array: want relnotes JSON, a /search/issues page, or gh --json output"},
		{"[\n  {\"number\": 1, \"url\": \"https://github.com/o/r/issues/1\"},\n  {\"number\": \"two\"}\n]", `line 3, column 14: JSON value 1, element 2: "number" is a JSON string; want a number`},
		{"[\n  {\"number\": 1,,}\n]", "line 2, column 16: JSON value 1: not valid JSON: invalid character ',' looking for beginning of object key string"},
		{"{\"items\": [{\"number\": 1, \"html_url\": \"https://github.com/o/r/issues/1\"},\n {\"number\": 2, \"labels\": 7}]}", `line 2, column 26: JSON value 1, item 2: "labels" is a JSON number; want a list`},
		{"[1]", "line 1, column 2: JSON value 1, element 1: is not an object"},
		{"{\"items\": 3}", "line 1, column 11: JSON value 1, items: is not a list"},
		// Regression: relnotes JSON was returned unchecked, so an issue
		// without number or repository got past ReadIssues.
		{`{"issues": [{"repository": "o/r", "number": 1}, {"title": "x"}]}`, "line 1, column 49: JSON value 1, issue 2: has no issue number"},
		{`{"issues": [{"number": 5}]}`, "line 1, column 13: JSON value 1, issue #5: has no repository"},
		// Encodings: PowerShell writes UTF-16 or UTF-8 with a mark.
		{"\xff\xfe[\x00]\x00", "the input is UTF-16 (little-endian) text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"},
		{"[\x00]\x00", "the input is UTF-16 (little-endian) text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"},
		{"\xfe\xff\x00[\x00]", "the input is UTF-16 (big-endian) text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"},
		{"\xff\xfe\x00\x00[\x00\x00\x00", "the input is UTF-32 text; save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"},
		{"[{\"é\": 1, \"number\": 1,\n \"title\": \"caf\xe9\"}]", "line 2, column 15: byte 0xE9 is not UTF-8; the input is in another encoding (Latin-1 or a Windows code page?); save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"},
		{`{"issues": [{"repository": "a!/b", "number": 5}]}`, `line 1, column 13: JSON value 1, issue #5: repository "a!/b" is not in OWNER/NAME form`},
		{`[{"number": 6, "repository": {"nameWithOwner": "a b/c"}}]`, `line 1, column 2: JSON value 1, element 1, issue #6: repository "a b/c" is not in OWNER/NAME form`},
	}
	for _, tt := range tests {
		_, err := ReadIssues(strings.NewReader(tt.in), "")
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("ReadIssues(%q) error = %v (%T), want an *InputError", tt.in, err, err)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("ReadIssues(%q) error mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestReadIssuesBOM: a UTF-8 byte-order mark (PowerShell's default for
// UTF-8) is skipped.
func TestReadIssuesBOM(t *testing.T) {
	in := "\xef\xbb\xbf[{\"number\": 1, \"url\": \"https://github.com/o/r/issues/1\"}]"
	got, err := ReadIssues(strings.NewReader(in), "")
	want := []Issue{{Repository: "o/r", Number: 1, URL: "https://github.com/o/r/issues/1"}}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestReadIssuesRepository: an item that does not say its repository takes
// the one the caller's query names; one that says it keeps its own, for the
// query to check.
func TestReadIssuesRepository(t *testing.T) {
	in := `[{"number": 1}, {"number": 2, "url": "https://github.com/x/y/issues/2"}]`
	got, err := ReadIssues(strings.NewReader(in), "o/r")
	if err != nil {
		t.Fatal(err)
	}
	want := []Issue{{Repository: "o/r", Number: 1}, {Repository: "x/y", Number: 2, URL: "https://github.com/x/y/issues/2"}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestReadIssuesTooLarge: the input is read up to its limit and no
// further.
func TestReadIssuesTooLarge(t *testing.T) {
	in := strings.NewReader("[" + strings.Repeat(" ", 2<<10) + "]")
	_, err := readIssues(in, "", 1<<10)
	if want := "the input is larger than 1 KiB"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	// An endless stream of NUL bytes (/dev/zero) fails on its first bytes.
	_, err = ReadIssues(zeros{}, "")
	if want := "the input starts with a NUL byte, so it is not text; check the path"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadRealExports reads the exports and saved pages committed to public
// repositories (testdata/input/real/SOURCES) and checks every issue.
func TestReadRealExports(t *testing.T) {
	dir := filepath.Join("testdata", "input", "real")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var fixture []struct {
		Response json.RawMessage `json:"response"`
	}
	if err := json.Unmarshal(read("octokit__fixtures__search-issues.normalized-fixture.json"), &fixture); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		repo string
		want []Issue
	}{
		{"D-sorganization__Tools__issues.json", read("D-sorganization__Tools__issues.json"), "D-sorganization/Tools", []Issue{
			{Repository: "D-sorganization/Tools", Number: 200, Title: "CRITICAL: Fix Test Suite (Currently 0% Coverage)"},
			{Repository: "D-sorganization/Tools", Number: 201, Title: "Downgrade/Compat Python support for 3.10"},
			{Repository: "D-sorganization/Tools", Number: 202, Title: "Resolve 200KB of MyPy Errors"},
			{Repository: "D-sorganization/Tools", Number: 203, Title: "Security Audit: Sanitize Launcher Config Inputs (Score: 6/10)"},
			{Repository: "D-sorganization/Tools", Number: 204, Title: "CRITICAL: UnifiedToolsLauncher crashes on <3.11 (Missing Version Check)"},
		}},
		{"AnySoftKeyboard__issues.excerpt.json", read("AnySoftKeyboard__issues.excerpt.json"), "AnySoftKeyboard/AnySoftKeyboard", []Issue{
			{Repository: "AnySoftKeyboard/AnySoftKeyboard", Number: 4636, Title: "Dk c l cnlgc n", Labels: []string{}, Author: "qasimovqasim390-alt", CreatedAt: day("2026-01-23T20:43:53Z")},
			{Repository: "AnySoftKeyboard/AnySoftKeyboard", Number: 4575, Title: "hungaryan anysoftkeyboard instal error", Labels: []string{}, Author: "robertgyergyo-blip", CreatedAt: day("2025-12-23T05:27:14Z")},
			{Repository: "AnySoftKeyboard/AnySoftKeyboard", Number: 4551, Title: `Unable to get rid of "not fully configured..." message plus keyboard layout issue`, Labels: []string{},
				Author: "app/", AuthorIsBot: true, CreatedAt: day("2025-12-12T09:08:57Z")},
			{Repository: "AnySoftKeyboard/AnySoftKeyboard", Number: 4536, Title: "[Bug] Suggestion bar defaults to dark theme even when using light theme", Labels: []string{}, Author: "doodhout", CreatedAt: day("2025-11-23T19:02:57Z")},
		}},
		{"BrianCLong__summit__gh-pr-list.excerpt.json", read("BrianCLong__summit__gh-pr-list.excerpt.json"), "", []Issue{
			{Repository: "BrianCLong/summit", Number: 18613, Title: "GA: Golden path main", URL: "https://github.com/BrianCLong/summit/pull/18613",
				Labels: []string{"area:devops/ci", "ci", "risk:low", "patch"}, Author: "BrianCLong", CreatedAt: day("2026-02-23T17:39:07Z")},
			{Repository: "BrianCLong/summit", Number: 18611, Title: "chore(deps): bump mikepenz/action-junit-report from 4.3.1 to 6.2.0", URL: "https://github.com/BrianCLong/summit/pull/18611",
				Labels: []string{"dependencies", "github_actions", "major"}, Author: "dependabot[bot]", AuthorIsBot: true, CreatedAt: day("2026-02-23T12:26:02Z")},
		}},
		{"octokit search page", fixture[0].Response, "", []Issue{
			{Repository: "octokit-fixture-org/search-issues", Number: 2, Title: "Sesame seeds split without a pop!", URL: "https://github.com/octokit-fixture-org/search-issues/issues/2",
				Labels: []string{}, Author: "octokit-fixture-user-b", CreatedAt: day("2017-10-10T16:00:00Z")},
			{Repository: "octokit-fixture-org/search-issues", Number: 1, Title: "The doors don’t open", URL: "https://github.com/octokit-fixture-org/search-issues/issues/1",
				Labels: []string{}, Author: "octokit-fixture-user-a", CreatedAt: day("2017-10-10T16:00:00Z")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadIssues(bytes.NewReader(tt.in), tt.repo)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Without the repository, an export without URLs is refused with the
	// fix, not read with a guess.
	_, err := ReadIssues(bytes.NewReader(read("D-sorganization__Tools__issues.json")), "")
	if want := "line 2, column 5: JSON value 1, element 1, issue #200: cannot tell its repository (no repository, repository_url or url field); query exactly one repository, or export with --json url"; err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
}

func FuzzReadIssues(f *testing.F) {
	for _, name := range []string{"gh-issue-list.json", "gh-search-issues.json", "search-page.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "input", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"issues": [{"title": "no number"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ReadIssues(bytes.NewReader(b), "")
		if err != nil {
			// Every failure is one line a person can act on.
			var ie *InputError
			if !errors.As(err, &ie) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q (%T) is not a one-line *InputError", err, err)
			}
			return
		}
		for _, is := range got {
			if is.Number <= 0 || !filters.ValidRepo(is.Repository) {
				t.Fatalf("accepted an issue without number or OWNER/NAME repository: %+v", is)
			}
		}
	})
}

func TestTrackerURLs(t *testing.T) {
	const server = "https://github.com"
	tests := []struct {
		name    string
		in      Issue
		wantURL string
		wantErr string
	}{
		{"the page", Issue{Repository: "example/tracker", Number: 200, URL: "https://github.com/example/tracker/issues/200"},
			"https://github.com/example/tracker/issues/200", ""},
		{"letter case", Issue{Repository: "Example/Tracker", Number: 200, URL: "https://github.com/example/tracker/pull/200"},
			"https://github.com/example/tracker/pull/200", ""},
		{"filled in", Issue{Repository: "example/tracker", Number: 7}, "https://github.com/example/tracker/issues/7", ""},
		{"filled in for a pull request", Issue{Repository: "example/tracker", Number: 7, IsPR: true}, "https://github.com/example/tracker/pull/7", ""},
		{"another repository", Issue{Repository: "example/tracker", Number: 200, URL: "https://github.com/attacker/phish/issues/1"}, "",
			"issue example/tracker#200: its url https://github.com/attacker/phish/issues/1 is not its page https://github.com/example/tracker/issues/200"},
		{"another number", Issue{Repository: "example/tracker", Number: 200, URL: "https://github.com/example/tracker/issues/2000"}, "", "is not its page"},
		{"another host", Issue{Repository: "example/tracker", Number: 200, URL: "https://github.com.evil.example/example/tracker/issues/200"}, "", "is not its page"},
		{"a query", Issue{Repository: "example/tracker", Number: 200, URL: "https://github.com/example/tracker/issues/200?x=1"}, "", "is not its page"},
		{"javascript", Issue{Repository: "example/tracker", Number: 200, URL: "javascript:alert(1)"}, "", "is not its page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := []Issue{tt.in}
			err := TrackerURLs(issues, server)
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !errors.Is(err, ErrForeignURL) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want an *InputError containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || issues[0].URL != tt.wantURL {
				t.Errorf("URL %q, error %v; want %q", issues[0].URL, err, tt.wantURL)
			}
		})
	}
}

func TestReadInputHeader(t *testing.T) {
	gen := time.Date(2024, 9, 10, 8, 0, 0, 0, time.UTC)
	relnotes := `{"query":"repo:o/r is:issue is:closed reason:completed closed:2024-01-01..2024-01-31","url":"https://github.com/o/r/issues?q=x",` +
		`"window":{"since":"2024-01-01","until":"2024-01-31"},"generated_at":"2024-09-10T08:00:00Z","issues":[]}`
	tests := []struct {
		name string
		in   string
		want Input
	}{
		{"relnotes JSON", relnotes, Input{Issues: []Issue{},
			Query: "repo:o/r is:issue is:closed reason:completed closed:2024-01-01..2024-01-31", URL: "https://github.com/o/r/issues?q=x",
			Window: Window{Since: "2024-01-01", Until: "2024-01-31"}, GeneratedAt: gen}},
		{"two values have no one header", relnotes + relnotes, Input{Issues: []Issue{}}},
		{"issues null", `{"query":"x","issues":null}`, Input{Issues: []Issue{}}},
		{"empty", "", Input{Issues: []Issue{}}},
		{"gh export", `[]`, Input{Issues: []Issue{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadInput(strings.NewReader(tt.in), "")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(&tt.want, got); d != "" {
				t.Errorf("ReadInput (-want +got):\n%s", d)
			}
		})
	}
}
