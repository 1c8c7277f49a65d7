package doccheck

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// expect is what the docs promise of one command. A command either runs
// (skip is empty) and must exit with exit, print every stdout and stderr
// substring and create every file in creates; or it is not run, and skip is
// the rule that says why.
type expect struct {
	skip     string
	exit     int
	fixtures []string // files the working directory holds first (see fixtures)
	stdout   []string
	stderr   []string
	creates  []string
	sandbox  bool   // runs against the sandbox of `relnotes demo --serve` (docAddr is its address)
	serve    string // serves until Ctrl-C: interrupted once stdout holds this
	bash     bool   // uses bash syntax, so runs in bash rather than sh
}

// The rules for commands that are not run. Every documented command is run
// unless one of these applies.
const (
	skipNetwork  = "downloads from the network (the module proxy); the test may only reach 127.0.0.1"
	skipBuild    = "builds relnotes, which the test itself does first with go build -o DIR/relnotes ./cmd/relnotes"
	skipInstall  = "installs into $(go env GOPATH)/bin, outside the test's directories; the test builds the same package"
	skipSuite    = "is the test suite this test is part of"
	skipSynopsis = "is a synopsis with a placeholder (TAG, FILE, COMMAND, ...), not a command to copy"
	skipFragment = "names a command and a flag in a sentence; the flag's own examples run elsewhere in this table"
)

// qubes423Link is the link of the Qubes OS 4.2.3 announcement, which README.md
// quotes and says its first command prints byte for byte.
const qubes423Link = "https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+cannot+reproduce%22+-label%3A%22R%3A+declined%22+-label%3A%22R%3A+duplicate%22+-label%3A%22R%3A+not+applicable%22+-label%3A%22R%3A+self-closed%22+-label%3A%22R%3A+upstream+issue%22"

// Link written by hand for Qubes OS 4.2.3, as in README.md and docs/releases.md.
const qubesLink = "'https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09'"

// commands holds every command in README.md and docs/*.md (except
// docs/action.md, whose workflows run in the Action's own tests), keyed by
// its text as extract gives it, with "go run ./cmd/relnotes" written as
// "relnotes". A command the docs add must be added here, and one they drop
// must be removed.
var commands = map[string]expect{
	"go install github.com/relnotes/relnotes/cmd/relnotes@latest": {skip: skipNetwork},
	"go install ./cmd/relnotes":                                   {skip: skipInstall},
	"go build -o relnotes ./cmd/relnotes":                         {skip: skipBuild},
	"go test -race -count=1 ./...":                                {skip: skipSuite},
	"go test -race -short ./...":                                  {skip: skipSuite},

	"relnotes demo": {stdout: []string{"closed%3A2024-03-26..2024-09-09", "\nTotal: 34 issues.\n"}},
	"relnotes demo --format html --standalone": {stdout: []string{"<!DOCTYPE html>"}},
	"relnotes --version":                       {stdout: []string{"relnotes "}},
	"source <(relnotes completion bash)":       {bash: true},

	// README: Quick start.
	`relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 --exclude-label "R: cannot reproduce" --exclude-label "R: declined" --exclude-label "R: duplicate" --exclude-label "R: not applicable" --exclude-label "R: self-closed" --exclude-label "R: upstream issue"`: {
		stdout: []string{qubes423Link + "\n"},
	},
	`relnotes explain 'https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+duplicate%22'`: {
		stdout: []string{"closed 2024-03-26 through 2024-09-09, whole days in UTC, 168 days", "relnotes link --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 --exclude-label 'R: duplicate'"},
	},
	`relnotes notes --repo QubesOS/qubes-issues --since 2024-03-26 --until 2024-09-09 --exclude-label "R: duplicate" --format markdown --output notes.md`: {
		creates: []string{"notes.md"},
	},
	"relnotes link --repo QubesOS/qubes-issues --release 4.2.3 --releases-file qubes-releases.csv --granularity day": {
		fixtures: []string{"qubes-releases.csv"},
		stdout:   []string{"closed%3A2024-07-13..2024-09-08"},
	},
	"relnotes check --release 4.2.3 --releases-file qubes-releases.csv --no-count " + qubesLink: {
		exit: 3, fixtures: []string{"qubes-releases.csv"},
		stdout: []string{
			"overlap: starts 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13: 109 days overlap\n",
			"overlap: ends 2024-09-09 but 4.2.3 was published 2024-09-09, so its list ends 2024-09-08: 1 day overlap\n",
		},
	},
	"relnotes link --since 2024-03-26 --until 2024-09-09": {
		fixtures: []string{".relnotes.yml"},
		stdout:   []string{"https://github.com/QubesOS/qubes-issues/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26..2024-09-09+-label%3A%22R%3A+cannot+reproduce%22"},
	},

	// docs/releases.md.
	"relnotes check --release 4.2.3 --releases-file qubes-releases.csv " + qubesLink: {
		exit: 3, fixtures: []string{"qubes-releases.csv"},
		stdout: []string{
			"overlap: starts 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13: 109 days overlap, 37 issues listed twice\n",
			"overlap: ends 2024-09-09 but 4.2.3 was published 2024-09-09, so its list ends 2024-09-08: 1 day overlap, 1 issue listed twice\n",
			"expected: closed:2024-07-13..2024-09-08",
		},
	},
	`relnotes link --repo QubesOS/qubes-issues --release v4.2.3 --releases-repo QubesOS/qubes-builderv2 --granularity day --exclude-label "R: duplicate" --exclude-label "R: declined"`: {
		stdout: []string{"closed%3A2024-07-13..2024-09-08"},
	},
	`relnotes notes --repo QubesOS/qubes-issues --release 4.2.3 --releases-file qubes-releases.csv --granularity day --exclude-label "R: duplicate" --format announcement`: {
		fixtures: []string{"qubes-releases.csv"},
		stdout:   []string{"closed%3A2024-07-13..2024-09-08"},
	},
	// docs/sandbox.md.
	"relnotes demo --format html --standalone > notes.html":      {creates: []string{"notes.html"}},
	"relnotes demo --release v4.2.3 --granularity day --verbose": {stdout: []string{"closed%3A2024-07-13..2024-09-08"}},
	"relnotes demo --since 2024-09-01 --format json":             {stdout: []string{`"issues": [`}},
	"relnotes demo --serve":                                      {serve: "is serving at http://127.0.0.1:"},
	"relnotes demo --serve --listen " + docAddr:                  {serve: "is serving at http://127.0.0.1:"},
	`relnotes notes --api-url http://` + docAddr + `/ --repo example/tracker --release v4.2.3 --exclude-label "R: duplicate"`: {
		sandbox: true, stdout: []string{"Total: 7 issues."},
	},
	`relnotes check --api-url http://` + docAddr + `/ --releases-repo example/tracker --release v4.2.3 'https://github.com/example/tracker/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-07-01..2024-09-09'`: {
		sandbox: true, exit: 3, stdout: []string{"12 days overlap, 13 issues listed twice"},
	},
	"relnotes publish --api-url http://" + docAddr + "/ --repo example/tracker --release v4.2.3 --dry-run": {
		sandbox: true, stdout: []string{"+<!-- relnotes:start -->"},
	},
	"relnotes publish --api-url http://" + docAddr + "/ --repo example/tracker --release v4.2.3": {sandbox: true},

	"relnotes changelog --api-url http://" + docAddr + "/ --repo example/tracker --unreleased --output CHANGELOG.md": {
		sandbox: true, creates: []string{"CHANGELOG.md"}, stderr: []string{"sections written"},
	},
	"relnotes link --release TAG":    {skip: skipSynopsis},
	"relnotes publish --release TAG": {skip: skipSynopsis},
	"relnotes COMMAND --help":        {skip: skipSynopsis},
	"relnotes notes --input FILE":    {skip: skipSynopsis},
	"relnotes notes --input":         {skip: skipFragment},
	"relnotes notes --format json":   {skip: skipFragment},

	// docs/templates.md: the worked example, in a repository configured
	// for QubesOS/qubes-issues.
	"relnotes notes --since 2024-03-26 --until 2024-09-09 --template notes.tmpl": {
		fixtures: []string{".relnotes.yml", "notes.tmpl"},
		stdout:   []string{"## Issues closed 2024-03-26 to 2024-09-09\n", "| Issue | Title | Closed | Labels |"},
	},
}

// fixtures are the files commands expect in their working directory: each
// taken from the doc that shows it, or, where a doc describes a file without
// showing all of it, written here as the doc describes it.
var fixtures = map[string]func(t *testing.T) string{
	"qubes-releases.csv": func(t *testing.T) string {
		return fencedBlock(t, "docs/releases.md", func(first, _ string) bool { return strings.HasPrefix(first, "# qubes-releases.csv") })
	},
	"notes.tmpl": func(t *testing.T) string {
		doc := fencedBlock(t, "docs/templates.md", func(_, before string) bool { return strings.HasPrefix(before, "`notes.tmpl`") })
		if file := read(t, "templates/testdata/example.tmpl"); doc != file {
			t.Errorf("docs/templates.md shows notes.tmpl as templates/testdata/example.tmpl, but they differ:\n%s", cmp.Diff(file, doc))
		}
		return doc
	},
	// README: "a .relnotes.yml holding the repositories and excluded labels".
	".relnotes.yml": func(*testing.T) string {
		return "repos: [QubesOS/qubes-issues]\nexclude-labels: [\"R: cannot reproduce\", \"R: duplicate\"]\n"
	},
}

// fencedBlock returns the content of the first fenced block in doc whose
// first line, or the last non-blank line before it, satisfies is.
func fencedBlock(t *testing.T, doc string, is func(first, before string) bool) string {
	t.Helper()
	lines := strings.Split(read(t, doc), "\n")
	before := ""
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			if strings.TrimSpace(lines[i]) != "" {
				before = lines[i]
			}
			continue
		}
		end := i + 1
		for end < len(lines) && !strings.HasPrefix(lines[end], "```") {
			end++
		}
		if end > i+1 && is(lines[i+1], before) {
			return strings.Join(lines[i+1:end], "\n") + "\n"
		}
		i, before = end, ""
	}
	t.Fatalf("%s: no fenced block for this fixture; the doc no longer shows the file", doc)
	return ""
}

// documented returns every command of README.md and docs/*.md by its text,
// with where each appears.
func documented(t *testing.T) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	for _, f := range docs(t) {
		if f == filepath.Join("docs", "action.md") {
			continue
		}
		for _, c := range extract(read(t, f)) {
			text := c.Text
			if rest, ok := strings.CutPrefix(text, "go run ./cmd/relnotes"); ok {
				text = "relnotes" + rest
			}
			found[text] = append(found[text], f+":"+strconv.Itoa(c.Line))
		}
	}
	return found
}

// TestDocumentedCommandsRun runs every command README.md and docs/ show,
// as written, in a shell, with relnotes built from this checkout on PATH
// and the GitHub API emulator as the API, and checks each against what the
// docs say it does.
func TestDocumentedCommandsRun(t *testing.T) {
	if !strings.Contains(read(t, "README.md"), "("+qubes423Link+")") {
		t.Errorf("README.md no longer quotes the Qubes OS 4.2.3 link its first command is said to print")
	}
	found := documented(t)
	if len(found) < 10 {
		t.Fatalf("found only %d documented commands; extract no longer matches how the docs show commands", len(found))
	}
	for text, where := range found {
		if _, ok := commands[text]; !ok {
			t.Errorf("%s: documented command not classified in doccheck's commands table; add what it should do (exit code, output) or the rule that skips it:\n\t%s", strings.Join(where, ", "), text)
		}
	}
	for text := range commands {
		if _, ok := found[text]; !ok {
			t.Errorf("commands table lists a command no doc shows any more; remove it:\n\t%s", text)
		}
	}
	if t.Failed() {
		return
	}

	bin := t.TempDir()
	// Without -race even under -race: commands built with it run about ten
	// times slower, and action's TestActionOnTagPush compiles the same
	// packages without it anyway.
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "relnotes"), "./cmd/relnotes")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/relnotes: %v\n%s", err, out)
	}
	const token = "ghp_doccheck0000000000000000000000000000"
	api := emulator(t, token)
	env := []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GH_TOKEN=" + token,
		"GITHUB_API_URL=" + api.URL(),
		// A request meant for anywhere but loopback goes to a proxy that
		// refuses it: a doc command must never reach github.com.
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9",
	}

	// The sandbox that `relnotes demo --serve` serves, for the commands the
	// docs show pasted from its output.
	sandbox, err := ghemu.StartSandbox("127.0.0.1:0", token)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sandbox.Close)

	// In doc order, so that commands shown one after the other on the
	// sandbox (publish --dry-run, then publish) run in that order.
	texts := slices.Collect(maps.Keys(found))
	slices.SortFunc(texts, func(a, b string) int {
		fa, la, _ := strings.Cut(found[a][0], ":")
		fb, lb, _ := strings.Cut(found[b][0], ":")
		na, _ := strconv.Atoi(la)
		nb, _ := strconv.Atoi(lb)
		if c := strings.Compare(fa, fb); c != 0 {
			return c
		}
		return na - nb
	})
	ran := 0
	for _, text := range texts {
		want := commands[text]
		t.Run(strings.ReplaceAll(found[text][0], "/", "_"), func(t *testing.T) {
			if want.skip != "" {
				t.Skipf("not run: %s\n\t%s", want.skip, text)
			}
			ran++
			dir := t.TempDir()
			for _, name := range want.fixtures {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(fixtures[name](t)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			run := text
			if strings.Contains(run, docAddr) {
				addr := freeAddr(t)
				if want.sandbox {
					addr = strings.TrimSuffix(strings.TrimPrefix(sandbox.URL(), "http://"), "/")
				}
				run = strings.ReplaceAll(run, docAddr, addr)
			}
			shell := "sh"
			if want.bash {
				shell = "bash"
			}
			stdout, stderr, exit := runCommand(t, dir, env, shell, run, want.serve)
			if want.serve != "" && exit == 130 {
				// The docs promise a server that runs until Ctrl-C, not how
				// it exits then; 130 is the CLI's backstop when winding down
				// takes longer than its grace period, as on a loaded machine
				// under -race.
				exit = want.exit
			}
			if exit != want.exit {
				t.Errorf("exit %d, the docs say %d\n\t%s\nstderr:\n%s", exit, want.exit, text, stderr)
			}
			for _, s := range want.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q\n\t%s\nstdout:\n%s\nstderr:\n%s", s, text, stdout, stderr)
				}
			}
			for _, s := range want.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q\n\t%s\nstderr:\n%s", s, text, stderr)
				}
			}
			for _, name := range want.creates {
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					t.Errorf("did not create %s\n\t%s", name, text)
				}
			}
			if strings.Contains(stdout+stderr, token) {
				t.Errorf("the token appears in the output of\n\t%s", text)
			}
		})
	}
	t.Logf("%d documented commands, %d run", len(found), ran)
}

// docAddr is the loopback address the docs use in examples. The test
// replaces it with a free port (or the sandbox's), so that it never
// collides with whatever listens on 8080 here.
const docAddr = "127.0.0.1:8080"

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// runCommand runs text in shell in dir. When serve is set, the command serves
// until interrupted: once its stdout holds serve, it gets SIGINT, as from
// Ctrl-C.
func runCommand(t *testing.T, dir string, env []string, shell, text, serve string) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if serve != "" {
		text = "exec " + text // the signal goes to relnotes, not to sh
	}
	cmd := exec.CommandContext(ctx, shell, "-c", text)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if serve != "" {
		for !strings.Contains(out.String(), serve) {
			if ctx.Err() != nil {
				t.Fatalf("never printed %q\n\t%s\nstdout:\n%s\nstderr:\n%s", serve, text, out.String(), errOut.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
	}
	err := cmd.Wait()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return out.String(), errOut.String(), exit
}

// syncBuffer is a bytes.Buffer a running command writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// emulator serves every repository the docs' commands name: the Qubes OS
// tracker with issues completed in the 4.2.3 windows, and Qubes OS's
// releases in the repository that holds its tags.
func emulator(t *testing.T, token string) *ghemu.Server {
	t.Helper()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	issues := ghemu.Generate(1, ghemu.GenOptions{
		Repo: "QubesOS/qubes-issues", Issues: 400,
		Start: day("2023-06-01"), End: day("2024-12-01"),
		Completed: 60, CompletedFrom: day("2024-03-26"), CompletedTo: day("2024-09-10").Add(-time.Second),
	})
	s := ghemutest.Start(t, ghemu.Config{Issues: issues, Token: token, SearchLimit: 1000})
	for _, r := range []ghemu.Release{
		{Tag: "v4.2.0", Name: "4.2.0", PublishedAt: day("2023-12-18").Add(10 * time.Hour)},
		{Tag: "v4.2.1", Name: "4.2.1", PublishedAt: day("2024-03-26").Add(12 * time.Hour)},
		{Tag: "v4.2.2", Name: "4.2.2", PublishedAt: day("2024-07-13").Add(9 * time.Hour)},
		{Tag: "v4.2.3-rc1", Name: "4.2.3-rc1", Prerelease: true, PublishedAt: day("2024-08-20").Add(15 * time.Hour)},
		{Tag: "v4.2.3", Name: "4.2.3", PublishedAt: day("2024-09-09").Add(11 * time.Hour)},
	} {
		s.AddRelease("QubesOS", "qubes-builderv2", r)
	}
	return s
}
