package ghemu

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestReleaseEndpoints(t *testing.T) {
	s, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pub := time.Date(2024, 7, 13, 10, 0, 0, 0, time.UTC)
	s.AddRelease("o", "r", Release{Tag: "v1", PublishedAt: pub})
	s.AddRelease("o", "r", Release{Tag: "v2", Draft: true, CreatedAt: pub})
	s.AddTag("o", "r", Tag{Name: "v1", Annotated: true, TaggerDate: pub, CommitDate: pub.Add(-time.Hour)})

	get := func(method, path, auth, body string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, strings.TrimSuffix(s.URL(), "/")+path, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	tests := []struct {
		name, method, path, auth, body string
		status                         int
		contains                       string
	}{
		{"list hides drafts without a token", "GET", "/repos/o/r/releases", "", "", 200, `"tag_name":"v1"`},
		{"list shows drafts with a token, newest first", "GET", "/repos/o/r/releases", "t", "", 200, `"tag_name":"v2"`},
		{"draft has no published_at", "GET", "/repos/o/r/releases?page=1", "t", "", 200, `"published_at":null`},
		{"by tag", "GET", "/repos/o/r/releases/tags/v1", "", "", 200, `"published_at":"2024-07-13T10:00:00Z"`},
		{"draft not served by tag", "GET", "/repos/o/r/releases/tags/v2", "t", "", 404, "Not Found"},
		{"by id", "GET", "/repos/o/r/releases/1001", "", "", 200, `"tag_name":"v1"`},
		{"draft by id needs a token", "GET", "/repos/o/r/releases/1002", "", "", 404, "Not Found"},
		{"draft by id", "GET", "/repos/o/r/releases/1002", "t", "", 200, `"tag_name":"v2"`},
		{"unknown id", "GET", "/repos/o/r/releases/9", "t", "", 404, "Not Found"},
		{"unknown repo", "GET", "/repos/x/y/releases", "", "", 404, "Not Found"},
		{"edit needs a token", "PATCH", "/repos/o/r/releases/1001", "", `{"body":"x"}`, 401, "Requires authentication"},
		{"edit body", "PATCH", "/repos/o/r/releases/1001", "t", `{"body":"new"}`, 200, `"body":"new"`},
		{"edit too long", "PATCH", "/repos/o/r/releases/1001", "t", `{"body":"` + strings.Repeat("é", 125001) + `"}`, 422, "body is too long (maximum is 125000 characters)"},
		{"tags", "GET", "/repos/o/r/tags", "", "", 200, `"name":"v1"`},
		{"annotated ref", "GET", "/repos/o/r/git/ref/tags/v1", "", "", 200, `"type":"tag"`},
		{"missing ref", "GET", "/repos/o/r/git/ref/tags/v9", "", "", 404, "Not Found"},
		{"tag object", "GET", "/repos/o/r/git/tags/" + sha("tag", "o/r", "v1"), "", "", 200, `"date":"2024-07-13T10:00:00Z"`},
		{"commit", "GET", "/repos/o/r/commits/" + sha("commit", "o/r", "v1"), "", "", 200, `"date":"2024-07-13T09:00:00Z"`},
		{"unknown commit", "GET", "/repos/o/r/commits/abc", "", "", 422, "No commit found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := get(tt.method, tt.path, tt.auth, tt.body)
			if status != tt.status || !strings.Contains(body, tt.contains) {
				t.Errorf("%s %s = %d %s; want %d containing %s", tt.method, tt.path, status, body, tt.status, tt.contains)
			}
		})
	}
	_, h, body := get("GET", "/repos/o/r/releases?per_page=1", "t", "")
	if !strings.Contains(h.Get("Link"), `rel="next"`) {
		t.Errorf("no next link with 2 releases at 1 a page: %q", h.Get("Link"))
	}
	var page []map[string]any
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page) != 1 || page[0]["tag_name"] != "v2" {
		t.Errorf("page 1 = %s", body)
	}
	if got := s.Releases("o", "r")[0].Body; got != "new" {
		t.Errorf("stored body %q after PATCH", got)
	}
	if n := len(s.Requests()); n != len(tests)+1 {
		t.Errorf("request log has %d entries, want %d", n, len(tests)+1)
	}
}
