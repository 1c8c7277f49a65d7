package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
	"github.com/relnotes/relnotes/internal/html5check"
)

const testToken = "ghp_S3CRETtokenValue1234567890"

// emulator starts a GitHub API emulator holding the demo's sample tracker.
func emulator(t *testing.T) *ghemu.Server {
	t.Helper()
	return ghemutest.Start(t, ghemu.Config{Issues: ghemu.Sample(demoNow), Token: testToken})
}

func emuEnv(srv *ghemu.Server) map[string]string {
	return map[string]string{"GITHUB_API_URL": srv.URL(), "GITHUB_TOKEN": testToken}
}

var notesArgs = []string{"notes", "--repo", "example/tracker", "--since", "2024-03-26", "--until", "2024-09-09",
	"--exclude-label", "R: duplicate", "--quiet"}

// TestNotesJSONMatchesGroundTruth: the JSON contract carries exactly the
// issues the emulator says the link shows.
func TestNotesJSONMatchesGroundTruth(t *testing.T) {
	srv := emulator(t)
	r := runCLI(t, emuEnv(srv), append(notesArgs, "--format", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		Query        string   `json:"query"`
		URL          string   `json:"url"`
		Repositories []string `json:"repositories"`
		Total        int      `json:"total"`
		Dropped      int      `json:"dropped"`
		Window       struct {
			Since string `json:"since"`
			Until string `json:"until"`
		} `json:"window"`
		Issues []struct {
			Repository string   `json:"repository"`
			Number     int      `json:"number"`
			Title      string   `json:"title"`
			URL        string   `json:"url"`
			Labels     []string `json:"labels"`
			ClosedAt   string   `json:"closed_at"`
			Reason     *string  `json:"state_reason"`
			Author     *string  `json:"author"`
		} `json:"issues"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	want, err := srv.Search(got.Query)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != len(want) || len(got.Issues) != len(want) || len(want) == 0 {
		t.Fatalf("total %d, %d issues; the emulator's ground truth has %d", got.Total, len(got.Issues), len(want))
	}
	var gotN, wantN []int
	for _, is := range got.Issues {
		gotN = append(gotN, is.Number)
		if is.Reason == nil || is.Author == nil || is.URL == "" || is.ClosedAt == "" {
			t.Errorf("issue %d lacks a contract field: %+v", is.Number, is)
		}
	}
	for _, is := range want {
		wantN = append(wantN, is.Number)
	}
	slices.Sort(gotN)
	slices.Sort(wantN)
	if !slices.Equal(gotN, wantN) {
		t.Errorf("fetched %v, want %v", gotN, wantN)
	}
	if got.Window.Since != "2024-03-26" || got.Window.Until != "2024-09-09" || !slices.Equal(got.Repositories, []string{"example/tracker"}) {
		t.Errorf("window %+v, repositories %v", got.Window, got.Repositories)
	}
	if !strings.HasPrefix(got.URL, "https://github.com/example/tracker/issues?q=") {
		t.Errorf("url %q", got.URL)
	}
}

// TestNotesOutputIsAtomic: --output is replaced only by a complete run; a
// failing run (here a 401) leaves the previous file byte for byte, and the
// token never appears anywhere.
func TestNotesOutputIsAtomic(t *testing.T) {
	srv := emulator(t)
	out := filepath.Join(t.TempDir(), "notes.md")
	r := runCLI(t, emuEnv(srv), append(notesArgs, "--output", out)...)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	before, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(before), "full list of issues") {
		t.Fatalf("output file: %v\n%s", err, before)
	}
	env := emuEnv(srv)
	env["GITHUB_TOKEN"] = "ghp_wrongTOKENvalue000"
	r = runCLI(t, env, append(notesArgs, "--output", out, "--format", "html")...)
	if r.code != exitFailure {
		t.Errorf("exit %d with a bad token, want %d", r.code, exitFailure)
	}
	if !strings.Contains(r.stderr, "401") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("stderr %q, want one line about the 401", r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, "ghp_wrongTOKENvalue000") {
		t.Errorf("the token leaked: %s", r.stderr)
	}
	after, _ := os.ReadFile(out)
	if string(after) != string(before) {
		t.Errorf("a failed run changed %s", out)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("left temporary files behind: %v", entries)
	}
}

func TestNotesErrors(t *testing.T) {
	srv := emulator(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown repository", []string{"notes", "--repo", "nobody/nothing", "--since", "2024-01-01", "--quiet"}, exitFailure, "nobody/nothing not found"},
		{"unknown format", []string{"notes", "--repo", "example/tracker", "--format", "pdf"}, exitUsage, "pdf"},
		{"missing output directory", []string{"notes", "--repo", "example/tracker", "--output", "/nonexistent/dir/notes.md"}, exitUsage, "does not exist"},
		{"missing token file", []string{"notes", "--repo", "example/tracker", "--token-file", "/nonexistent/token"}, exitUsage, "cannot read --token-file"},
		{"missing input", []string{"notes", "--repo", "example/tracker", "--input", "/nonexistent/in.json"}, exitUsage, "cannot read --input"},
		{"no repository", []string{"notes", "--since", "2024-01-01"}, exitUsage, "no repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, emuEnv(srv), tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("stderr %q (want %q), stdout %q", r.stderr, tt.want, r.stdout)
			}
			if strings.Contains(r.stderr, testToken) {
				t.Errorf("token leaked")
			}
		})
	}
}

// TestNotesInputRoundTrip: relnotes' own JSON read back with --input renders
// the same Markdown as the fetch did, without any request.
func TestNotesInputRoundTrip(t *testing.T) {
	srv := emulator(t)
	js := runCLI(t, emuEnv(srv), append(notesArgs, "--format", "json")...)
	md := runCLI(t, emuEnv(srv), notesArgs...)
	in := filepath.Join(t.TempDir(), "saved.json")
	if err := os.WriteFile(in, []byte(js.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.ResetLog()
	again := runCLI(t, nil, append(notesArgs, "--input", in)...)
	if again.code != 0 {
		t.Fatalf("exit %d: %s", again.code, again.stderr)
	}
	if again.stdout != md.stdout {
		t.Errorf("--input renders differently:\n%s\nvs\n%s", again.stdout, md.stdout)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("--input made %d requests", n)
	}
	// Without query flags the file's own query, link and time are used.
	own := runCLI(t, nil, "notes", "--input", in, "--format", "json", "--quiet")
	if own.code != 0 || own.stdout != js.stdout {
		t.Errorf("--input without query flags: exit %d, %s\nrenders\n%s\nnot\n%s", own.code, own.stderr, own.stdout, js.stdout)
	}
	// A narrower query is another query: refused, naming the difference.
	refused := runCLI(t, nil, "notes", "--repo", "example/tracker", "--since", "2024-06-01", "--until", "2024-09-09", "--input", in, "--format", "json", "--quiet")
	wantMsg := "relnotes: --input " + in + " was fetched for another query (label exclusions differ: only the file has -label:\"R: duplicate\"; windows differ: the command line gives closed:2024-06-01..2024-09-09, the file has closed:2024-03-26..2024-09-09): drop the query flags to render the file's own query, or fetch again\n"
	if refused.code != exitUsage || refused.stderr != wantMsg || refused.stdout != "" {
		t.Errorf("narrower query over relnotes JSON: exit %d, stderr %q; want exit 2, %q", refused.code, refused.stderr, wantMsg)
	}
	// The same issues without the header are checked against the flags:
	// a narrower query keeps only what matches.
	var saved changelog.Changelog
	if err := json.Unmarshal([]byte(js.stdout), &saved); err != nil {
		t.Fatal(err)
	}
	bare, _ := json.Marshal(map[string]any{"issues": saved.Issues})
	if err := os.WriteFile(in, bare, 0o644); err != nil {
		t.Fatal(err)
	}
	narrow := runCLI(t, nil, "notes", "--repo", "example/tracker", "--since", "2024-06-01", "--until", "2024-09-09", "--input", in, "--format", "json", "--quiet")
	var cl changelog.Changelog
	if err := json.Unmarshal([]byte(narrow.stdout), &cl); err != nil {
		t.Fatal(err)
	}
	for _, is := range cl.Issues {
		if is.ClosedAt.Before(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("issue %d closed %s is outside the narrower window", is.Number, is.ClosedAt)
		}
	}
	if cl.Dropped == 0 || cl.Total == 0 {
		t.Errorf("narrower window: total %d, dropped %d", cl.Total, cl.Dropped)
	}
}

// TestDemo: the README's run command works offline and is deterministic.
func TestDemo(t *testing.T) {
	r := runCLI(t, nil, "demo")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	goldenCompare(t, "demo.golden", r.stdout)
}

// TestConfigDefaults: in a configured repository, --since and --until are
// enough.
func TestConfigDefaults(t *testing.T) {
	dir := t.TempDir()
	cfg := "repos: [QubesOS/qubes-issues]\nexclude-labels:\n  - \"R: cannot reproduce\"\n  - \"R: declined\"\n  - \"R: duplicate\"\n  - \"R: not applicable\"\n  - \"R: self-closed\"\n  - \"R: upstream issue\"\n"
	if err := os.WriteFile(filepath.Join(dir, ".relnotes.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "link", "--config", filepath.Join(dir, ".relnotes.yml"), "--since", "2024-03-26", "--until", "2024-09-09")
	if got := strings.TrimSpace(r.stdout); got != seedLink {
		t.Errorf("got %s (stderr %s)", got, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.yml"), []byte("repos: [a/b]\nexclude-lables: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "link", "--config", filepath.Join(dir, "bad.yml"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "exclude-lables") || !strings.Contains(r.stderr, "bad.yml") {
		t.Errorf("exit %d, stderr %q: want the unknown key and the file named", r.code, r.stderr)
	}
}

// TestNotesProgressLines: off a terminal, progress is a few lines (one per
// phase and per wait), and a rate-limit wait says what relnotes waits for.
func TestNotesProgressLines(t *testing.T) {
	// One search per window, and a window long enough that no request takes
	// as long on a loaded machine: with 300 ms, a slow machine's requests
	// spanned the window by themselves, nothing waited, and the test failed.
	srv := ghemutest.Start(t, ghemu.Config{Issues: ghemu.Sample(demoNow), Token: testToken,
		SearchLimit: 1, RateWindow: 1500 * time.Millisecond})
	r := runCLI(t, emuEnv(srv), "notes", "--repo", "example/tracker", "--reason", "any", "--state", "any", "--kind", "any", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var cl changelog.Changelog
	if err := json.Unmarshal([]byte(r.stdout), &cl); err != nil {
		t.Fatal(err)
	}
	if cl.Total != 300 {
		t.Fatalf("fetched %d of the sample's 300 items", cl.Total)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if !strings.Contains(lines[0], "GitHub counts 300 matching issues") {
		t.Errorf("first line %q does not announce the total", lines[0])
	}
	if !strings.Contains(r.stderr, "for GitHub's search rate limit") {
		t.Errorf("no wait was reported:\n%s", r.stderr)
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "300 issues from example/tracker") {
		t.Errorf("last line %q is not the summary", last)
	}
	if len(lines) > 6 {
		t.Errorf("%d progress lines for 3 pages; want one per phase or wait:\n%s", len(lines), r.stderr)
	}
	for _, req := range srv.Requests() {
		if req.Status == 403 || req.Status == 429 {
			t.Errorf("relnotes hit the rate limit (%d on %s) instead of pacing", req.Status, req.Path)
		}
	}
}

// TestNotesWithoutToken warns once and still works within the
// unauthenticated budget.
func TestNotesWithoutToken(t *testing.T) {
	srv := emulator(t)
	r := runCLI(t, map[string]string{"GITHUB_API_URL": srv.URL()}, notesArgs...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Count(r.stderr, "warning: no token") != 1 {
		t.Errorf("stderr %q, want one warning about the missing token", r.stderr)
	}
}

// TestNotesStandaloneHTMLIsValid: what the CLI writes for --format html
// --standalone parses as a valid HTML5 page, hostile sample titles and all.
func TestNotesStandaloneHTMLIsValid(t *testing.T) {
	srv := emulator(t)
	r := runCLI(t, emuEnv(srv), append(notesArgs, "--format", "html", "--standalone", "--title", "Tracker 4.2.3 <release>")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := html5check.Validate(r.stdout); err != nil {
		t.Errorf("not valid HTML5: %v\n%s", err, r.stdout)
	}
	if !strings.Contains(r.stdout, "<title>Tracker 4.2.3 &lt;release&gt;</title>") {
		t.Errorf("the title is missing or unescaped")
	}
}

// TestNotesInterrupted: Ctrl-C (a cancelled context) stops the fetch at
// once, exits 130 and leaves --output as it was.
func TestNotesInterrupted(t *testing.T) {
	srv := ghemutest.Start(t, ghemu.Config{Issues: ghemu.Sample(demoNow), Token: testToken, Latency: 5 * time.Second})
	out := filepath.Join(t.TempDir(), "notes.md")
	if err := os.WriteFile(out, []byte("previous notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	var stdout, stderr bytes.Buffer
	env := emuEnv(srv)
	app := &App{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }, Now: time.Now, WorkDir: t.TempDir()}
	start := time.Now()
	code := app.Run(ctx, append(notesArgs, "--output", out))
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %s to stop after the interrupt", took)
	}
	if code != 130 || !strings.Contains(stderr.String(), "interrupted; nothing was written") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if b, _ := os.ReadFile(out); string(b) != "previous notes\n" {
		t.Errorf("--output changed to %q", b)
	}
}

// TestNotesSeveralRepositories: --repo twice and --org give one changelog
// with every repository's issues, each referenced with its repository, and
// exactly the emulator's ground truth.
func TestNotesSeveralRepositories(t *testing.T) {
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	issues := append(ghemu.Generate(1, ghemu.GenOptions{Repo: "acme/app", Issues: 400, Start: from, End: to}),
		ghemu.Generate(2, ghemu.GenOptions{Repo: "acme/lib", Issues: 300, Start: from, End: to})...)
	issues = append(issues, ghemu.Generate(3, ghemu.GenOptions{Repo: "other/tool", Issues: 200, Start: from, End: to})...)
	srv := ghemutest.Start(t, ghemu.Config{Issues: issues, Token: testToken})
	for _, args := range [][]string{
		{"--repo", "acme/app", "--repo", "acme/lib"},
		{"--org", "acme"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			base := append([]string{"notes", "--since", "2024-03-01", "--until", "2024-10-31", "--quiet"}, args...)
			r := runCLI(t, emuEnv(srv), append(base, "--format", "json")...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var cl changelog.Changelog
			if err := json.Unmarshal([]byte(r.stdout), &cl); err != nil {
				t.Fatal(err)
			}
			want, err := srv.Search(cl.Query)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, is := range cl.Issues {
				got[fmt.Sprintf("%s#%d", is.Repository, is.Number)] = true
			}
			for _, is := range want {
				if !got[fmt.Sprintf("%s#%d", is.Repo, is.Number)] {
					t.Errorf("missing %s#%d", is.Repo, is.Number)
				}
			}
			if len(want) < 50 || len(got) != len(want) || !slices.Equal(cl.Repositories, []string{"acme/app", "acme/lib"}) {
				t.Errorf("%d issues from %v; ground truth %d", len(got), cl.Repositories, len(want))
			}
			if !strings.HasPrefix(cl.URL, "https://github.com/search?q=") || !strings.HasSuffix(cl.URL, "&type=issues") {
				t.Errorf("several repositories need a global search link, got %s", cl.URL)
			}
			md := runCLI(t, emuEnv(srv), base...)
			if !strings.Contains(md.stdout, "[acme/lib#") || !strings.Contains(md.stdout, "[acme/app#") {
				t.Errorf("Markdown items do not name their repository:\n%.500s", md.stdout)
			}
		})
	}
}
