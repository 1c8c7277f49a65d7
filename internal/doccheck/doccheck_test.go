package doccheck

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const root = "../.."

// docs returns README.md and every docs/*.md, by path relative to root.
func docs(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md"}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		rel, _ := filepath.Rel(root, m)
		files = append(files, rel)
	}
	return files
}

func read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A citation is `DIR TestName` (or `DIR TestName/subtest`), as the docs
// write them; a name that follows a cited one in the same backquotes-list
// inherits its DIR (`cmd/relnotes TestA`, `TestB`).
var citation = regexp.MustCompile("`((?:[a-z]+/)*[a-z]+) ((?:Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*)(?:/[^`]*)?`((?:, `(?:Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*(?:/[^`]*)?`)*)")
var bare = regexp.MustCompile("`((?:Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*)")

// TestCitedTestsExist: a promise in the docs names the test that holds it;
// a renamed or deleted test must not leave the docs citing nothing.
func TestCitedTestsExist(t *testing.T) {
	defined := map[string]bool{} // "dir Name"
	decl := regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Example|Benchmark)[A-Za-z0-9_]*)\(`)
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
			defined[filepath.ToSlash(dir)+" "+m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range docs(t) {
		for _, m := range citation.FindAllStringSubmatch(read(t, f), -1) {
			dir := m[1]
			names := []string{m[2]}
			for _, b := range bare.FindAllStringSubmatch(m[3], -1) {
				names = append(names, b[1])
			}
			for _, name := range names {
				n++
				if !defined[dir+" "+name] {
					t.Errorf("%s cites `%s %s`, which no _test.go in %s declares", f, dir, name, dir)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("found only %d test citations in the docs; the pattern no longer matches how they cite tests", n)
	}
}

var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestRelativeLinksResolve: every relative link in README.md and docs/
// names a file that exists and, with a #fragment, a heading in it.
func TestRelativeLinksResolve(t *testing.T) {
	for _, f := range docs(t) {
		for _, m := range link.FindAllStringSubmatch(prose(read(t, f)), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			rel := f
			if file != "" {
				rel = filepath.Join(filepath.Dir(f), file)
			}
			if _, err := os.Stat(filepath.Join(root, rel)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, target)
				continue
			}
			if frag != "" && strings.HasSuffix(rel, ".md") && !hasAnchor(read(t, rel), frag) {
				t.Errorf("%s links to %s, but %s has no heading with anchor #%s", f, target, rel, frag)
			}
		}
	}
}

var codeSpan = regexp.MustCompile("`[^`\n]*`")

// prose is md without fenced code blocks and code spans, where a link is an
// example, not a link.
func prose(md string) string {
	var b strings.Builder
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
			continue
		}
		if !inFence {
			b.WriteString(codeSpan.ReplaceAllString(line, ""))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// hasAnchor reports whether md has a heading whose GitHub anchor is frag:
// lower-cased, punctuation other than - and _ removed, spaces as -.
func hasAnchor(md, frag string) bool {
	inFence := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
				b.WriteRune(r)
			}
		}
		if b.String() == frag {
			return true
		}
	}
	return false
}
