package ghapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNewClient checks the base URL and that an empty token sends no
// Authorization header while a token is sent as Bearer.
func TestNewClient(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
		_ = json.NewEncoder(w).Encode(map[string]any{"full_name": "o/r"})
	}))
	defer srv.Close()
	for _, tok := range []string{"", "s3cret"} {
		c, err := NewClient(ClientOptions{Token: tok, APIURL: srv.URL + "/api/v3"})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.BaseURL.String(); got != srv.URL+"/api/v3/" {
			t.Errorf("BaseURL = %s", got)
		}
		if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"GET /api/v3/repos/o/r auth=", "GET /api/v3/repos/o/r auth=Bearer s3cret"}
	if d := cmp.Diff(want, auth); d != "" {
		t.Error(d)
	}
	for _, bad := range []string{"ftp://x", "::", "no-scheme"} {
		if _, err := NewClient(ClientOptions{APIURL: bad}); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
			t.Errorf("APIURL %q: error %v", bad, err)
		}
	}
}
