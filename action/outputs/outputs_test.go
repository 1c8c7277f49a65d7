package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestOutputEntryDelimiter(t *testing.T) {
	// A value that contains the first delimiter tried forces a second one.
	first := "ghadelimiter_" + strings.Repeat("00", 16)
	random := bytes.NewReader(append(make([]byte, 16), bytes.Repeat([]byte{1}, 16)...))
	got, err := outputEntry("url", "a\n"+first+"\nb", random)
	if err != nil {
		t.Fatal(err)
	}
	want := "url<<ghadelimiter_" + strings.Repeat("01", 16) + "\na\n" + first + "\nb\nghadelimiter_" + strings.Repeat("01", 16) + "\n"
	if got != want {
		t.Errorf("outputEntry = %q, want %q", got, want)
	}
}

func TestSummaryCap(t *testing.T) {
	line := strings.Repeat("é", 100) + "\n" // 201 bytes, multi-byte characters
	big := strings.Repeat(line, maxSummary/len(line)+50)
	got := summary(big)
	if len(got) > maxSummary || !utf8.ValidString(got) || !strings.HasSuffix(got, truncationNote) {
		t.Fatalf("summary: %d bytes, valid UTF-8 %v, note %v", len(got), utf8.ValidString(got), strings.HasSuffix(got, truncationNote))
	}
	if !strings.HasPrefix(big, strings.TrimSuffix(got, truncationNote)) || !strings.HasSuffix(strings.TrimSuffix(got, truncationNote), "\n") {
		t.Error("the cut is not at a line boundary of the notes")
	}
	if got := summary("short"); got != "short\n" {
		t.Errorf("summary(short) = %q", got)
	}
}

func TestRunWritesFiles(t *testing.T) {
	dir := t.TempDir()
	cl := filepath.Join(dir, "cl.json")
	notes := filepath.Join(dir, "notes.md")
	os.WriteFile(cl, []byte(`{"url":"https://github.com/o/r/issues?q=a&b","total":7,"issues":[],"left_out":2}`), 0o644)
	os.WriteFile(notes, []byte("- #1 Fix\n"), 0o644)
	env := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "out"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "sum")}
	var stderr bytes.Buffer
	if code := run([]string{"--changelog", cl, "--notes", notes}, func(k string) string { return env[k] }, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out, _ := os.ReadFile(env["GITHUB_OUTPUT"])
	want := map[string]string{"url": "https://github.com/o/r/issues?q=a&b", "count": "7", "notes-file": notes, "left-out": "2"}
	if diff := cmp.Diff(want, readOutputs(t, string(out))); diff != "" {
		t.Errorf("GITHUB_OUTPUT (-want +got):\n%s", diff)
	}
	if sum, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"]); string(sum) != "- #1 Fix\n" {
		t.Errorf("summary %q", sum)
	}
	if code := run([]string{"--changelog", filepath.Join(dir, "missing"), "--notes", notes}, func(string) string { return "" }, &stderr); code != 1 {
		t.Errorf("a missing changelog exited %d, want 1", code)
	}
}

// readOutputs reads the name<<DELIM entries outputEntry writes.
func readOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for s != "" {
		head, rest, _ := strings.Cut(s, "\n")
		name, delim, ok := strings.Cut(head, "<<")
		value, after, found := strings.Cut(rest, "\n"+delim+"\n")
		if !ok || !found {
			t.Fatalf("malformed GITHUB_OUTPUT entry at %q", s)
		}
		got[name], s = value, after
	}
	return got
}
