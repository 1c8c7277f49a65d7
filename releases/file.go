package releases

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// File is a Source that reads "version,date-or-instant" lines, for projects
// with no tags at all. Blank lines and lines starting with # are skipped. A
// date (2024-03-26) means 00:00:00 UTC that day, so that with either
// granularity the release lists the issues closed before that day; an
// instant is RFC 3339 with a zone (2024-03-26T14:05:00Z, ...+02:00).
type File struct {
	Path string
}

// Releases reads and parses the file.
func (f File) Releases(context.Context) ([]Release, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, &Error{Op: OpFile, Value: f.Path, Err: err}
	}
	defer fh.Close()
	rels, err := ParseFile(fh, f.Path)
	if err != nil {
		return nil, &Error{Op: OpFile, Value: f.Path, Err: err}
	}
	return rels, nil
}

// ParseError is a bad line of a releases file.
type ParseError struct {
	Name string // file name as given
	Line int    // 1-based
	Text string // the line
	Err  error
}

// Error names the file, line and problem and shows the expected format.
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %v (line %q); write lines as version,date such as 4.2.3,2024-09-09 or 4.2.3,2024-09-09T12:00:00Z", e.Name, e.Line, e.Err, e.Text)
}

// Unwrap returns the problem with the line.
func (e *ParseError) Unwrap() error { return e.Err }

// ParseFile parses a releases file; name is used in errors. Every bad line is
// a *ParseError; a version listed twice is an error, because its window would
// be ambiguous.
func ParseFile(r io.Reader, name string) ([]Release, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var out []Release
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rel, err := parseLine(line)
		if err == nil {
			if first, dup := seen[rel.Tag]; dup {
				err = fmt.Errorf("version %s is already listed on line %d", rel.Tag, first)
			}
		}
		if err != nil {
			return nil, &ParseError{Name: name, Line: n, Text: line, Err: err}
		}
		seen[rel.Tag] = n
		out = append(out, rel)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("releases: read %s: %w", name, err)
	}
	return out, nil
}

func parseLine(line string) (Release, error) {
	ver, when, ok := strings.Cut(line, ",")
	ver, when = strings.TrimSpace(ver), strings.TrimSpace(when)
	if !ok || ver == "" || when == "" {
		return Release{}, errors.New("expected version,date")
	}
	if strings.ContainsAny(ver, " \t,") {
		return Release{}, fmt.Errorf("version %q contains a space or comma", ver)
	}
	var t time.Time
	var err error
	if len(when) == len("2006-01-02") {
		t, err = time.Parse("2006-01-02", when)
	} else {
		t, err = time.Parse(time.RFC3339, when)
	}
	if err != nil {
		return Release{}, fmt.Errorf("%q is not a date (YYYY-MM-DD) or an RFC 3339 instant", when)
	}
	return Release{
		Tag:        ver,
		Time:       t.UTC().Truncate(time.Second),
		Prerelease: IsPrerelease(ver),
		Origin:     OriginFile,
	}, nil
}
