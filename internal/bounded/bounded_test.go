package bounded

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadAll(t *testing.T) {
	tests := []struct {
		in     string
		limit  int64
		want   string
		tooBig bool
	}{
		{"", 0, "", false},
		{"abc", 3, "abc", false},
		{"abcd", 3, "", true},
		{"abc", 1 << 20, "abc", false},
	}
	for _, tt := range tests {
		got, err := ReadAll(strings.NewReader(tt.in), "in", tt.limit)
		var tl *TooLargeError
		if tt.tooBig != errors.As(err, &tl) {
			t.Errorf("ReadAll(%q, %d): err = %v, want too large %v", tt.in, tt.limit, err, tt.tooBig)
			continue
		}
		if tt.tooBig {
			if diff := cmp.Diff(&TooLargeError{Name: "in", Limit: tt.limit}, tl); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			continue
		}
		if string(got) != tt.want {
			t.Errorf("ReadAll(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

// TestReadFileDevZero: a path to an endless file ends with the size error
// after reading just over the limit, fast.
func TestReadFileDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	start := time.Now()
	_, err := ReadFile("/dev/zero", ConfigLimit)
	if got, want := err.Error(), "/dev/zero is larger than 1 MiB"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "nope"), 10)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want not exist", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 64 << 10: "64 KiB",
		1 << 20: "1 MiB", 1<<20 + 1: "1048577 bytes", 1 << 30: "1 GiB",
	} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
