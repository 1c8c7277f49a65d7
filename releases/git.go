package releases

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Git is a Source that reads the tags of a local git repository, for CI on a
// tag push: no network, no token. An annotated tag is dated by its tagger
// date, a lightweight tag by its commit's committer date. The clone must
// have its tags (actions/checkout with fetch-depth: 0).
type Git struct {
	Dir string // a work tree or a .git / bare directory
	// Command runs git; nil means exec.CommandContext with "git".
	Command func(ctx context.Context, args ...string) *exec.Cmd
}

// gitFormat separates fields with a unit separator, which no ref name or
// date contains.
const gitFormat = "%(refname:strip=2)\x1f%(objecttype)\x1f%(taggerdate:iso-strict)\x1f%(committerdate:iso-strict)\x1f%(*committerdate:iso-strict)"

// Releases lists every tag with its date.
func (g Git) Releases(ctx context.Context) ([]Release, error) {
	args := []string{"-C", g.Dir, "for-each-ref", "--format=" + gitFormat, "refs/tags"}
	var cmd *exec.Cmd
	if g.Command != nil {
		cmd = g.Command(ctx, args...)
	} else {
		cmd = exec.CommandContext(ctx, "git", args...)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// git's own message says what is wrong ("not a git repository"); keep
		// it on the error's one line.
		why := strings.Join(strings.Fields(stderr.String()), " ")
		if why == "" {
			why = err.Error()
		}
		return nil, &Error{Op: OpGit, Value: g.Dir, Err: errors.New(why)}
	}
	return parseGitTags(string(out))
}

func parseGitTags(out string) ([]Release, error) {
	var rels []Release
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\x1f")
		if len(f) != 5 {
			return nil, fmt.Errorf("releases: unexpected git for-each-ref line %q", line)
		}
		name, typ, tagger, committer, peeled := f[0], f[1], f[2], f[3], f[4]
		var when string
		var origin Origin
		switch {
		case typ == "tag" && tagger != "":
			when, origin = tagger, OriginAnnotatedTag
		case typ == "tag":
			when, origin = peeled, OriginCommit // an annotated tag without a tagger line
		case typ == "commit":
			when, origin = committer, OriginCommit
		default:
			continue // a tag of a tree or blob is not a release
		}
		t, err := time.Parse(time.RFC3339, when)
		if err != nil {
			return nil, fmt.Errorf("releases: tag %s: bad date %q from git", name, when)
		}
		rels = append(rels, Release{
			Tag:        name,
			Time:       t.UTC().Truncate(time.Second),
			Prerelease: IsPrerelease(name),
			Origin:     origin,
		})
	}
	return rels, nil
}
