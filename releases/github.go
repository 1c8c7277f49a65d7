package releases

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
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
	err := eachRelease(ctx, g.Client, g.Owner, g.Repo, func(r *github.RepositoryRelease) bool {
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
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := g.Client.Repositories.ListTags(ctx, g.Owner, g.Repo, opt)
		if err != nil {
			return nil, apiError("list tags of "+g.Owner+"/"+g.Repo, err)
		}
		for _, t := range page {
			name := t.GetName()
			if have[name] {
				continue
			}
			if _, ok := parseVersion(name); !ok {
				continue // "latest", "nightly": not a release
			}
			have[name] = true
			out = append(out, Release{Tag: name, Prerelease: IsPrerelease(name)})
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	return out, nil
}

// TagTime dates a tag: the tagger date of an annotated tag, else the
// committer date of the tagged commit. A missing tag is *UnknownTagError.
func (g *GitHub) TagTime(ctx context.Context, tag string) (time.Time, Origin, error) {
	ref, _, err := g.Client.Git.GetRef(ctx, g.Owner, g.Repo, "tags/"+tag)
	if err != nil {
		if isNotFound(err) {
			return time.Time{}, "", &UnknownTagError{Tag: tag}
		}
		return time.Time{}, "", apiError(fmt.Sprintf("look up tag %s of %s/%s", tag, g.Owner, g.Repo), err)
	}
	sha := ref.GetObject().GetSHA()
	if ref.GetObject().GetType() == "tag" {
		t, _, err := g.Client.Git.GetTag(ctx, g.Owner, g.Repo, sha)
		if err != nil {
			return time.Time{}, "", apiError(fmt.Sprintf("read annotated tag %s of %s/%s", tag, g.Owner, g.Repo), err)
		}
		if d := t.GetTagger().GetDate(); !d.IsZero() {
			return d.UTC().Truncate(time.Second), OriginAnnotatedTag, nil
		}
		sha = t.GetObject().GetSHA()
	}
	c, _, err := g.Client.Repositories.GetCommit(ctx, g.Owner, g.Repo, sha, nil)
	if err != nil {
		return time.Time{}, "", apiError(fmt.Sprintf("read commit %s of tag %s in %s/%s", sha, tag, g.Owner, g.Repo), err)
	}
	d := c.GetCommit().GetCommitter().GetDate()
	if d.IsZero() {
		return time.Time{}, "", fmt.Errorf("%w: commit %s of tag %s has no committer date", ErrNoDate, sha, tag)
	}
	return d.UTC().Truncate(time.Second), OriginCommit, nil
}

// APIError is a failed request to a release, tag or commit endpoint, told
// in a person's terms: what relnotes was doing, what GitHub answered, and
// what to change. Status is the HTTP status, 0 when no response arrived.
type APIError struct {
	Op      string // e.g. "list releases of acme/app"
	Status  int
	Message string // GitHub's message, e.g. "Bad credentials"
	Err     error  // the go-github or transport error
}

// Error says, on one line, what relnotes was doing, what went wrong and
// what to change (the token, --api-url, the repository name, or waiting
// for the rate limit).
func (e *APIError) Error() string {
	var why string
	switch e.Status {
	case 0:
		why = e.Err.Error()
		var ue *url.Error
		if errors.As(e.Err, &ue) {
			// The request URL adds nothing a person can act on; the host does.
			host := ue.URL
			if u, err := url.Parse(ue.URL); err == nil {
				host = u.Scheme + "://" + u.Host
			}
			why = fmt.Sprintf("cannot reach the GitHub API at %s (%v): check --api-url (or GITHUB_API_URL) and the network", host, errors.Unwrap(ue))
		}
	case http.StatusUnauthorized:
		why = fmt.Sprintf("GitHub rejected the token (401 %s): check GH_TOKEN/GITHUB_TOKEN or --token-file", e.Message)
	case http.StatusForbidden:
		var rl *github.RateLimitError
		if errors.As(e.Err, &rl) {
			why = fmt.Sprintf("GitHub's rate limit is exhausted until %s: run again then, or use a token", rl.Rate.Reset.UTC().Format("15:04:05 MST"))
		} else {
			why = fmt.Sprintf("GitHub refused the request (403 %s): the token needs read access to the repository, and contents: write to publish", e.Message)
		}
	case http.StatusNotFound:
		why = "not found (404): check the repository name (--releases-repo OWNER/NAME names where the tags live) and that the token can see it"
	default:
		why = fmt.Sprintf("GitHub answered %d %s", e.Status, e.Message)
	}
	return "releases: " + e.Op + ": " + why
}

// Unwrap returns the go-github or transport error.
func (e *APIError) Unwrap() error { return e.Err }

// apiError wraps err from a go-github call as an *APIError.
func apiError(op string, err error) error {
	e := &APIError{Op: op, Err: err}
	var er *github.ErrorResponse
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	switch {
	case errors.As(err, &er) && er.Response != nil:
		e.Status, e.Message = er.Response.StatusCode, er.Message
	case errors.As(err, &rl) && rl.Response != nil:
		e.Status, e.Message = rl.Response.StatusCode, rl.Message
	case errors.As(err, &ab) && ab.Response != nil:
		e.Status, e.Message = ab.Response.StatusCode, ab.Message
	}
	return e
}

func isNotFound(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound
}

// escapeTag escapes a tag for a URL path segment by segment: go-github v62
// sends GetReleaseByTag's tag unescaped, so "v1#2" would lose "#2".
func escapeTag(tag string) string {
	parts := strings.Split(tag, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
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

// Publish splices notes into the body of the release for tag (see Splice),
// refuses a body over MaxBodyLen before sending anything, and sends only
// the body, and only when it changed. dryRun fetches and splices but sends
// nothing. Drafts are found through the release list, since GitHub serves
// only published releases by tag.
func (p *Publisher) Publish(ctx context.Context, tag, notes string, dryRun bool) (PublishResult, error) {
	rel, err := p.Find(ctx, tag)
	if err != nil {
		return PublishResult{}, err
	}
	res := PublishResult{ReleaseID: rel.GetID(), URL: rel.GetHTMLURL(), Old: rel.GetBody()}
	res.New, res.Changed, err = Splice(res.Old, notes)
	if err != nil {
		return res, fmt.Errorf("releases: publish into %s/%s release %s: %w", p.Owner, p.Repo, tag, err)
	}
	if err := CheckBodyLen(res.New); err != nil {
		return res, err
	}
	if dryRun || !res.Changed {
		return res, nil
	}
	body := res.New
	if _, _, err := p.Client.Repositories.EditRelease(ctx, p.Owner, p.Repo, res.ReleaseID, &github.RepositoryRelease{Body: &body}); err != nil {
		return res, apiError(fmt.Sprintf("update the body of %s/%s release %s", p.Owner, p.Repo, tag), err)
	}
	res.Sent = true
	return res, nil
}

// Find returns the release for tag, drafts included, or *NoReleaseError.
// Callers that must fetch and render before Publish call it first, so a
// missing release costs one request instead of a whole fetch.
func (p *Publisher) Find(ctx context.Context, tag string) (*github.RepositoryRelease, error) {
	req, err := p.Client.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/releases/tags/%s", url.PathEscape(p.Owner), url.PathEscape(p.Repo), escapeTag(tag)), nil)
	if err != nil {
		return nil, fmt.Errorf("releases: find release %s: %w", tag, err)
	}
	rel := new(github.RepositoryRelease)
	_, err = p.Client.Do(ctx, req, rel)
	if err == nil {
		return rel, nil
	}
	if !isNotFound(err) {
		return nil, apiError(fmt.Sprintf("find release %s of %s/%s", tag, p.Owner, p.Repo), err)
	}
	var found *github.RepositoryRelease
	if err := eachRelease(ctx, p.Client, p.Owner, p.Repo, func(r *github.RepositoryRelease) bool {
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

// eachRelease calls visit for every release of owner/repo, drafts included
// when the token may see them, page by page in GitHub's order, until visit
// returns true.
func eachRelease(ctx context.Context, c *github.Client, owner, repo string, visit func(*github.RepositoryRelease) (stop bool)) error {
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.Repositories.ListReleases(ctx, owner, repo, opt)
		if err != nil {
			return apiError("list releases of "+owner+"/"+repo, err)
		}
		for _, r := range page {
			if visit(r) {
				return nil
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
}
