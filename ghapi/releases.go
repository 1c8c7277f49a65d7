package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// The release, tag and commit calls below return *Error: what relnotes was
// doing, around MapError's typed cause (a *NotFoundError for a missing
// repository, tag or release).

// EachRelease calls visit for every release of owner/repo, drafts included
// when the token may see them, page by page in GitHub's order, until visit
// returns true.
func EachRelease(ctx context.Context, c *github.Client, owner, repo string, visit func(*github.RepositoryRelease) (stop bool)) error {
	return eachPage(ctx, c.Repositories.ListReleases, owner, repo, "list releases of "+owner+"/"+repo, visit)
}

// EachTag calls visit with the name of every tag of owner/repo.
func EachTag(ctx context.Context, c *github.Client, owner, repo string, visit func(name string)) error {
	return eachPage(ctx, c.Repositories.ListTags, owner, repo, "list tags of "+owner+"/"+repo, func(t *github.RepositoryTag) bool {
		visit(t.GetName())
		return false
	})
}

// eachPage calls visit for every item of a go-github list call, 100 per
// page, until visit returns true; an error is wrapped with op.
func eachPage[T any](ctx context.Context, list func(context.Context, string, string, *github.ListOptions) ([]T, *github.Response, error),
	owner, repo, op string, visit func(T) (stop bool)) error {
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := list(ctx, owner, repo, opt)
		if err != nil {
			return wrap(op, owner, repo, err)
		}
		for _, it := range page {
			if visit(it) {
				return nil
			}
		}
		if resp.NextPage == 0 {
			return nil
		}
		opt.Page = resp.NextPage
	}
}

// ReleaseByTag gets the published release of owner/repo for tag (GitHub
// serves drafts only through the release list). go-github v62's
// GetReleaseByTag puts the tag into the path unescaped, so "v1#2" would
// lose "#2"; the request is built here with each segment escaped.
func ReleaseByTag(ctx context.Context, c *github.Client, owner, repo, tag string) (*github.RepositoryRelease, error) {
	op := fmt.Sprintf("find release %s of %s/%s", tag, owner, repo)
	req, err := c.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/releases/tags/%s", url.PathEscape(owner), url.PathEscape(repo), escapeTag(tag)), nil)
	if err != nil {
		return nil, &Error{Op: op, Err: err}
	}
	rel := new(github.RepositoryRelease)
	if _, err := c.Do(ctx, req, rel); err != nil {
		return nil, wrap(op, owner, repo, err)
	}
	return rel, nil
}

// ReleaseByID gets release id of owner/repo, a draft included when the
// token may see it.
func ReleaseByID(ctx context.Context, c *github.Client, owner, repo string, id int64, tag string) (*github.RepositoryRelease, error) {
	rel, _, err := c.Repositories.GetRelease(ctx, owner, repo, id)
	if err != nil {
		return nil, wrap(fmt.Sprintf("read release %s of %s/%s", tag, owner, repo), owner, repo, err)
	}
	return rel, nil
}

// EditReleaseBody replaces the body of release id of owner/repo, and
// nothing else.
func EditReleaseBody(ctx context.Context, c *github.Client, owner, repo string, id int64, tag, body string) error {
	if _, _, err := c.Repositories.EditRelease(ctx, owner, repo, id, &github.RepositoryRelease{Body: &body}); err != nil {
		return wrap(fmt.Sprintf("update the body of %s/%s release %s", owner, repo, tag), owner, repo, err)
	}
	return nil
}

// TagTarget is what a tag points at.
type TagTarget struct {
	SHA    string    // the tagged commit
	Tagger time.Time // an annotated tag's tagger date; zero for a lightweight tag
}

// ResolveTag follows tag of owner/repo to its commit, through an annotated
// tag object when there is one.
func ResolveTag(ctx context.Context, c *github.Client, owner, repo, tag string) (TagTarget, error) {
	ref, _, err := c.Git.GetRef(ctx, owner, repo, "tags/"+tag)
	if err != nil {
		return TagTarget{}, wrap(fmt.Sprintf("look up tag %s of %s/%s", tag, owner, repo), owner, repo, err)
	}
	t := TagTarget{SHA: ref.GetObject().GetSHA()}
	if ref.GetObject().GetType() == "tag" {
		at, _, err := c.Git.GetTag(ctx, owner, repo, t.SHA)
		if err != nil {
			return TagTarget{}, wrap(fmt.Sprintf("read annotated tag %s of %s/%s", tag, owner, repo), owner, repo, err)
		}
		t.SHA, t.Tagger = at.GetObject().GetSHA(), at.GetTagger().GetDate().Time
	}
	return t, nil
}

// CommitDate returns the committer date of commit sha of owner/repo; zero
// when GitHub gives none.
func CommitDate(ctx context.Context, c *github.Client, owner, repo, sha string) (time.Time, error) {
	cm, _, err := c.Repositories.GetCommit(ctx, owner, repo, sha, nil)
	if err != nil {
		return time.Time{}, wrap(fmt.Sprintf("read commit %s of %s/%s", sha, owner, repo), owner, repo, err)
	}
	return cm.GetCommit().GetCommitter().GetDate().Time, nil
}

func wrap(op, owner, repo string, err error) error {
	return &Error{Op: op, Err: MapError(err, owner+"/"+repo)}
}

// escapeTag escapes a tag for a URL path segment by segment, keeping the
// slashes of a tag such as "release/1.0".
func escapeTag(tag string) string {
	parts := strings.Split(tag, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
