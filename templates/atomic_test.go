package templates

import (
	"errors"
	"io"
	"os"
	"path/filepath"
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
			err := WriteFileAtomic(path, tt.render)
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
	if err := WriteFileAtomic(fresh, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v, want 0644", st.Mode().Perm())
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x.md"), func(io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if err := WriteFileAtomic(dir, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("writing over a directory: %v", err)
	}
}
