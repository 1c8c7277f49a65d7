package releases

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func TestParseFile(t *testing.T) {
	in := "# Qubes OS releases\n\n4.2.1,2024-03-26\n 4.2.2 , 2024-07-13T10:00:00Z \n4.2.3-rc1,2024-08-20T10:00:00+02:00\r\n"
	got, err := ParseFile(strings.NewReader(in), "releases.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Release{
		{Tag: "4.2.1", Time: ts("2024-03-26T00:00:00Z"), Origin: OriginFile},
		{Tag: "4.2.2", Time: ts("2024-07-13T10:00:00Z"), Origin: OriginFile},
		{Tag: "4.2.3-rc1", Time: ts("2024-08-20T08:00:00Z"), Origin: OriginFile, Prerelease: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseFile (-want +got):\n%s", diff)
	}
}

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		in   string
		line int
		msg  string
	}{
		{"4.2.1\n", 1, "expected version,date"},
		{"# c\n4.2.1,2024-13-01\n", 2, `"2024-13-01" is not a date`},
		{"4.2.1,2024-03-26\n4.2.1,2024-03-27\n", 2, "already listed on line 1"},
		{"4 2,2024-03-26\n", 1, "contains a space"},
		{",2024-03-26\n", 1, "expected version,date"},
		{"4.2.1,2024-03-26 10:00\n", 1, "is not a date"},
	}
	for _, tt := range tests {
		_, err := ParseFile(strings.NewReader(tt.in), "r.csv")
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseFile(%q) = %v, want a *ParseError on line %d mentioning %q", tt.in, err, tt.line, tt.msg)
		}
	}
}

// FuzzParseFile: every failure is a *ParseError with a line number inside
// the input, and every success round-trips through the file format.
func FuzzParseFile(f *testing.F) {
	f.Add("4.2.1,2024-03-26\n4.2.2,2024-07-13T10:00:00Z\n")
	f.Add("# x\n\nv1,2024-01-01\n")
	f.Add("a,b,c")
	f.Fuzz(func(t *testing.T, in string) {
		rels, err := ParseFile(strings.NewReader(in), "f")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				if strings.Contains(err.Error(), "token too long") {
					return
				}
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Line < 1 || pe.Line > strings.Count(in, "\n")+1 {
				t.Fatalf("line %d outside the input", pe.Line)
			}
			return
		}
		var sb strings.Builder
		for _, r := range rels {
			sb.WriteString(r.Tag + "," + r.Time.Format("2006-01-02T15:04:05Z07:00") + "\n")
		}
		again, err := ParseFile(strings.NewReader(sb.String()), "f")
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if diff := cmp.Diff(rels, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

func TestFileSource(t *testing.T) {
	p := filepath.Join(t.TempDir(), "releases.csv")
	if err := os.WriteFile(p, []byte("1.0.0,2024-01-01\n1.1.0,2024-02-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	span, err := Plan(context.Background(), File{Path: p}, Options{Release: "1.1.0", Granularity: filters.GranularityDay})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := span.Window.String(), "2024-01-01..2024-01-31"; got != want {
		t.Errorf("window = %s, want %s", got, want)
	}
	if _, err := (File{Path: p + ".missing"}).Releases(context.Background()); err == nil {
		t.Error("a missing file gave no error")
	}
}

func TestGitSource(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("2024-01-01T00:00:00Z", "init", "-q")
	git("2024-01-01T10:00:00Z", "commit", "-q", "--allow-empty", "-m", "one")
	git("2024-01-05T09:00:00+02:00", "tag", "-a", "v1.0.0", "-m", "v1.0.0") // tagger date differs from the commit
	git("2024-02-01T12:00:00Z", "commit", "-q", "--allow-empty", "-m", "two")
	git("2024-03-01T00:00:00Z", "tag", "v1.1.0") // lightweight: the commit date counts
	git("2024-02-10T00:00:00Z", "tag", "-a", "v1.1.0-rc1", "-m", "rc")

	rels, err := Git{Dir: dir}.Releases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	Sort(rels)
	want := []Release{
		{Tag: "v1.0.0", Time: ts("2024-01-05T07:00:00Z"), Origin: OriginAnnotatedTag},
		{Tag: "v1.1.0-rc1", Time: ts("2024-02-10T00:00:00Z"), Origin: OriginAnnotatedTag, Prerelease: true},
		{Tag: "v1.1.0", Time: ts("2024-02-01T12:00:00Z"), Origin: OriginCommit},
	}
	if diff := cmp.Diff(want, rels); diff != "" {
		t.Errorf("Git.Releases (-want +got):\n%s", diff)
	}
	if _, err := (Git{Dir: filepath.Join(dir, "nope")}).Releases(context.Background()); err == nil {
		t.Error("a missing repository gave no error")
	}
}
