package releases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/ghapi"
)

// GitHub is a Source backed by the GitHub API: releases dated by
// published_at, plus the repository's versioned tags that have no release,
// left undated until Plan asks (TagTime), so a repository with hundreds of
// tags costs a few listing requests and a lookup or two.
type GitHub struct {
	Client      *github.Client
	Owner, Repo string
}

var (
	_ Source   = (*GitHub)(nil)
	_ TagDater = (*GitHub)(nil)
)

// Releases lists the releases (drafts included when the token may see
// them) and the versioned tags without a release.
func (g *GitHub) Releases(ctx context.Context) ([]Release, error) {
	var out []Release
	have := map[string]bool{}
	err := ghapi.EachRelease(ctx, g.Client, g.Owner, g.Repo, func(r *github.RepositoryRelease) bool {
		rel := Release{
			Tag:        r.GetTagName(),
			Draft:      r.GetDraft(),
			Prerelease: r.GetPrerelease() || IsPrerelease(r.GetTagName()),
			HasRelease: true,
		}
		if !rel.Draft && r.PublishedAt != nil {
			rel.Time, rel.Origin = r.GetPublishedAt().UTC().Truncate(time.Second), OriginPublished
		}
		have[rel.Tag] = true
		out = append(out, rel)
		return false
	})
	if err != nil {
		return nil, err
	}
	err = ghapi.EachTag(ctx, g.Client, g.Owner, g.Repo, func(name string) {
		if have[name] {
			return
		}
		if _, ok := parseVersion(name); !ok {
			return // "latest", "nightly": not a release
		}
		have[name] = true
		out = append(out, Release{Tag: name, Prerelease: IsPrerelease(name)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// TagTime dates a tag: the tagger date of an annotated tag, else the
// committer date of the tagged commit. A missing tag is *UnknownTagError.
func (g *GitHub) TagTime(ctx context.Context, tag string) (time.Time, Origin, error) {
	t, err := ghapi.ResolveTag(ctx, g.Client, g.Owner, g.Repo, tag)
	var nf *ghapi.NotFoundError
	switch {
	case errors.As(err, &nf):
		return time.Time{}, "", &UnknownTagError{Tag: tag}
	case err != nil:
		return time.Time{}, "", err
	case !t.Tagger.IsZero():
		return t.Tagger.UTC().Truncate(time.Second), OriginAnnotatedTag, nil
	}
	d, err := ghapi.CommitDate(ctx, g.Client, g.Owner, g.Repo, t.SHA)
	if err != nil {
		return time.Time{}, "", err
	}
	if d.IsZero() {
		return time.Time{}, "", fmt.Errorf("%w: commit %s of tag %s has no committer date", ErrNoDate, t.SHA, tag)
	}
	return d.UTC().Truncate(time.Second), OriginCommit, nil
}

// Publisher writes notes into a release's body on GitHub.
type Publisher struct {
	Client      *github.Client
	Owner, Repo string
}

// PublishResult is what Publish did or, in a dry run, would do.
type PublishResult struct {
	ReleaseID int64
	URL       string // the release's html_url
	Old, New  string // the body before and after
	Changed   bool
	Sent      bool // false in a dry run and when nothing changed
}

// NoReleaseError is returned when a tag has no release to write into.
type NoReleaseError struct {
	Repo, Tag string
}

// Error names the repository and tag and says to create the release.
func (e *NoReleaseError) Error() string {
	return fmt.Sprintf("%s has no release for tag %s: create the release first (for example with 'gh release create %s'); publish only edits an existing release's body", e.Repo, e.Tag, e.Tag)
}

// ErrBodyChanged is wrapped by PublishTo's error when the release body
// read just before the update differs from the body Prepare read: someone
// edited the release meanwhile, and sending would overwrite that edit.
var ErrBodyChanged = errors.New("the release body was edited since relnotes first read it; nothing was sent, so the edit is kept: run again to publish into the new body")

// Target is a release as Prepare read it: where PublishTo writes, and the
// body it expects to find there when it does.
type Target struct {
	Tag  string
	ID   int64
	URL  string // html_url
	Body string // the body as first read
}

// Prepare finds the release for tag and checks everything about its body
// that does not depend on the notes, so that a caller can fail before a
// fetch that may take minutes: the release exists (*NoReleaseError), its
// relnotes markers are usable (an error wrapping ErrMarkers), and the body
// with an empty relnotes section is within MaxBodyLen (*BodyTooLongError).
func (p *Publisher) Prepare(ctx context.Context, tag string) (*Target, error) {
	rel, err := p.Find(ctx, tag)
	if err != nil {
		return nil, err
	}
	t := &Target{Tag: tag, ID: rel.GetID(), URL: rel.GetHTMLURL(), Body: rel.GetBody()}
	empty, _, err := Splice(t.Body, "")
	if err != nil {
		return nil, fmt.Errorf("publish into %s/%s release %s: %w", p.Owner, p.Repo, tag, err)
	}
	if err := CheckBodyLen(empty); err != nil {
		return nil, err
	}
	return t, nil
}

// Publish is Prepare followed by PublishTo.
func (p *Publisher) Publish(ctx context.Context, tag, notes string, dryRun bool) (PublishResult, error) {
	t, err := p.Prepare(ctx, tag)
	if err != nil {
		return PublishResult{}, err
	}
	return p.PublishTo(ctx, t, notes, dryRun)
}

// PublishTo splices notes into the body Prepare read (see Splice), refuses
// a body over MaxBodyLen before sending anything, and sends only the body,
// and only when it changed. Just before sending it reads the release again
// and fails with an error wrapping ErrBodyChanged, sending nothing, when the
// body is no longer the one Prepare read. (GitHub's release update takes no
// precondition, so an edit in the moment between that read and the update
// can still be lost; the window is one request long instead of the whole
// fetch.) dryRun splices but neither reads again nor sends.
func (p *Publisher) PublishTo(ctx context.Context, t *Target, notes string, dryRun bool) (PublishResult, error) {
	res := PublishResult{ReleaseID: t.ID, URL: t.URL, Old: t.Body}
	var err error
	res.New, res.Changed, err = Splice(res.Old, notes)
	if err != nil {
		return res, fmt.Errorf("publish into %s/%s release %s: %w", p.Owner, p.Repo, t.Tag, err)
	}
	if err := CheckBodyLen(res.New); err != nil {
		return res, err
	}
	if dryRun || !res.Changed {
		return res, nil
	}
	now, err := ghapi.ReleaseByID(ctx, p.Client, p.Owner, p.Repo, t.ID, t.Tag)
	if err != nil {
		return res, err
	}
	if now.GetBody() != t.Body {
		return res, fmt.Errorf("publish into %s/%s release %s: %w", p.Owner, p.Repo, t.Tag, ErrBodyChanged)
	}
	if err := ghapi.EditReleaseBody(ctx, p.Client, p.Owner, p.Repo, t.ID, t.Tag, res.New); err != nil {
		return res, err
	}
	res.Sent = true
	return res, nil
}

// Find returns the release for tag, drafts included, or *NoReleaseError.
// Callers that must fetch and render before Publish call it first, so a
// missing release costs one request instead of a whole fetch.
func (p *Publisher) Find(ctx context.Context, tag string) (*github.RepositoryRelease, error) {
	rel, err := ghapi.ReleaseByTag(ctx, p.Client, p.Owner, p.Repo, tag)
	if err == nil {
		return rel, nil
	}
	var nf *ghapi.NotFoundError
	if !errors.As(err, &nf) {
		return nil, err
	}
	var found *github.RepositoryRelease
	if err := ghapi.EachRelease(ctx, p.Client, p.Owner, p.Repo, func(r *github.RepositoryRelease) bool {
		if r.GetTagName() == tag {
			found = r
			return true
		}
		return false
	}); err != nil {
		return nil, err
	}
	if found == nil {
		return nil, &NoReleaseError{Repo: p.Owner + "/" + p.Repo, Tag: tag}
	}
	return found, nil
}
