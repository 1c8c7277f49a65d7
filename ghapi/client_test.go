package ghapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relnotes/relnotes/filters"
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

// TestTokenStaysOnAPIHost: the token goes to the API's origin only. A
// redirect to another host:port (another origin, as GitHub would see it)
// arrives without Authorization, while the API's own requests, retries
// included, carry it. oauth2.Transport, used before, set the header on every
// request it sent, redirects included.
func TestTokenStaysOnAPIHost(t *testing.T) {
	const tok = "s3cret-token"
	var mu sync.Mutex
	var other []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		other = append(other, r.URL.Path+" auth="+r.Header.Get("Authorization"))
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"full_name": "o/r"})
	}))
	defer elsewhere.Close()
	var api []string
	failed := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		api = append(api, r.URL.Path+" auth="+r.Header.Get("Authorization"))
		first := !failed
		failed = true
		mu.Unlock()
		switch {
		case first:
			w.WriteHeader(http.StatusBadGateway) // retried by the Transport
		case r.URL.Path == "/repos/o/r":
			http.Redirect(w, r, "/repositories/1", http.StatusFound) // same origin
		case r.URL.Path == "/repositories/1":
			http.Redirect(w, r, elsewhere.URL+"/moved/o/r", http.StatusTemporaryRedirect)
		}
	}))
	defer srv.Close()
	c, err := NewClient(ClientOptions{Token: tok, APIURL: srv.URL, Transport: &Transport{RetryBase: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Repositories.Get(context.Background(), "o", "r"); err != nil {
		t.Fatal(err)
	}
	wantAPI := []string{"/repos/o/r auth=Bearer " + tok, "/repos/o/r auth=Bearer " + tok, "/repositories/1 auth=Bearer " + tok}
	if d := cmp.Diff(wantAPI, api); d != "" {
		t.Errorf("requests to the API host (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"/moved/o/r auth="}, other); d != "" {
		t.Errorf("requests to the other host (-want +got):\n%s", d)
	}
}

// TestOrigin: the origin compares scheme, host and port, ignoring case and
// default ports.
func TestOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"https://api.github.com/", "https://API.github.com:443/repos", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/x", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8081/", false},
		{"https://api.github.com/", "http://api.github.com/", false},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com.evil.test/api/v3/", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := origin(a) == origin(b); got != tt.same {
			t.Errorf("same origin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

// TestTokenScrubbedFromErrors: a server that echoes the Authorization value
// in its error body does not get the token into any error relnotes builds,
// for every status whose message reaches a person.
func TestTokenScrubbedFromErrors(t *testing.T) {
	const tok = "ghp_Echoed/Secret+1"
	for _, status := range []int{401, 403, 404, 422, 502} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				auth := r.Header.Get("Authorization")
				_ = json.NewEncoder(w).Encode(map[string]any{
					"message": "you sent " + auth,
					"errors":  []map[string]string{{"message": "token " + strings.TrimPrefix(auth, "Bearer ") + " cannot be searched"}},
				})
			}))
			defer srv.Close()
			c, err := NewClient(ClientOptions{Token: tok, APIURL: srv.URL, Transport: &Transport{RetryBase: time.Millisecond, MaxRetries: 1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = SearchIssues(context.Background(), c, filters.Query{Repos: []string{"o/r"}}, 1)
			if err == nil {
				t.Fatal("no error")
			}
			_, _, gerr := c.Repositories.Get(context.Background(), "o", "r")
			for _, e := range []error{err, gerr, MapError(gerr, "o/r")} {
				s := fmt.Sprintf("%v %+v", e, e)
				if strings.Contains(s, tok) || strings.Contains(s, "Secret") {
					t.Errorf("error shows the token: %s", s)
				}
			}
		})
	}
}

// TestTokenFormat: a token with a line break or control character inside is
// refused before any request; it is never retried as a transport failure.
func TestTokenFormat(t *testing.T) {
	for _, tok := range []string{"abc\ndef", "abc\rdef", "abc\x00def", "abc\x7fdef", "abc def", "abc\u2028def"} {
		_, err := NewClient(ClientOptions{Token: tok, APIURL: "http://127.0.0.1:9/"})
		if !errors.Is(err, ErrTokenFormat) || strings.Contains(err.Error(), "abc") {
			t.Errorf("token %q: error %v, want ErrTokenFormat without the token", tok, err)
		}
	}
	if err := CheckToken("ghp_0123456789abcdefABCDEF"); err != nil {
		t.Errorf("a plain token: %v", err)
	}
}
