package templates

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.md")
	old := []byte("previous release notes\n")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("render failed")
	tests := []struct {
		name   string
		render func(io.Writer) error
		want   string // file content afterwards
		err    error
	}{
		{"failing render after partial output", func(w io.Writer) error {
			io.WriteString(w, strings.Repeat("partial ", 100000))
			return boom
		}, string(old), boom},
		{"failing render before output", func(io.Writer) error { return boom }, string(old), boom},
		{"success replaces the file", func(w io.Writer) error {
			_, err := io.WriteString(w, "new notes\n")
			return err
		}, "new notes\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFileAtomic(context.Background(), path, tt.render)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("WriteFileAtomic = %v, want %v", err, tt.err)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil || string(got) != tt.want {
				t.Errorf("file holds %.40q (%v), want %.40q", got, rerr, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only the output (temporary file left behind)", len(entries))
			}
		})
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after replace = %v, %v; want the old file's 0600", st.Mode(), err)
	}

	fresh := filepath.Join(dir, "fresh.html")
	if err := WriteFileAtomic(context.Background(), fresh, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v, want 0644", st.Mode().Perm())
	}
	if err := WriteFileAtomic(context.Background(), filepath.Join(dir, "missing", "x.md"), func(io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if err := WriteFileAtomic(context.Background(), dir, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("writing over a directory: %v", err)
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteFileAtomicSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "site", "notes.md")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "notes.md")
	if err := os.Symlink(filepath.Join("site", "notes.md"), link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(context.Background(), link, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	if got, _ := os.ReadFile(real); string(got) != "new" {
		t.Errorf("target holds %q, want new", got)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("target mode = %v, want its old 0600", st.Mode().Perm())
	}
	// The temporary file lives beside the target, so the rename is atomic
	// even when the link and the target are on different file systems.
	for _, d := range []string{dir, filepath.Dir(real)} {
		if m, _ := filepath.Glob(filepath.Join(d, ".*tmp-*")); len(m) != 0 {
			t.Errorf("temporary files left: %v", m)
		}
	}
}

func TestWriteFileAtomicRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.md")
	// A process that has exited: its pid names no process now.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1) to get a dead pid:", err)
	}
	dead := cmd.Process.Pid
	stale := filepath.Join(dir, ".notes.md.tmp-"+strconv.Itoa(dead)+"-123")
	live := filepath.Join(dir, ".notes.md.tmp-"+strconv.Itoa(os.Getpid())+"-456")
	other := filepath.Join(dir, ".other.md.tmp-"+strconv.Itoa(dead)+"-789")
	for _, f := range []string{stale, live, other} {
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFileAtomic(context.Background(), path, writeString("x")); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{stale: false, live: true, other: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}

func TestWriteFileAtomicCancelAndLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := WriteFileAtomic(ctx, path, func(w io.Writer) error {
		io.WriteString(w, "some")
		cancel() // a signal arrives mid-render
		for i := 0; i < 1<<20; i++ {
			if _, err := w.Write(make([]byte, 64<<10)); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled render: err = %v, want context.Canceled", err)
	}
	var tooLarge *OutputTooLargeError
	err = WriteFileAtomic(context.Background(), path, func(w io.Writer) error {
		buf := make([]byte, 1<<20)
		for {
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	})
	if !errors.As(err, &tooLarge) {
		t.Errorf("endless render: err = %v, want *OutputTooLargeError", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("file holds %.20q after failed renders, want old", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the output", len(entries))
	}
}

func TestOutputPath(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, err string
	}{
		{filepath.Join(dir, "ok.md"), ""},
		{filepath.Join(dir, "missing", "x.md"), "does not exist"},
		{dir, "not a regular file"},
		{filepath.Join(ro, "x.md"), "not writable"},
	}
	for _, tt := range tests {
		_, err := OutputPath(tt.path)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			if tt.err == "not writable" && os.Geteuid() == 0 {
				continue // root writes anywhere
			}
			t.Errorf("OutputPath(%s) = %v, want an error containing %q", tt.path, err, tt.err)
		}
	}
}
