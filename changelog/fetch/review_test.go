package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// routed serves search requests from one of two emulators, chosen by the
// request, so a test can change the results between chunks of one walk.
func routed(t *testing.T, pick func(r *http.Request) *ghemu.Server) string {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := pick(r)
		if s == nil {
			return // the handler chose to answer itself
		}
		u, _ := url.Parse(s.URL())
		httputil.NewSingleHostReverseProxy(u).ServeHTTP(w, r)
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestLastChunkGrewPastCap: the last chunk's size is predicted from the
// previous chunk's total_count. When more issues match by the time it is
// paged (an old issue closed meanwhile), all its pages agree on a total above
// 1000 and the 1000 distinct items look complete; the walk must not stop
// there and silently miss the rest.
func TestLastChunkGrewPastCap(t *testing.T) {
	before := ghemu.GenerateDense(11, testRepo, 1950, winStart, winEnd)
	maxCreated, maxNum := time.Time{}, 0
	for _, is := range before {
		if is.CreatedAt.After(maxCreated) {
			maxCreated = is.CreatedAt
		}
		maxNum = max(maxNum, is.Number)
	}
	after := append([]ghemu.Issue(nil), before...)
	for i := range 120 {
		created := maxCreated.Add(time.Duration(i+1) * time.Second)
		after = append(after, ghemu.Issue{Repo: testRepo, Number: maxNum + 1 + i, Title: fmt.Sprint("late ", i), Author: "a",
			State: "closed", StateReason: "completed", CreatedAt: created, UpdatedAt: created, ClosedAt: winEnd.Add(-time.Hour)})
	}
	cfg := ghemu.Config{SearchLimitUnauth: 1000, RateWindow: 100 * time.Millisecond}
	cfg.Issues = before
	s1 := ghemutest.Start(t, cfg)
	cfg.Issues = after
	s2 := ghemutest.Start(t, cfg)
	api := routed(t, func(r *http.Request) *ghemu.Server {
		if strings.Contains(r.URL.Query().Get("q"), "created:") {
			return s2 // every chunk after the first sees the grown results
		}
		return s1
	})
	c, err := ghapi.NewClient(ghapi.ClientOptions{APIURL: api, Transport: &ghapi.Transport{Timing: ghemutest.Timing, Sleep: scaledSleep, RetryBase: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Client: c, Server: "https://github.com", Sleep: scaledSleep, RetryBase: time.Millisecond}
	q := denseQuery(t, testRepo)
	cl, err := f.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	want := truthKeys(t, s2, q)
	if len(want) != 2070 {
		t.Fatalf("setup: %d matching issues after the change, want 2070", len(want))
	}
	if d := cmp.Diff(want, gotKeys(cl)); d != "" {
		t.Fatalf("fetched set differs from the grown results (-want +got):\n%s", d)
	}
}

// TestFailingPageCancelsSiblings: a page that fails for good ends the fetch
// at once with its own error; pages still in flight are cancelled, not
// waited for, and their context errors do not replace the cause.
func TestFailingPageCancelsSiblings(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: ghemu.GenerateDense(5, testRepo, 900, winStart, winEnd)})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("page") {
		case "3":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Bad credentials"}`)
			return
		case "5", "6", "7", "8", "9":
			select { // a page that would take a minute
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		u, _ := url.Parse(s.URL())
		httputil.NewSingleHostReverseProxy(u).ServeHTTP(w, r)
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	c, err := ghapi.NewClient(ghapi.ClientOptions{APIURL: ts.URL, Transport: &ghapi.Transport{Timing: ghemutest.Timing, Sleep: scaledSleep, RetryBase: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Client: c, Server: "https://github.com", Sleep: scaledSleep, RetryBase: time.Millisecond}
	start := time.Now()
	_, err = f.Fetch(context.Background(), denseQuery(t, testRepo))
	var ae *ghapi.AuthError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("error = %v, want the 401 of page 3", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Fetch returned after %v: the hanging pages were waited for instead of cancelled", d.Round(time.Millisecond))
	}
}

// TestTransportErrorIsOneShortLine: when the Transport gives up, the error
// names the cause once, without http.Client's copy of the request URL (which
// repeats the whole query).
func TestTransportErrorIsOneShortLine(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd)}, "tok")
	e.srv.Inject(ghemu.Fault{Kind: ghemu.Fault5xx, Count: 100})
	q := denseQuery(t, testRepo)
	_, err := e.f.Fetch(context.Background(), q)
	want := fmt.Sprintf("fetching issues for %q: GitHub answered 502 to GET /search/issues: Bad Gateway (after 5 attempts)", q.String())
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}

	// Nothing listens on the address: the error says where it tried.
	ln := httptest.NewServer(http.NotFoundHandler())
	addr := ln.URL
	ln.Close()
	c, err := ghapi.NewClient(ghapi.ClientOptions{APIURL: addr, Transport: &ghapi.Transport{Timing: ghemutest.Timing, Sleep: scaledSleep, RetryBase: time.Millisecond, MaxRetries: 1}})
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Client: c}
	_, err = f.Fetch(context.Background(), q)
	var ue *ghapi.UnreachableError
	if !errors.As(err, &ue) || ue.Host != addr || !strings.Contains(err.Error(), "cannot reach the GitHub API at "+addr+" (") ||
		strings.Contains(err.Error(), "advanced_search") {
		t.Errorf("error = %v", err)
	}
}

// TestUserSortStripped: a sort: term is the web UI's (the link keeps it),
// but GitHub may let it override the sort parameter, and the walk's split
// points are only right in created order. No search request may carry it,
// every one asks for sort=created&order=asc, and the set is still exact.
func TestUserSortStripped(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(17, testRepo, 1500, winStart, winEnd)}, "")
	q := denseQuery(t, testRepo)
	if err := q.AddTerms("sort:updated-desc"); err != nil {
		t.Fatal(err)
	}
	cl, err := e.f.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(truthKeys(t, e.srv, q), gotKeys(cl)); d != "" {
		t.Fatalf("fetched set differs (-want +got):\n%s", d)
	}
	if cl.Query != q.String() || !strings.Contains(cl.Query, "sort:updated-desc") {
		t.Errorf("Changelog.Query = %q, want the user's query %q, sort: included", cl.Query, q.String())
	}
	n := 0
	for _, r := range e.srv.Requests() {
		if !strings.HasSuffix(r.Path, "/search/issues") {
			continue
		}
		n++
		if s := r.Query.Get("q"); strings.Contains(s, "sort:") || r.Query.Get("sort") != "created" || r.Query.Get("order") != "asc" {
			t.Errorf("request q=%q sort=%q order=%q, want no sort: term and sort=created&order=asc", s, r.Query.Get("sort"), r.Query.Get("order"))
		}
	}
	if n < 2 {
		t.Errorf("%d search requests, want the two chunks' pages", n)
	}
}

// dropItem is a base RoundTripper that removes the last item of the search
// page numbered page, the first times times it is asked: one issue missing
// from a page while total_count stays the same.
type dropItem struct {
	page  string
	times atomic.Int32
}

func (d *dropItem) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK || req.URL.Query().Get("page") != d.page || d.times.Add(-1) < 0 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page map[string]json.RawMessage
	var items []json.RawMessage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(page["items"], &items); err != nil || len(items) == 0 {
		return nil, fmt.Errorf("page %s has no items to drop: %v", d.page, err)
	}
	page["items"], _ = json.Marshal(items[:len(items)-1])
	body, _ = json.Marshal(page)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestChunkMissingOneItem: the completeness check must count every item. A
// page that once lacks one issue (total_count unchanged) makes the walk
// fetch that part again and end with the whole set; a page that lacks it
// every time fails with ErrInconsistent rather than list 249 of 250.
func TestChunkMissingOneItem(t *testing.T) {
	for _, tt := range []struct {
		name  string
		times int32
		want  error
	}{{"once", 1, nil}, {"every time", 100, ErrInconsistent}} {
		t.Run(tt.name, func(t *testing.T) {
			s := ghemutest.Start(t, ghemu.Config{Issues: ghemu.GenerateDense(23, testRepo, 250, winStart, winEnd)})
			drop := &dropItem{page: "2"}
			drop.times.Store(tt.times)
			c, err := ghapi.NewClient(ghapi.ClientOptions{APIURL: s.URL(), HTTPClient: &http.Client{Transport: drop},
				Transport: &ghapi.Transport{Timing: ghemutest.Timing, Sleep: scaledSleep, RetryBase: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			f := &Fetcher{Client: c, Server: "https://github.com", Sleep: scaledSleep, RetryBase: time.Millisecond}
			q := denseQuery(t, testRepo)
			cl, err := f.Fetch(context.Background(), q)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "249 distinct items for a total_count of 250") {
					t.Fatalf("error = %v, want %v naming 249 of 250", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(truthKeys(t, s, q), gotKeys(cl)); d != "" {
				t.Fatalf("fetched set differs (-want +got):\n%s", d)
			}
		})
	}
}

// TestQueryOverLimitsNotSent: a query GitHub's search would refuse for its
// size fails before the first request with a *filters.LimitError naming
// the limit and the size, in one line that does not repeat a huge query.
func TestQueryOverLimitsNotSent(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd)}, "")
	for _, tt := range []struct {
		name, terms, want string
	}{
		{"keywords", strings.Repeat("crash ", 43), "the query's keywords are 257 characters long, and GitHub's search takes at most 256"},
		{"operators", strings.Repeat("NOT crash ", 6), "the query has 6 AND, OR or NOT operators, and GitHub's search takes at most 5"},
		{"whole query", strings.Repeat("-label:"+strings.Repeat("x", 93)+" ", 200), "the query is 20296 characters long, over the 16384"},
	} {
		q := denseQuery(t, testRepo)
		if err := q.AddTerms(tt.terms); err != nil {
			t.Fatal(err)
		}
		_, err := e.f.Fetch(context.Background(), q)
		var le *filters.LimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want a *filters.LimitError saying %q", tt.name, err, tt.want)
		}
		if len(err.Error()) > 600 {
			t.Errorf("%s: message of %d bytes repeats the query", tt.name, len(err.Error()))
		}
	}
	if n, _ := searchRequests(e.srv); n != 0 {
		t.Errorf("%d search requests sent, want none", n)
	}
}
