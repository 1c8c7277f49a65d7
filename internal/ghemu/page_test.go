package ghemu

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A page number so large that page*per_page overflows used to make a
// negative offset and panic the handler (the client saw EOF). It is past
// the end, as GitHub treats it: an empty list, or 422 past the search cap.
// It lives in the internal test package: built into the external one, the
// overflowing loop happened not to run, and the test passed without the fix.
func TestHugePage(t *testing.T) {
	s, err := Start(Config{Issues: Generate(1, GenOptions{Repo: "o/a", Issues: 60})})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.AddRelease("o", "r", Release{Tag: "v1"})
	s.AddTag("o", "r", Tag{Name: "v1"})
	const huge = "page=400000000000000000" // times 30 wraps below zero
	narrow := url.QueryEscape("repo:o/a closed:2024-06-01..2024-06-02")
	tests := []struct {
		path   string
		status int
	}{
		{"repos/o/r/releases?" + huge, 200},
		{"repos/o/r/tags?" + huge, 200},
		{"repos/o/a/issues?state=all&" + huge, 200},
		{"search/issues?q=" + narrow + "&" + huge, 422},
		{"search/issues?q=" + url.QueryEscape("repo:o/a") + "&per_page=7&" + huge, 422},
	}
	for _, tt := range tests {
		resp, err := http.Get(s.URL() + tt.path)
		if err != nil {
			t.Errorf("GET %s: %v", tt.path, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || tt.status == 200 && strings.TrimSpace(string(body)) != "[]" {
			t.Errorf("GET %s = %d %s; want %d (an empty list when 200)", tt.path, resp.StatusCode, body, tt.status)
		}
	}
}
