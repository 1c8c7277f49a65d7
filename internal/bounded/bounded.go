// Package bounded reads files and streams up to a size limit, so that a
// wrong path (/dev/zero, a log, a disk image) ends at once with a clear
// error instead of filling memory.
package bounded

import (
	"fmt"
	"io"
	"os"
)

// Limits for the files relnotes reads whole. Each is far above any real
// file of its kind; what exceeds it is not that kind of file.
const (
	ConfigLimit   = 1 << 20  // .relnotes.yml, .github/release.yml
	TemplateLimit = 1 << 20  // a text/template file
	TokenLimit    = 64 << 10 // a token file (tokens are under 300 bytes)
	NotesLimit    = 16 << 20 // a release body file (GitHub takes 125 000 characters)
	InputLimit    = 1 << 30  // relnotes JSON or saved issues (about a million issues)
)

// TooLargeError reports a file or stream longer than its limit.
type TooLargeError struct {
	Name  string // path, or a description of the stream
	Limit int64  // bytes
}

// Error says what was too large and the limit, in words: "FILE is larger
// than 1 MiB".
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s", e.Name, Size(e.Limit))
}

// ReadFile reads the file at path, failing with *TooLargeError as soon as
// more than limit bytes have been read. Errors opening or reading the file
// are returned as os.ReadFile returns them.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, limit)
}

// ReadAll reads r to the end, failing with *TooLargeError (naming name) as
// soon as more than limit bytes have been read: it never reads more than
// limit+1 bytes.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return b, nil
}

// Size writes a byte count the way people read it: "64 KiB", "1 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
