package ghapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"
)

// ReleaseByTag gets the published release of owner/repo for tag. go-github
// v62's GetReleaseByTag puts the tag into the path unescaped, so "v1#2"
// would lose "#2"; the request is built here with each segment escaped.
// Errors are go-github's, for MapError.
func ReleaseByTag(ctx context.Context, c *github.Client, owner, repo, tag string) (*github.RepositoryRelease, error) {
	req, err := c.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/releases/tags/%s", url.PathEscape(owner), url.PathEscape(repo), escapeTag(tag)), nil)
	if err != nil {
		return nil, err
	}
	rel := new(github.RepositoryRelease)
	if _, err := c.Do(ctx, req, rel); err != nil {
		return nil, err
	}
	return rel, nil
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
