package main

import (
	"path/filepath"
	"testing"
)

// TestBadInputExitsTwo: bad input is the caller's to fix: each case exits 2
// with one line that names the fix, before any request.
func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string { return writeFile(t, filepath.Join(dir, name), content) }
	good := file("good.txt", "1.0,2024-01-01\n1.1,2024-02-01\n")
	typo := file("typo.tmpl", "{{range .Sections}}{{range .Issues}}- {{.Titel}}\n{{end}}{{end}}")
	srv := emulator(t)
	tests := []struct {
		name string
		args []string
		want string // the whole line after "relnotes: "
	}{
		{"no such day", []string{"--release", "1.0", "--releases-file", file("feb30.txt", "1.0,2024-02-30\n")},
			"--releases-file " + dir + `/feb30.txt:1: "2024-02-30" is not a date (YYYY-MM-DD) or an RFC 3339 instant (line "1.0,2024-02-30"); write lines as version,date such as 4.2.3,2024-09-09 or 4.2.3,2024-09-09T12:00:00Z`},
		{"repeated version", []string{"--release", "1.0", "--releases-file", file("twice.txt", "1.0,2024-01-01\n1.0,2024-02-01\n")},
			"--releases-file " + dir + `/twice.txt:2: version 1.0 is already listed on line 1 (line "1.0,2024-02-01"); write lines as version,date such as 4.2.3,2024-09-09 or 4.2.3,2024-09-09T12:00:00Z`},
		{"missing column", []string{"--release", "1.0", "--releases-file", file("short.txt", "1.0\n")},
			"--releases-file " + dir + `/short.txt:1: expected version,date (line "1.0"); write lines as version,date such as 4.2.3,2024-09-09 or 4.2.3,2024-09-09T12:00:00Z`},
		{"missing file", []string{"--release", "1.0", "--releases-file", filepath.Join(dir, "none.txt")},
			"--releases-file " + dir + "/none.txt: open " + dir + "/none.txt: no such file or directory; check --releases-file"},
		{"previous after release", []string{"--release", "1.0", "--previous", "1.1", "--releases-file", good},
			"--previous 1.1: published 2024-02-01T00:00:00Z, not before 1.0 (2024-01-01T00:00:00Z): pick an earlier release"},
		{"unknown release", []string{"--release", "2.0", "--releases-file", good},
			`--release 2.0: no release or tag "2.0"; did you mean 1.0, 1.1?`},
		{"not a git repository", []string{"--release", "1.0", "--git-dir", dir}, "--git-dir " + dir + ": fatal: not a git repository (or any of the parent directories): .git; check --git-dir"},
		{"template field typo", []string{"--template", typo, "--since", "2024-01-01"},
			"template " + typo + ":1: at <.Titel>: can't evaluate field Titel in type templates.Item: fix the template (docs/templates.md lists its fields and functions)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetLog()
			args := append([]string{"notes", "--repo", "example/tracker"}, tt.args...)
			r := runCLI(t, emuEnv(srv), args...)
			if r.code != exitUsage || r.stderr != "relnotes: "+tt.want+"\n" {
				t.Errorf("exit %d, stderr %q\nwant exit 2 and %q", r.code, r.stderr, "relnotes: "+tt.want)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests before refusing", n)
			}
		})
	}
}
