// Package action_test runs the workflows the README and docs/action.md show,
// and the steps of ../action.yml, the way a GitHub runner does (bash, the
// runner's environment variables, ${{ }} expressions) against the GitHub API
// emulator, and checks the Action's outputs, its step summary, the release
// gh creates and the published release body.
//
// The third-party actions are emulated: actions/checkout copies a fixture
// repository into the workspace, actions/setup-go checks its go.mod and uses
// the local go, actions/cache checks its key and does nothing.
package action_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
	"github.com/relnotes/relnotes/releases"
)

type step struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
}

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type workflow struct {
	On          map[string]map[string][]string `yaml:"on"`
	Permissions map[string]string              `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		Steps  []step `yaml:"steps"`
	} `yaml:"jobs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// job runs a workflow job's steps, or the Action's alone, on one runner.
type job struct {
	t         *testing.T
	root      string // the repository root: the action's path
	workspace string // GITHUB_WORKSPACE, the steps' working directory
	checkout  string // the fixture actions/checkout copies into the workspace
	env       map[string]string
	github    map[string]string
	action    actionFile
	summary   strings.Builder
}

// scope holds what expressions see: the inputs of the action being run and
// the outputs of the steps before.
type scope struct {
	inputs  map[string]string
	outputs map[string]map[string]string
}

func (j *job) eval(sc *scope, s string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch {
		case strings.HasPrefix(e, "inputs.") && sc.inputs != nil:
			v, ok := sc.inputs[strings.TrimPrefix(e, "inputs.")]
			if !ok {
				j.t.Fatalf("%s is not an input of action.yml", e)
			}
			return v
		case strings.HasPrefix(e, "github."):
			v, ok := j.github[strings.TrimPrefix(e, "github.")]
			if !ok {
				j.t.Fatalf("%s is used, and the test runner does not provide it", e)
			}
			return v
		case e == "runner.os":
			return "Linux"
		case strings.HasPrefix(e, "steps."):
			parts := strings.SplitN(strings.TrimPrefix(e, "steps."), ".", 3)
			if len(parts) != 3 || parts[1] != "outputs" {
				j.t.Fatalf("unsupported expression %s", m)
			}
			out, ok := sc.outputs[parts[0]]
			if !ok {
				j.t.Fatalf("%s names no step that ran before", e)
			}
			return out[parts[2]]
		}
		j.t.Fatalf("unsupported expression %s", m)
		return ""
	})
}

// runAction runs action.yml with the given inputs and returns its outputs.
func (j *job) runAction(given map[string]string) (map[string]string, error) {
	sc := &scope{inputs: map[string]string{}, outputs: map[string]map[string]string{}}
	for name, in := range j.action.Inputs {
		sc.inputs[name] = j.eval(&scope{}, in.Default)
	}
	for k, v := range given {
		if _, ok := j.action.Inputs[k]; !ok {
			j.t.Fatalf("input %q is not declared in action.yml", k)
		}
		sc.inputs[k] = v
	}
	if err := j.runSteps(sc, j.action.Runs.Steps, true); err != nil {
		return nil, err
	}
	res := map[string]string{}
	for name, o := range j.action.Outputs {
		res[name] = j.eval(sc, o.Value)
	}
	return res, nil
}

// runWorkflow runs the steps of wf's one job.
func (j *job) runWorkflow(wf workflow) error {
	if len(wf.Jobs) != 1 {
		j.t.Fatalf("the workflow has %d jobs, want 1", len(wf.Jobs))
	}
	for _, jb := range wf.Jobs {
		if jb.RunsOn != "ubuntu-latest" {
			j.t.Fatalf("runs-on %q: the test emulates ubuntu-latest", jb.RunsOn)
		}
		return j.runSteps(&scope{outputs: map[string]map[string]string{}}, jb.Steps, false)
	}
	return nil
}

func (j *job) runSteps(sc *scope, steps []step, inAction bool) error {
	for i, st := range steps {
		name := fmt.Sprintf("step %d (%s%s)", i, st.ID, st.Uses)
		var outs map[string]string
		switch {
		case st.Uses != "":
			with := map[string]string{}
			for k, v := range st.With {
				with[k] = j.eval(sc, v)
			}
			var err error
			if outs, err = j.uses(st.Uses, with, inAction); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		case st.Run != "":
			var err error
			if outs, err = j.runScript(sc, st, inAction); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		default:
			j.t.Fatalf("%s has neither uses nor run", name)
		}
		if st.ID != "" {
			sc.outputs[st.ID] = outs
		}
	}
	return nil
}

// uses emulates the actions the workflows and action.yml use.
func (j *job) uses(ref string, with map[string]string, inAction bool) (map[string]string, error) {
	name, version, _ := strings.Cut(ref, "@")
	if version == "" {
		j.t.Fatalf("uses %q: pin a version", ref)
	}
	switch name {
	case "actions/checkout":
		if inAction {
			j.t.Fatal("action.yml checks out a repository; the workflow does that")
		}
		return nil, os.CopyFS(j.workspace, os.DirFS(j.checkout))
	case "actions/setup-go":
		// The Go the action builds with is the local go; check that
		// setup-go is asked for the action's own go.mod, and that go.mod
		// states a version.
		if !inAction {
			j.t.Fatal("the workflow sets up Go; the Action does that itself")
		}
		if got, want := with["go-version-file"], filepath.Join(j.root, "go.mod"); got != want {
			j.t.Errorf("setup-go go-version-file %q, want the action's %q", got, want)
		}
		b, err := os.ReadFile(with["go-version-file"])
		if err != nil || !regexp.MustCompile(`(?m)^go 1\.\d+`).Match(b) {
			j.t.Errorf("setup-go's go-version-file: %v, no go line in %q", err, b)
		}
		if with["cache"] != "false" {
			j.t.Errorf("setup-go cache %q: its cache cannot key on a go.sum outside the workspace; actions/cache does", with["cache"])
		}
		return nil, nil
	case "actions/cache":
		sum, err := exec.Command("sha256sum", filepath.Join(j.root, "go.sum")).Output()
		if err != nil {
			j.t.Fatal(err)
		}
		if !strings.Contains(with["key"], string(sum[:64])) {
			j.t.Errorf("cache key %q does not hash the action's go.sum", with["key"])
		}
		want := goEnv(j.t, "GOMODCACHE") + "\n" + goEnv(j.t, "GOCACHE")
		if got := strings.TrimSpace(with["path"]); got != want {
			j.t.Errorf("cache path %q, want %q", got, want)
		}
		return nil, nil
	case "relnotes/relnotes":
		if inAction {
			j.t.Fatal("action.yml uses itself")
		}
		return j.runAction(with)
	}
	j.t.Fatalf("uses %s: the test does not emulate this action", ref)
	return nil, nil
}

// runScript runs a run: step as the runner does and returns what it wrote
// to GITHUB_OUTPUT.
func (j *job) runScript(sc *scope, st step, inAction bool) (map[string]string, error) {
	tmp := j.t.TempDir()
	script := filepath.Join(tmp, "step.sh")
	if err := os.WriteFile(script, []byte(j.eval(sc, st.Run)), 0o600); err != nil {
		j.t.Fatal(err)
	}
	outPath, summaryPath := filepath.Join(tmp, "output"), filepath.Join(tmp, "summary")
	for _, p := range []string{outPath, summaryPath} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			j.t.Fatal(err)
		}
	}
	// What the runner runs for "shell: bash", and for a workflow step
	// without a shell on Linux.
	args := []string{"--noprofile", "--norc", "-eo", "pipefail", script}
	switch {
	case st.Shell == "" && !inAction:
		args = []string{"-e", script}
	case st.Shell != "bash":
		j.t.Fatalf("shell %q: the test runs only bash steps (a composite step must name its shell)", st.Shell)
	}
	cmd := exec.Command("bash", args...)
	cmd.Dir = j.workspace
	env := []string{"GITHUB_OUTPUT=" + outPath, "GITHUB_STEP_SUMMARY=" + summaryPath, "GITHUB_WORKSPACE=" + j.workspace}
	if inAction {
		env = append(env, "GITHUB_ACTION_PATH="+j.root)
	}
	for k, v := range j.env {
		env = append(env, k+"="+v)
	}
	for k, v := range st.Env {
		env = append(env, k+"="+j.eval(sc, v))
	}
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v\n%s", err, out.String())
	}
	b, _ := os.ReadFile(outPath)
	outs, err := parseOutputFile(string(b))
	if err != nil {
		j.t.Fatalf("a step wrote a GITHUB_OUTPUT the runner would reject: %v\n%q", err, b)
	}
	sum, _ := os.ReadFile(summaryPath)
	j.summary.Write(sum)
	return outs, nil
}

// parseOutputFile reads name=value and name<<DELIM ... DELIM entries as the
// runner does, failing on anything it would fail on.
func parseOutputFile(s string) (map[string]string, error) {
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		if name, delim, ok := strings.Cut(l, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for i++; ; i++ {
				if i >= len(lines) {
					return nil, fmt.Errorf("delimiter %q of %q never closed", delim, name)
				}
				if lines[i] == delim {
					break
				}
				val = append(val, lines[i])
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("line %q is neither name=value nor name<<delimiter", l)
		}
		out[name] = val
	}
	return out, nil
}

// docWorkflow returns the first ```yaml block of doc (relative to the
// repository root) that is a workflow triggered by event.
func docWorkflow(t *testing.T, root, doc, event string) workflow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, doc))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?ms)^```ya?ml\n(.*?)^```").FindAllSubmatch(b, -1) {
		var wf workflow
		if yaml.Unmarshal(m[1], &wf) != nil || len(wf.Jobs) == 0 {
			continue
		}
		if _, ok := wf.On[event]; ok {
			return wf
		}
	}
	t.Fatalf("%s shows no workflow that runs on %s", doc, event)
	return workflow{}
}

// tracker is the emulated GitHub of the tests: acme/app, an issue closed
// every 3 days through 2024, labelled bug, enhancement or neither, every
// tenth one a duplicate; releases v1.0.0 and v1.1.0, and tag v1.2.0 pushed
// without a release.
type tracker struct {
	srv    *ghemu.Server
	issues []ghemu.Issue
}

var (
	v110 = time.Date(2024, 3, 26, 10, 0, 0, 0, time.UTC)
	v120 = time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)
)

func newTracker(t *testing.T) *tracker {
	var issues []ghemu.Issue
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 100; i++ {
		closed := start.Add(time.Duration(i) * 72 * time.Hour)
		labels := [][]string{{"bug"}, {"enhancement"}, nil}[i%3]
		if i%10 == 0 {
			labels = append(labels, "R: duplicate")
		}
		issues = append(issues, ghemu.Issue{Repo: "acme/app", Number: i, Title: fmt.Sprintf("Fix `thing` %d <b>", i), Author: "dev",
			State: "closed", StateReason: "completed", Labels: labels, CreatedAt: closed.Add(-time.Hour), UpdatedAt: closed, ClosedAt: closed})
	}
	srv := ghemutest.Start(t, ghemu.Config{Issues: issues, Token: "ghs_test"})
	srv.AddRelease("acme", "app", ghemu.Release{Tag: "v1.0.0", PublishedAt: start.Add(24 * time.Hour)})
	srv.AddRelease("acme", "app", ghemu.Release{Tag: "v1.1.0", PublishedAt: v110, Body: "Hand-written intro.\r\n"})
	srv.AddTag("acme", "app", ghemu.Tag{Name: "v1.2.0", Annotated: true, TaggerDate: v120, CommitDate: v120.Add(-time.Hour)})
	return &tracker{srv: srv, issues: issues}
}

// inWindow returns the issues of v1.2.0's window (after v1.1.0, through
// the tag) that carry none of the labels in exclude.
func (tr *tracker) inWindow(exclude ...string) []ghemu.Issue {
	var in []ghemu.Issue
	for _, is := range tr.issues {
		if is.ClosedAt.After(v110) && !is.ClosedAt.After(v120) && !hasAny(is.Labels, exclude) {
			in = append(in, is)
		}
	}
	return in
}

func hasAny(labels, of []string) bool {
	for _, l := range labels {
		for _, o := range of {
			if l == o {
				return true
			}
		}
	}
	return false
}

// newJob is a runner after a push of tag v1.2.0 to acme/app, with a gh on
// PATH that records its arguments and environment in gh.log, and checkout
// copying the fixture repository testdata/checkout.
func newJob(t *testing.T, tr *tracker) *job {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var af actionFile
	if err := yaml.Unmarshal(b, &af); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if af.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", af.Runs.Using)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the Action builds relnotes with Go (setup-go, emulated by the local go), and go is not on PATH")
	}
	bin := t.TempDir()
	gh := "#!/bin/sh\n{ echo \"GH_REPO=$GH_REPO\"; echo \"GH_TOKEN=$GH_TOKEN\"; for a; do echo \"arg=$a\"; done; } > \"$GH_STUB_LOG\"\n"
	if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(gh), 0o755); err != nil {
		t.Fatal(err)
	}
	checkout, err := filepath.Abs("testdata/checkout")
	if err != nil {
		t.Fatal(err)
	}
	workspace := t.TempDir()
	return &job{t: t, root: root, workspace: workspace, checkout: checkout, action: af,
		env: map[string]string{
			"PATH": bin + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME": os.Getenv("HOME"),
			"GOCACHE": goEnv(t, "GOCACHE"), "GOMODCACHE": goEnv(t, "GOMODCACHE"), "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local",
			"CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_TEMP": t.TempDir(), "RUNNER_OS": "Linux",
			"GITHUB_REPOSITORY": "acme/app", "GITHUB_REF_NAME": "v1.2.0", "GITHUB_REF": "refs/tags/v1.2.0", "GITHUB_REF_TYPE": "tag",
			"GITHUB_EVENT_NAME": "push", "GITHUB_API_URL": tr.srv.URL(), "GITHUB_SERVER_URL": "https://github.com",
			"GH_STUB_LOG": filepath.Join(bin, "gh.log"),
		},
		github: map[string]string{"repository": "acme/app", "ref_name": "v1.2.0", "token": "ghs_test", "action_path": root, "workspace": workspace},
	}
}

// TestReadmeWorkflowOnTagPush runs the README's workflow, as a user copies
// it, on a push of tag v1.2.0: checkout of a repository whose
// .github/release.yml sorts the notes into categories, the Action, and gh
// creating the release with the notes.
func TestReadmeWorkflowOnTagPush(t *testing.T) {
	tr := newTracker(t)
	j := newJob(t, tr)
	wf := docWorkflow(t, j.root, "README.md", "push")
	matched := false
	for _, pat := range wf.On["push"]["tags"] {
		if ok, _ := path.Match(pat, "v1.2.0"); ok {
			matched = true
		}
	}
	if !matched {
		t.Fatalf("the README's workflow does not run on a push of tag v1.2.0: on.push.tags = %q", wf.On["push"]["tags"])
	}
	if wf.Permissions["contents"] != "write" || wf.Permissions["issues"] != "read" {
		t.Errorf("permissions %v: gh release create needs contents: write, the search issues: read", wf.Permissions)
	}
	for _, jb := range wf.Jobs {
		if jb.Steps[0].Uses == "" || !strings.HasPrefix(jb.Steps[0].Uses, "actions/checkout@") {
			t.Errorf("the first step is %q, not a checkout: the configuration would not be read", jb.Steps[0].Uses)
		}
	}

	if err := j.runWorkflow(wf); err != nil {
		t.Fatal(err)
	}

	// gh release create got the tag, the repository and the notes.
	log, err := os.ReadFile(j.env["GH_STUB_LOG"])
	if err != nil {
		t.Fatalf("the workflow never ran gh: %v", err)
	}
	var args []string
	ghEnv := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(string(log), "\n"), "\n") {
		if a, ok := strings.CutPrefix(l, "arg="); ok {
			args = append(args, a)
		} else if k, v, ok := strings.Cut(l, "="); ok {
			ghEnv[k] = v
		}
	}
	if diff := cmp.Diff(map[string]string{"GH_REPO": "acme/app", "GH_TOKEN": "ghs_test"}, ghEnv); diff != "" {
		t.Errorf("gh's environment (-want +got):\n%s", diff)
	}
	notesFile := filepath.Join(j.env["RUNNER_TEMP"], "relnotes-action", "notes.md")
	wantArgs := []string{"release", "create", "v1.2.0", "--verify-tag", "--title", "v1.2.0", "--notes-file", notesFile}
	if diff := cmp.Diff(wantArgs, args); diff != "" {
		t.Errorf("gh arguments (-want +got):\n%s", diff)
	}

	// The notes: the window's issues without the README's excluded labels,
	// in the categories of the checked-out .github/release.yml, which
	// leaves out issues no category takes.
	notes, err := os.ReadFile(notesFile)
	if err != nil {
		t.Fatal(err)
	}
	in := tr.inWindow("R: duplicate", "R: declined")
	var bugs, features, leftOut []int
	for _, is := range in {
		switch {
		case hasAny(is.Labels, []string{"bug"}):
			bugs = append(bugs, is.Number)
		case hasAny(is.Labels, []string{"enhancement"}):
			features = append(features, is.Number)
		default:
			leftOut = append(leftOut, is.Number)
		}
	}
	got := string(notes)
	bugAt, featAt := strings.Index(got, "Bug fixes"), strings.Index(got, "New features")
	if bugAt < 0 || featAt < bugAt {
		t.Fatalf("the notes lack release.yml's categories in order:\n%s", got)
	}
	for _, n := range bugs {
		if i := strings.Index(got, fmt.Sprintf("[#%d](", n)); i < bugAt || i > featAt {
			t.Errorf("bug #%d is not under Bug fixes", n)
		}
	}
	for _, n := range features {
		if i := strings.Index(got, fmt.Sprintf("[#%d](", n)); i < featAt {
			t.Errorf("enhancement #%d is not under New features", n)
		}
	}
	for _, n := range leftOut {
		if strings.Contains(got, fmt.Sprintf("[#%d](", n)) {
			t.Errorf("#%d is in no category of release.yml, yet in the notes", n)
		}
	}
	if len(bugs) == 0 || len(features) == 0 || len(leftOut) == 0 {
		t.Fatalf("the fixture has %d bugs, %d features, %d uncategorised: each must be tried", len(bugs), len(features), len(leftOut))
	}
	if !strings.Contains(j.summary.String(), "Bug fixes") {
		t.Errorf("the job summary lacks the notes: %q", j.summary.String())
	}
}

// TestActionOnTagPush runs the Action alone after a tag push: outputs, step
// summary, escaping, and that rendering asks the API nothing.
func TestActionOnTagPush(t *testing.T) {
	tr := newTracker(t)
	j := newJob(t, tr)
	outs, err := j.runAction(map[string]string{"exclude-labels": "R: duplicate\n  \n"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(j.env["RUNNER_TEMP"], "relnotes-action")
	want := map[string]string{
		"url":        "https://github.com/acme/app/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26T10%3A00%3A01Z..2024-07-13T10%3A00%3A00Z+-label%3A%22R%3A+duplicate%22",
		"count":      strconv.Itoa(len(tr.inWindow("R: duplicate"))),
		"notes-file": filepath.Join(dir, "notes.md"),
		"left-out":   "0",
		// No changelog input: no CHANGELOG kept.
		"changelog-file": "",
	}
	if diff := cmp.Diff(want, outs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	notes, err := os.ReadFile(outs["notes-file"])
	if err != nil {
		t.Fatal(err)
	}
	summary := j.summary.String()
	if summary != string(notes) || !strings.Contains(summary, "thing") {
		t.Errorf("the step summary is not the notes:\nsummary %q\nnotes %q", summary, notes)
	}
	// Markdown escapes the tag's "<" ("\<b>"), which renders as text.
	if strings.Contains(strings.ReplaceAll(summary, `\<`, ""), "<b>") {
		t.Errorf("an issue title's HTML reached the summary unescaped")
	}

	// The notes are rendered from the fetched file: they link the query
	// that was fetched, and no API request came after it was written.
	if !strings.Contains(string(notes), "("+want["url"]+")") {
		t.Errorf("the notes do not link the fetched query %s:\n%s", want["url"], notes)
	}
	// A fetch reads GitHub's clock once (GET /rate_limit) and each release
	// or tag once; a render that asked the API again (say, with --release
	// put back) would read them a second time. Counting requests, unlike
	// comparing the file's time with the requests', holds whatever the
	// file system's clock granularity.
	seen := map[string]int{}
	for _, req := range tr.srv.Requests() {
		if strings.Contains(req.Path, "/search/") {
			continue
		}
		key := req.Method + " " + req.Path + "?" + req.Query.Encode()
		if seen[key]++; seen[key] == 2 {
			t.Errorf("%s was requested twice: rendering asked the API again", key)
		}
	}
	if seen["GET /rate_limit?"] != 1 {
		t.Errorf("GET /rate_limit requested %d times, want once (by the one fetch); requests: %v", seen["GET /rate_limit?"], seen)
	}
}

// TestActionInputs checks that each input reaches relnotes as its flag: the
// query ones in the link, the render ones in the notes, and the notes file
// named for the format.
func TestActionInputs(t *testing.T) {
	tr := newTracker(t)
	dir := func(j *job) string { return filepath.Join(j.env["RUNNER_TEMP"], "relnotes-action") }
	for _, tc := range []struct {
		name      string
		inputs    map[string]string
		query     []string // terms the link's query must hold
		file      string   // notes-file, relative to RUNNER_TEMP/relnotes-action
		notesHave string
		config    string // .relnotes.yml in the workspace, if any
	}{
		{"window and filters", map[string]string{"previous": "v1.0.0", "until": "2024-06-30", "granularity": "day",
			"labels": "bug\n", "exclude-authors": "renovate[bot]\n", "kind": "any", "reason": "any"},
			[]string{"closed:2024-01-02..2024-06-30", "label:bug", "-author:renovate[bot]", "is:closed"}, "notes.md", "thing", ""},
		{"html", map[string]string{"format": "html"}, nil, "notes.html", "<li>", ""},
		{"json", map[string]string{"format": "json"}, nil, "notes.json", `"left_out"`, ""},
		{"announcement with count", map[string]string{"format": "announcement", "count": "true"}, nil, "notes.md", " issues)", ""},
		{"labels and authors shown", map[string]string{"show-labels": "true", "show-authors": "true"}, nil, "notes.md", "by @", ""},
		{"template", map[string]string{"template": "notes.tmpl"}, nil, "notes.txt", "TEMPLATE 1 v1.2.0", ""},
		// The configuration's query defaults apply; its format and template
		// do not, so the notes file's name stays true.
		{"configuration", nil, []string{`-label:"R: duplicate"`}, "notes.md", "- Fix", "exclude-labels: [\"R: duplicate\"]\nformat: html\ntemplate: notes.tmpl\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := newJob(t, tr)
			if err := os.WriteFile(filepath.Join(j.workspace, "notes.tmpl"), []byte("TEMPLATE {{len .Sections}} v1.2.0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.config != "" {
				if err := os.WriteFile(filepath.Join(j.workspace, ".relnotes.yml"), []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			outs, err := j.runAction(tc.inputs)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(outs["url"])
			if err != nil {
				t.Fatal(err)
			}
			q := " " + u.Query().Get("q") + " "
			for _, term := range tc.query {
				if !strings.Contains(q, " "+term+" ") {
					t.Errorf("query %q lacks %q", q, term)
				}
			}
			if got, want := outs["notes-file"], filepath.Join(dir(j), tc.file); got != want {
				t.Errorf("notes-file %q, want %q", got, want)
			}
			notes, err := os.ReadFile(outs["notes-file"])
			if err != nil || !strings.Contains(string(notes), tc.notesHave) {
				t.Errorf("notes (%v) lack %q:\n%s", err, tc.notesHave, notes)
			}
		})
	}
}

// TestActionRefusesBadInputs: each bad input stops the step with exit
// code 2 and one line naming it, before anything is fetched.
func TestActionRefusesBadInputs(t *testing.T) {
	tr := newTracker(t)
	for _, tc := range []struct {
		inputs map[string]string
		want   string
	}{
		{map[string]string{"publish": "yes"}, "publish must be true or false, not 'yes'"},
		{map[string]string{"count": "1"}, "count must be true, false or empty, not '1'"},
		{map[string]string{"format": "md"}, "format must be announcement, markdown, html or json, not 'md'"},
		{map[string]string{"format": "html", "template": "x.tmpl"}, "format and template both say how to render"},
		{map[string]string{"publish": "true", "format": "json"}, "publish writes Markdown into the release body"},
	} {
		j := newJob(t, tr)
		before := len(tr.srv.Requests())
		_, err := j.runAction(tc.inputs)
		if err == nil || !strings.Contains(err.Error(), "exit status 2") || !strings.Contains(err.Error(), "relnotes action: "+tc.want) {
			t.Errorf("inputs %v: %v, want exit 2 with %q", tc.inputs, err, tc.want)
		}
		if n := len(tr.srv.Requests()) - before; n != 0 {
			t.Errorf("inputs %v: %d API requests before refusing", tc.inputs, n)
		}
	}
}

// TestActionInputsStayData: an input holding shell syntax reaches relnotes
// as text; nothing of it runs.
func TestActionInputsStayData(t *testing.T) {
	tr := newTracker(t)
	j := newJob(t, tr)
	label := `R: 'x' $(touch pwned) ` + "`touch pwned2` '; touch pwned3; '"
	if err := os.Mkdir(filepath.Join(j.workspace, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	outs, err := j.runAction(map[string]string{"exclude-labels": label, "notes-file": "out/notes $(touch pwned4).md"})
	if err != nil {
		t.Fatal(err)
	}
	// A search cannot hold a double quote in a label: relnotes refuses it,
	// naming the label as text.
	_, err = j.runAction(map[string]string{"exclude-labels": `"$(touch pwned5)"`})
	if err == nil || !strings.Contains(err.Error(), `excluded label "\"$(touch pwned5)\"" contains a double quote`) {
		t.Errorf("a label with double quotes: %v", err)
	}
	for _, d := range []string{j.workspace, j.env["RUNNER_TEMP"], j.root} {
		filepath.WalkDir(d, func(p string, _ fs.DirEntry, _ error) error {
			if strings.HasPrefix(filepath.Base(p), "pwned") {
				t.Errorf("an input ran as a command: %s exists", p)
			}
			return nil
		})
	}
	u, _ := url.Parse(outs["url"])
	if q := u.Query().Get("q"); !strings.Contains(q, `-label:"`+label+`"`) {
		t.Errorf("the label did not reach the query as text: %q", q)
	}
	if want := filepath.Join(j.workspace, "out", "notes $(touch pwned4).md"); outs["notes-file"] != want {
		t.Errorf("notes-file %q, want %q", outs["notes-file"], want)
	}
}

// TestDocsWorkflowOnRelease runs docs/action.md's release: published
// workflow twice for v1.1.0: the notes go into the body once, after the
// hand-written intro, and the second run sends nothing.
func TestDocsWorkflowOnRelease(t *testing.T) {
	tr := newTracker(t)
	wf := docWorkflow(t, "..", "docs/action.md", "release")
	if types := wf.On["release"]["types"]; !cmp.Equal(types, []string{"published"}) {
		t.Errorf("on.release.types = %q, want [published]", types)
	}
	if wf.Permissions["contents"] != "write" {
		t.Errorf("permissions %v: publish needs contents: write", wf.Permissions)
	}
	for i := 0; i < 2; i++ {
		j := newJob(t, tr)
		j.github["ref_name"], j.env["GITHUB_REF_NAME"], j.env["GITHUB_REF"], j.env["GITHUB_EVENT_NAME"] = "v1.1.0", "v1.1.0", "refs/tags/v1.1.0", "release"
		if err := j.runWorkflow(wf); err != nil {
			t.Fatal(err)
		}
	}
	var body string
	for _, rel := range tr.srv.Releases("acme", "app") {
		if rel.Tag == "v1.1.0" {
			body = rel.Body
		}
	}
	if !strings.HasPrefix(body, "Hand-written intro.\r\n\n"+releases.StartMarker+"\n") || !strings.HasSuffix(body, releases.EndMarker+"\n") {
		t.Errorf("published body %q", body)
	}
	if !strings.Contains(body, "Bug fixes") {
		t.Errorf("the published notes lack the checked-out release.yml's categories: %q", body)
	}
	patches := 0
	for _, req := range tr.srv.Requests() {
		if req.Method == "PATCH" {
			patches++
		}
	}
	if patches != 1 {
		t.Errorf("two publishing runs sent %d PATCHes, want 1", patches)
	}
}

func goEnv(t *testing.T, k string) string {
	t.Helper()
	out, err := exec.Command("go", "env", k).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestActionChangelog: the changelog input keeps a CHANGELOG in the
// workspace: one section per release, v1.2.0's linking exactly the url
// output, and a second run leaves the file byte for byte as it was.
func TestActionChangelog(t *testing.T) {
	tr := newTracker(t)
	j := newJob(t, tr)
	outs, err := j.runAction(map[string]string{"exclude-labels": "R: duplicate", "changelog": "CHANGELOG.md"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(j.workspace, "CHANGELOG.md")
	if outs["changelog-file"] != path {
		t.Errorf("changelog-file output %q, want %q", outs["changelog-file"], path)
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(first)
	for _, want := range []string{"## v1.2.0", "## v1.1.0", "## v1.0.0", "(" + outs["url"] + ")"} {
		if !strings.Contains(text, want) {
			t.Errorf("CHANGELOG.md lacks %q:\n%s", want, text)
		}
	}
	if i, k := strings.Index(text, "## v1.2.0"), strings.Index(text, "## v1.1.0"); i < 0 || k < 0 || i > k {
		t.Errorf("sections are not newest first:\n%s", text)
	}
	if _, err := j.runAction(map[string]string{"exclude-labels": "R: duplicate", "changelog": "CHANGELOG.md"}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != text {
		t.Errorf("a second run changed CHANGELOG.md:\n%s", again)
	}
	if _, err := j.runAction(map[string]string{"changelog": "a.md\nb.md"}); err == nil {
		t.Errorf("a changelog input of two lines was accepted")
	}
}
