package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
)

// PerPage is GitHub's largest search page; SearchCap is the most results
// one search can page through, so MaxPages is the last page it serves.
const (
	PerPage   = 100
	SearchCap = 1000
	MaxPages  = SearchCap / PerPage
)

// SearchPage is one decoded /search/issues answer.
type SearchPage struct {
	Total      int  // total_count
	Incomplete bool // incomplete_results: GitHub's search timed out
	Items      []changelog.Issue
	Updated    []time.Time // updated_at of each item, parallel to Items
	Date       time.Time   // the answer's Date header, GitHub's clock; zero when absent
}

// wireResult is the JSON of /search/issues. It is decoded here rather than
// into go-github's IssuesSearchResult because v62's Issue has no issue type.
type wireResult struct {
	TotalCount        *int       `json:"total_count"`
	IncompleteResults bool       `json:"incomplete_results"`
	Items             []wireItem `json:"items"`
}

type wireItem struct {
	Number        int                        `json:"number"`
	Title         string                     `json:"title"`
	HTMLURL       string                     `json:"html_url"`
	RepositoryURL string                     `json:"repository_url"`
	StateReason   string                     `json:"state_reason"`
	Labels        []changelog.GitHubLabel    `json:"labels"`
	Type          wireType                   `json:"type"`
	Milestone     *changelog.GitHubMilestone `json:"milestone"`
	User          *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"user"`
	PullRequest json.RawMessage `json:"pull_request"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	ClosedAt    *time.Time      `json:"closed_at"`
}

// wireType is the issue type: GitHub sends an object with a name, or null;
// a bare string is accepted too.
type wireType string

func (t *wireType) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = wireType(s)
		return nil
	}
	var o struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*t = wireType(o.Name)
	return nil
}

// ErrMalformed is wrapped by SearchIssues's error for a 200 whose body is
// not a search result; asking again may help.
var ErrMalformed = errors.New("malformed search response")

func decodePage(body []byte) (SearchPage, error) {
	var w wireResult
	if err := json.Unmarshal(body, &w); err != nil {
		return SearchPage{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if w.TotalCount == nil {
		return SearchPage{}, fmt.Errorf("%w: no total_count", ErrMalformed)
	}
	p := SearchPage{Total: *w.TotalCount, Incomplete: w.IncompleteResults, Items: make([]changelog.Issue, 0, len(w.Items))}
	for _, it := range w.Items {
		is := changelog.Issue{
			Repository:  repoFromURL(it.RepositoryURL, it.HTMLURL),
			Number:      it.Number,
			Title:       it.Title,
			URL:         it.HTMLURL,
			Labels:      changelog.LabelNames(it.Labels),
			Type:        string(it.Type),
			Milestone:   changelog.MilestoneTitle(it.Milestone),
			IsPR:        len(it.PullRequest) > 0 && string(it.PullRequest) != "null",
			CreatedAt:   it.CreatedAt.UTC(),
			StateReason: it.StateReason,
		}
		if it.User != nil {
			is.Author = it.User.Login
			is.AuthorIsBot = it.User.Type == "Bot"
		}
		if it.ClosedAt != nil {
			is.ClosedAt = it.ClosedAt.UTC()
		}
		if is.Repository == "" || is.Number <= 0 || is.CreatedAt.IsZero() {
			return SearchPage{}, fmt.Errorf("%w: item without repository, number or created_at", ErrMalformed)
		}
		p.Items = append(p.Items, is)
		p.Updated = append(p.Updated, it.UpdatedAt.UTC())
	}
	return p, nil
}

// repoFromURL takes OWNER/NAME from repository_url (.../repos/OWNER/NAME),
// or else from html_url (.../OWNER/NAME/issues/N).
func repoFromURL(apiURL, htmlURL string) string {
	if i := strings.LastIndex(apiURL, "/repos/"); i >= 0 {
		if parts := strings.Split(strings.Trim(apiURL[i+len("/repos/"):], "/"), "/"); len(parts) == 2 {
			return parts[0] + "/" + parts[1]
		}
	}
	if u, err := url.Parse(htmlURL); err == nil {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if n := len(parts); n >= 4 && (parts[n-2] == "issues" || parts[n-2] == "pull") {
			return parts[n-4] + "/" + parts[n-3]
		}
	}
	return ""
}

// SearchIssues asks for one page of q in created order, 100 per page, with
// advanced search on. go-github v62 has no AdvancedSearch option, and its
// Issue has no issue type, so the request is built and the body decoded
// here; a malformed 200 wraps ErrMalformed, so the caller can ask again.
// Other errors are typed as MapError types them, with q's repositories and
// organisations for a *NotFoundError.
func SearchIssues(ctx context.Context, c *github.Client, q filters.Query, page int) (SearchPage, error) {
	v := url.Values{
		"q":               {q.String()},
		"sort":            {"created"},
		"order":           {"asc"},
		"per_page":        {strconv.Itoa(PerPage)},
		"page":            {strconv.Itoa(page)},
		"advanced_search": {"true"},
	}
	req, err := c.NewRequest(http.MethodGet, "search/issues?"+v.Encode(), nil)
	if err != nil {
		return SearchPage{}, err
	}
	var body bytes.Buffer
	resp, err := c.Do(ctx, req, &body)
	if err != nil {
		return SearchPage{}, MapError(err, slices.Concat(q.Repos, q.Orgs)...)
	}
	p, err := decodePage(body.Bytes())
	p.Date = dateOf(resp)
	return p, err
}

func dateOf(resp *github.Response) time.Time {
	if resp == nil || resp.Response == nil {
		return time.Time{}
	}
	d, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return d
}

// ServerTime returns GitHub's clock, from the Date header of GET
// /rate_limit, which costs no rate-limit budget. Any answer with a Date
// will do: GHES without rate limiting answers 404 and a rejected token 401,
// which the search that follows reports. It is zero when the answer has no
// Date; the error, typed as MapError types it, is that of a request that got
// no answer at all.
func ServerTime(ctx context.Context, c *github.Client) (time.Time, error) {
	req, err := c.NewRequest(http.MethodGet, "rate_limit", nil)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := c.Do(ctx, req, nil)
	if resp == nil || resp.Response == nil {
		return time.Time{}, MapError(err)
	}
	return dateOf(resp), nil
}
