// Package action_test runs the steps of ../action.yml the way a GitHub
// runner does (bash, the runner's environment variables, inputs through
// ${{ }} expressions) against the GitHub API emulator, and checks the
// Action's outputs, its step summary and the published release body.
package action_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
	"github.com/relnotes/relnotes/releases"
)

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			Shell string            `yaml:"shell"`
			Env   map[string]string `yaml:"env"`
			Run   string            `yaml:"run"`
			Uses  string            `yaml:"uses"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// runner evaluates the few expressions action.yml uses and runs its steps.
type runner struct {
	t       *testing.T
	root    string // the repository root: the action's path
	env     map[string]string
	github  map[string]string
	inputs  map[string]string
	outputs map[string]map[string]string // step id -> outputs
}

func (r *runner) eval(s string) string {
	return expr.ReplaceAllStringFunc(s, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch {
		case strings.HasPrefix(e, "inputs."):
			return r.inputs[strings.TrimPrefix(e, "inputs.")]
		case strings.HasPrefix(e, "github."):
			v, ok := r.github[strings.TrimPrefix(e, "github.")]
			if !ok {
				r.t.Fatalf("action.yml uses %s, which the test runner does not provide", e)
			}
			return v
		case strings.HasPrefix(e, "steps."):
			parts := strings.SplitN(strings.TrimPrefix(e, "steps."), ".", 3)
			return r.outputs[parts[0]][parts[2]]
		}
		r.t.Fatalf("unsupported expression %s", m)
		return ""
	})
}

// run executes every step and returns the Action's outputs and summary.
func (r *runner) run(af actionFile, given map[string]string) (map[string]string, string, error) {
	r.inputs = map[string]string{}
	r.outputs = map[string]map[string]string{}
	for name, in := range af.Inputs {
		r.inputs[name] = r.eval(in.Default)
	}
	for k, v := range given {
		if _, ok := af.Inputs[k]; !ok {
			r.t.Fatalf("input %q is not declared in action.yml", k)
		}
		r.inputs[k] = v
	}
	tmp := r.t.TempDir()
	summaryPath := filepath.Join(tmp, "summary.md")
	for i, st := range af.Runs.Steps {
		if st.Uses != "" || st.Shell != "bash" {
			r.t.Fatalf("step %d: the test runs only bash steps", i)
		}
		script := filepath.Join(tmp, fmt.Sprintf("step%d.sh", i))
		if err := os.WriteFile(script, []byte(r.eval(st.Run)), 0o600); err != nil {
			r.t.Fatal(err)
		}
		outPath := filepath.Join(tmp, fmt.Sprintf("output%d", i))
		if err := os.WriteFile(outPath, nil, 0o600); err != nil {
			r.t.Fatal(err)
		}
		// What the runner runs for "shell: bash".
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = tmp
		env := []string{"GITHUB_OUTPUT=" + outPath, "GITHUB_STEP_SUMMARY=" + summaryPath, "GITHUB_ACTION_PATH=" + r.root}
		for k, v := range r.env {
			env = append(env, k+"="+v)
		}
		for k, v := range st.Env {
			env = append(env, k+"="+r.eval(v))
		}
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return nil, "", fmt.Errorf("step %d (%s): %v\n%s", i, st.ID, err, out.String())
		}
		b, _ := os.ReadFile(outPath)
		outs, err := parseOutputFile(string(b))
		if err != nil {
			r.t.Fatalf("step %d wrote a GITHUB_OUTPUT the runner would reject: %v\n%q", i, err, b)
		}
		if st.ID != "" {
			r.outputs[st.ID] = outs
		}
	}
	res := map[string]string{}
	for name, o := range af.Outputs {
		res[name] = r.eval(o.Value)
	}
	summary, _ := os.ReadFile(summaryPath)
	return res, string(summary), nil
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

func TestActionOnTagPush(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the Action builds relnotes with the runner's Go, and go is not on PATH")
	}
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

	// Issues every 3 days through 2024; releases of acme/app.
	var issues []ghemu.Issue
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 100; i++ {
		closed := start.Add(time.Duration(i) * 72 * time.Hour)
		labels := []string(nil)
		if i%10 == 0 {
			labels = []string{"R: duplicate"}
		}
		issues = append(issues, ghemu.Issue{Repo: "acme/app", Number: i, Title: fmt.Sprintf("Fix `thing` %d <b>", i), Author: "dev",
			State: "closed", StateReason: "completed", Labels: labels, CreatedAt: closed.Add(-time.Hour), UpdatedAt: closed, ClosedAt: closed})
	}
	srv := ghemutest.Start(t, ghemu.Config{Issues: issues, Token: "ghs_test"})
	v110 := time.Date(2024, 3, 26, 10, 0, 0, 0, time.UTC)
	v120 := time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)
	srv.AddRelease("acme", "app", ghemu.Release{Tag: "v1.0.0", PublishedAt: start.Add(24 * time.Hour)})
	srv.AddRelease("acme", "app", ghemu.Release{Tag: "v1.1.0", PublishedAt: v110, Body: "Hand-written intro.\r\n"})
	srv.AddTag("acme", "app", ghemu.Tag{Name: "v1.2.0", Annotated: true, TaggerDate: v120, CommitDate: v120.Add(-time.Hour)}) // pushed, no release yet

	r := &runner{t: t, root: root,
		env: map[string]string{
			"PATH": os.Getenv("PATH"), "HOME": os.Getenv("HOME"), "GOCACHE": goEnv(t, "GOCACHE"), "GOMODCACHE": goEnv(t, "GOMODCACHE"),
			"GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local",
			"CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_TEMP": t.TempDir(),
			"GITHUB_REPOSITORY": "acme/app", "GITHUB_REF_NAME": "v1.2.0", "GITHUB_REF": "refs/tags/v1.2.0",
			"GITHUB_API_URL": srv.URL(), "GITHUB_SERVER_URL": "https://github.com",
		},
		github: map[string]string{"repository": "acme/app", "ref_name": "v1.2.0", "token": "ghs_test", "action_path": root},
	}

	// 1. On the tag push: no release yet, so the tag's date ends the window.
	outs, summary, err := r.run(af, map[string]string{"exclude-labels": "R: duplicate\n  \n"})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, is := range issues {
		if is.ClosedAt.After(v110) && !is.ClosedAt.After(v120) && len(is.Labels) == 0 {
			want++
		}
	}
	wantURL := "https://github.com/acme/app/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-03-26T10%3A00%3A01Z..2024-07-13T10%3A00%3A00Z+-label%3A%22R%3A+duplicate%22"
	if outs["url"] != wantURL {
		t.Errorf("url output\n got %s\nwant %s", outs["url"], wantURL)
	}
	if outs["count"] != strconv.Itoa(want) {
		t.Errorf("count output %q, want %d", outs["count"], want)
	}
	notes, err := os.ReadFile(outs["notes-file"])
	if err != nil {
		t.Fatalf("notes-file output %q: %v", outs["notes-file"], err)
	}
	if summary != string(notes) || !strings.Contains(summary, "thing") {
		t.Errorf("the step summary is not the notes:\nsummary %q\nnotes %q", summary, notes)
	}
	// Markdown escapes the tag's "<" ("\<b>"), which renders as text.
	if strings.Contains(strings.ReplaceAll(summary, `\<`, ""), "<b>") {
		t.Errorf("an issue title's HTML reached the summary unescaped")
	}

	// 2. Publish into v1.1.0's release, twice: one change, intro kept.
	r.github["ref_name"] = "v1.1.0"
	for i := 0; i < 2; i++ {
		if _, _, err := r.run(af, map[string]string{"publish": "true", "format": "markdown"}); err != nil {
			t.Fatal(err)
		}
	}
	var body string
	for _, rel := range srv.Releases("acme", "app") {
		if rel.Tag == "v1.1.0" {
			body = rel.Body
		}
	}
	if !strings.HasPrefix(body, "Hand-written intro.\r\n\n"+releases.StartMarker+"\n") || !strings.HasSuffix(body, releases.EndMarker+"\n") {
		t.Errorf("published body %q", body)
	}
	patches := 0
	for _, req := range srv.Requests() {
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
