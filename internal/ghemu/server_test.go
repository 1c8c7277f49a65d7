package ghemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func client(t testing.TB, s *ghemu.Server) *github.Client {
	t.Helper()
	c := github.NewClient(nil)
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = u
	return c
}

// get sends a raw GET to path (relative to the API root) and decodes a JSON
// body into out when out is not nil.
func get(t testing.TB, s *ghemu.Server, path string, hdr http.Header, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: status %d, body %q: %v", path, resp.StatusCode, body, err)
		}
	}
	return resp
}

func denseServer(t testing.TB, n int, cfg ghemu.Config) (*ghemu.Server, string) {
	t.Helper()
	from, to := ts("2024-03-26T00:00:00Z"), ts("2024-09-09T23:59:59Z")
	cfg.Issues = ghemu.GenerateDense(7, "QubesOS/qubes-issues", n, from, to)
	return ghemutest.Start(t, cfg), "repo:QubesOS/qubes-issues is:issue reason:completed closed:2024-03-26T00:00:00Z..2024-09-09T23:59:59Z"
}

func TestPaginationMatchesGroundTruth(t *testing.T) {
	s, q := denseServer(t, 250, ghemu.Config{})
	want, err := s.Search(q)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 250 {
		t.Fatalf("ground truth has %d issues, want 250", len(want))
	}
	c := client(t, s)
	var got []*github.Issue
	opt := &github.SearchOptions{Sort: "created", Order: "asc", ListOptions: github.ListOptions{PerPage: 100}}
	pages := 0
	for {
		res, resp, err := c.Search.Issues(context.Background(), q, opt)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if res.GetTotal() != 250 || res.GetIncompleteResults() {
			t.Fatalf("total %d incomplete %v", res.GetTotal(), res.GetIncompleteResults())
		}
		if resp.LastPage != 0 && resp.LastPage != 3 {
			t.Errorf("page %d: LastPage = %d, want 3", opt.Page, resp.LastPage)
		}
		got = append(got, res.Issues...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if pages != 3 {
		t.Errorf("paged %d times, want 3", pages)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].GetNumber() != want[i].Number {
			t.Fatalf("item %d: #%d, want #%d", i, got[i].GetNumber(), want[i].Number)
		}
	}
}

func TestLinkHeader(t *testing.T) {
	s, _ := denseServer(t, 95, ghemu.Config{})
	q := url.Values{"q": {"repo:QubesOS/qubes-issues is:issue"}, "per_page": {"30"}}
	total := 0
	for _, row := range []struct {
		page int
		rels []string // page numbers by rel, in GitHub's order
	}{
		{1, []string{"next=2", "last=LAST"}},
		{2, []string{"prev=1", "next=3", "last=LAST", "first=1"}},
	} {
		q.Set("page", strconv.Itoa(row.page))
		var body struct {
			Total int `json:"total_count"`
		}
		resp := get(t, s, "search/issues?"+q.Encode(), nil, &body)
		total = body.Total
		last := strconv.Itoa((total + 29) / 30)
		var want []string
		for _, r := range row.rels {
			rel, p, _ := strings.Cut(r, "=")
			if p == "LAST" {
				p = last
			}
			v := url.Values{}
			for k, vs := range q {
				v[k] = vs
			}
			v.Set("page", p)
			want = append(want, "<"+s.URL()+"search/issues?"+v.Encode()+`>; rel="`+rel+`"`)
		}
		if d := cmp.Diff(strings.Join(want, ", "), resp.Header.Get("Link")); d != "" {
			t.Errorf("page %d Link -want +got:\n%s", row.page, d)
		}
	}
	// The last page has prev and first only.
	last := (total + 29) / 30
	q.Set("page", strconv.Itoa(last))
	resp := get(t, s, "search/issues?"+q.Encode(), nil, nil)
	if l := resp.Header.Get("Link"); strings.Contains(l, `rel="next"`) || !strings.Contains(l, `rel="first"`) {
		t.Errorf("last page Link = %s", l)
	}
	// One page: no Link at all.
	resp = get(t, s, "search/issues?q=repo:QubesOS/qubes-issues+is:issue+author:nobody", nil, nil)
	if l := resp.Header.Get("Link"); l != "" {
		t.Errorf("single page Link = %s", l)
	}
}

func TestSearchCap(t *testing.T) {
	s, q := denseServer(t, 1001, ghemu.Config{})
	tests := []struct {
		perPage, page int
		status        int
		items         int
		last          string
	}{
		{100, 1, 200, 100, "10"},
		{100, 10, 200, 100, ""},
		{100, 11, 422, 0, ""},
		{30, 1, 200, 30, "34"},
		{30, 34, 200, 10, ""}, // straddles 1000: only results up to 1000
		{30, 35, 422, 0, ""},
	}
	for _, tt := range tests {
		v := url.Values{"q": {q}, "per_page": {strconv.Itoa(tt.perPage)}, "page": {strconv.Itoa(tt.page)}}
		var body struct {
			Total   int               `json:"total_count"`
			Items   []json.RawMessage `json:"items"`
			Message string            `json:"message"`
			Doc     string            `json:"documentation_url"`
		}
		resp := get(t, s, "search/issues?"+v.Encode(), nil, &body)
		if resp.StatusCode != tt.status {
			t.Fatalf("per_page=%d page=%d: status %d, want %d", tt.perPage, tt.page, resp.StatusCode, tt.status)
		}
		if tt.status == 422 {
			if body.Message != "Only the first 1000 search results are available" || body.Doc != "https://docs.github.com/v3/search/" {
				t.Errorf("422 body = %+v", body)
			}
			continue
		}
		if body.Total != 1001 || len(body.Items) != tt.items {
			t.Errorf("per_page=%d page=%d: total %d items %d, want 1001 and %d", tt.perPage, tt.page, body.Total, len(body.Items), tt.items)
		}
		if tt.last != "" && strconv.Itoa(linkPages(t, resp.Header.Get("Link"))["last"]) != tt.last {
			t.Errorf("per_page=%d: Link %s, want last page %s", tt.perPage, resp.Header.Get("Link"), tt.last)
		}
	}
	// go-github sees the 422 as an *ErrorResponse.
	_, _, err := client(t, s).Search.Issues(context.Background(), q, &github.SearchOptions{ListOptions: github.ListOptions{Page: 11, PerPage: 100}})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 422 {
		t.Errorf("err = %v, want 422 *ErrorResponse", err)
	}
}

func TestItemsShape(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	c := client(t, s)
	res, _, err := c.Search.Issues(context.Background(), "repo:o/a", &github.SearchOptions{Sort: "created", Order: "asc"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.Search("repo:o/a")
	type item struct {
		Number                          int
		Title, State, Reason, Login     string
		UserType, HTML, Repo, Milestone string
		Labels                          []string
		PR                              bool
		Closed                          string
	}
	conv := func(i *github.Issue) item {
		var labels []string
		for _, l := range i.Labels {
			labels = append(labels, l.GetName())
		}
		closed := ""
		if i.ClosedAt != nil {
			closed = i.GetClosedAt().UTC().Format(time.RFC3339)
		}
		return item{i.GetNumber(), i.GetTitle(), i.GetState(), i.GetStateReason(), i.GetUser().GetLogin(), i.GetUser().GetType(),
			i.GetHTMLURL(), i.GetRepositoryURL(), i.GetMilestone().GetTitle(), labels, i.IsPullRequest(), closed}
	}
	var got, exp []item
	for _, i := range res.Issues {
		got = append(got, conv(i))
	}
	for _, w := range want {
		kind, utype, closed := "issues", "User", ""
		if w.IsPR {
			kind = "pull"
		}
		if w.AuthorIsBot {
			utype = "Bot"
		}
		if !w.ClosedAt.IsZero() {
			closed = w.ClosedAt.Format(time.RFC3339)
		}
		exp = append(exp, item{w.Number, w.Title, w.State, w.StateReason, w.Author, utype,
			"https://github.com/o/a/" + kind + "/" + strconv.Itoa(w.Number), s.URL() + "repos/o/a", w.Milestone, w.Labels, w.IsPR, closed})
	}
	if d := cmp.Diff(exp, got); d != "" {
		t.Errorf("go-github items -want +got:\n%s", d)
	}

	// Fields go-github v62 does not model: type and null state_reason.
	var raw struct {
		Items []map[string]any `json:"items"`
	}
	get(t, s, "search/issues?q=repo:o/a&sort=created&order=asc", nil, &raw)
	if ty := raw.Items[1]["type"]; ty.(map[string]any)["name"] != "Bug" {
		t.Errorf("type of #1 = %v", ty)
	}
	if ty, ok := raw.Items[2]["type"]; !ok || ty != nil {
		t.Errorf("type of #2 = %v, want null", ty)
	}
	if sr, ok := raw.Items[0]["state_reason"]; !ok || sr != nil {
		t.Errorf("state_reason of #4 = %v, want null", sr)
	}
}

func TestSorts(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: ghemu.Generate(3, ghemu.GenOptions{Issues: 400})})
	all := s.Issues()
	tests := []struct {
		params string
		key    func(ghemu.Issue) int64
		desc   bool
	}{
		{"", func(i ghemu.Issue) int64 { return i.CreatedAt.Unix() }, true}, // best match: newest first
		{"&sort=created&order=asc", func(i ghemu.Issue) int64 { return i.CreatedAt.Unix() }, false},
		{"&sort=updated", func(i ghemu.Issue) int64 { return i.UpdatedAt.Unix() }, true},
		{"&sort=updated&order=asc", func(i ghemu.Issue) int64 { return i.UpdatedAt.Unix() }, false},
		{"&sort=comments&order=desc", func(i ghemu.Issue) int64 { return int64(i.Comments) }, true},
		{"&order=asc", func(i ghemu.Issue) int64 { return i.CreatedAt.Unix() }, true}, // order ignored without sort
	}
	for _, tt := range tests {
		var body struct {
			Items []struct {
				Number    int       `json:"number"`
				CreatedAt time.Time `json:"created_at"`
				UpdatedAt time.Time `json:"updated_at"`
				Comments  int       `json:"comments"`
			} `json:"items"`
		}
		get(t, s, "search/issues?q=repo:example/tracker&per_page=100"+tt.params, nil, &body)
		if len(body.Items) != 100 {
			t.Fatalf("%s: %d items", tt.params, len(body.Items))
		}
		byNum := map[int]ghemu.Issue{}
		for _, i := range all {
			byNum[i.Number] = i
		}
		for k := 1; k < len(body.Items); k++ {
			a, b := tt.key(byNum[body.Items[k-1].Number]), tt.key(byNum[body.Items[k].Number])
			if (tt.desc && a < b) || (!tt.desc && a > b) {
				t.Errorf("%s: items %d,%d out of order (%d, %d)", tt.params, k-1, k, a, b)
				break
			}
		}
	}
	resp := get(t, s, "search/issues?q=repo:example/tracker&sort=stars", nil, nil)
	if resp.StatusCode != 422 {
		t.Errorf("sort=stars: status %d, want 422", resp.StatusCode)
	}
}

func TestRateLimits(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), Token: "sekrit", SearchLimit: 3, SearchLimitUnauth: 2, RateWindow: 300 * time.Millisecond})
	auth := http.Header{"Authorization": {"Bearer sekrit"}}
	var resets []string
	for i, wantRemaining := range []string{"2", "1", "0"} {
		resp := get(t, s, "search/issues?q=repo:o/a", auth, nil)
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("X-RateLimit-Remaining") != wantRemaining || h.Get("X-RateLimit-Limit") != "3" ||
			h.Get("X-RateLimit-Used") != strconv.Itoa(i+1) || h.Get("X-RateLimit-Resource") != "search" {
			t.Fatalf("request %d: status %d headers %v", i, resp.StatusCode, h)
		}
		resets = append(resets, h.Get("X-RateLimit-Reset-Ms"))
	}
	if resets[0] != resets[2] {
		t.Errorf("reset moved within a window: %v", resets)
	}
	var body struct{ Message, Documentation_URL string }
	resp := get(t, s, "search/issues?q=repo:o/a", auth, &body)
	if resp.StatusCode != 403 || resp.Header.Get("X-RateLimit-Remaining") != "0" || body.Message != "API rate limit exceeded for user ID 1." ||
		body.Documentation_URL != "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting" {
		t.Fatalf("over budget: status %d body %+v", resp.StatusCode, body)
	}
	// Reset is whole seconds rounded up; the ms header is exact.
	ms, _ := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset-Ms"), 10, 64)
	sec, _ := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if sec*1000 < ms || sec*1000-ms >= 1000 {
		t.Errorf("reset %d s does not round up %d ms", sec, ms)
	}
	// go-github v62 reads it as a primary rate limit.
	_, _, err := client(t, s).WithAuthToken("sekrit").Search.Issues(context.Background(), "repo:o/a", nil)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) {
		t.Errorf("go-github err = %v, want *RateLimitError", err)
	}
	// Core and the unauthenticated budget are separate.
	if resp := get(t, s, "repos/o/a", auth, nil); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Resource") != "core" {
		t.Errorf("core request: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := get(t, s, "search/issues?q=repo:o/a", nil, nil); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "2" {
		t.Errorf("unauthenticated search: %d %v", resp.StatusCode, resp.Header)
	}
	// /rate_limit reports without charging.
	var rl struct {
		Resources map[string]struct{ Limit, Remaining, Used int } `json:"resources"`
	}
	get(t, s, "rate_limit", auth, &rl)
	get(t, s, "rate_limit", auth, &rl)
	if got := rl.Resources["search"]; got.Limit != 3 || got.Remaining != 0 || got.Used != 3 {
		t.Errorf("rate_limit search = %+v", got)
	}
	// After the window, the budget is back.
	time.Sleep(time.Until(time.UnixMilli(ms)) + 20*time.Millisecond)
	if resp := get(t, s, "search/issues?q=repo:o/a", auth, nil); resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("after reset: %d remaining %s", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
}

func TestAuth(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), Token: "sekrit"})
	for _, tt := range []struct {
		hdr    string
		status int
		authed bool
	}{
		{"Bearer sekrit", 200, true},
		{"token sekrit", 200, true},
		{"", 200, false},
		{"Bearer wrong", 401, false},
		{"Bearer ", 401, false},
		{"Basic c2Vrcml0", 401, false},
	} {
		s.ResetLog()
		h := http.Header{}
		if tt.hdr != "" {
			h.Set("Authorization", tt.hdr)
		}
		var body struct{ Message string }
		resp := get(t, s, "search/issues?q=repo:o/a", h, &body)
		if resp.StatusCode != tt.status || (tt.status == 401 && body.Message != "Bad credentials") {
			t.Errorf("%q: status %d body %+v", tt.hdr, resp.StatusCode, body)
		}
		log := s.Requests()
		if len(log) != 1 || log[0].Authorized != tt.authed || log[0].Status != tt.status {
			t.Errorf("%q: log %+v", tt.hdr, log)
		}
		if strings.Contains(strings.ToLower(pretty(log)), "sekrit") {
			t.Errorf("token in request log")
		}
	}
}

func pretty(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestPathPrefix(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), PathPrefix: "/api/v3"})
	if !strings.HasSuffix(s.URL(), "/api/v3/") {
		t.Fatalf("URL() = %s", s.URL())
	}
	res, resp, err := client(t, s).Search.Issues(context.Background(), "repo:o/a is:issue", &github.SearchOptions{ListOptions: github.ListOptions{PerPage: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetTotal() != 5 || resp.NextPage != 2 || !strings.Contains(resp.Header.Get("Link"), "/api/v3/search/issues?") {
		t.Errorf("total %d next %d link %s", res.GetTotal(), resp.NextPage, resp.Header.Get("Link"))
	}
	if got := res.Issues[0].GetRepositoryURL(); got != s.URL()+"repos/o/a" {
		t.Errorf("repository_url = %s", got)
	}
	root := strings.TrimSuffix(s.URL(), "api/v3/")
	r, err := http.Get(root + "search/issues?q=repo:o/a")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 {
		t.Errorf("unprefixed path: status %d, want 404", r.StatusCode)
	}
	if log := s.Requests(); log[len(log)-1].Path != "/search/issues" || log[0].Path != "/api/v3/search/issues" {
		t.Errorf("log paths %q, %q", log[0].Path, log[len(log)-1].Path)
	}
}

func TestNotFoundAndValidation(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	var nf struct{ Message string }
	if resp := get(t, s, "no/such/endpoint", nil, &nf); resp.StatusCode != 404 || nf.Message != "Not Found" {
		t.Errorf("unknown path: %d %+v", resp.StatusCode, nf)
	}
	var ve struct {
		Message string
		Errors  []struct{ Message, Field, Code string }
	}
	if resp := get(t, s, "search/issues?q="+url.QueryEscape("bogus:qualifier"), nil, &ve); resp.StatusCode != 422 || ve.Message != "Validation Failed" || len(ve.Errors) != 1 {
		t.Errorf("unknown qualifier: %d %+v", resp.StatusCode, ve)
	}
	if resp := get(t, s, "search/issues?q="+url.QueryEscape("repo:o/zzz"), nil, &ve); resp.StatusCode != 422 {
		t.Errorf("missing repo: %d", resp.StatusCode)
	}
	if resp := get(t, s, "search/issues", nil, &ve); resp.StatusCode != 422 || ve.Errors[0].Code != "missing" {
		t.Errorf("no q: %d %+v", resp.StatusCode, ve)
	}
}

func TestRepoEndpoints(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: ghemu.Generate(11, ghemu.GenOptions{Repo: "QubesOS/qubes-issues", Issues: 300})})
	c := client(t, s)
	repo, _, err := c.Repositories.Get(context.Background(), "qubesos", "qubes-issues")
	if err != nil || repo.GetFullName() != "QubesOS/qubes-issues" {
		t.Fatalf("repo %v err %v", repo.GetFullName(), err)
	}
	_, _, err = c.Repositories.Get(context.Background(), "QubesOS", "nope")
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 404 || er.Message != "Not Found" {
		t.Errorf("missing repo err = %v", err)
	}

	since := ts("2024-01-01T00:00:00Z")
	opt := &github.IssueListByRepoOptions{State: "closed", Since: since, Sort: "created", Direction: "asc", ListOptions: github.ListOptions{PerPage: 40}}
	var got []int
	for {
		items, resp, err := c.Issues.ListByRepo(context.Background(), "QubesOS", "qubes-issues", opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range items {
			got = append(got, i.GetNumber())
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	var want []int
	for _, i := range s.Issues() {
		if i.State == "closed" && !i.UpdatedAt.Before(since) {
			want = append(want, i.Number)
		}
	}
	if len(want) < 41 {
		t.Fatalf("test needs several pages, only %d issues", len(want))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ListByRepo -want +got:\n%s", d)
	}
}

func TestRequestLog(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	get(t, s, "search/issues?q=repo:o/a&per_page=5", nil, nil)
	get(t, s, "rate_limit", nil, nil)
	log := s.Requests()
	if len(log) != 2 {
		t.Fatalf("log has %d entries", len(log))
	}
	if l := log[0]; l.Method != "GET" || l.Path != "/search/issues" || l.Query.Get("per_page") != "5" || l.Status != 200 || l.Resource != "search" || l.At.IsZero() {
		t.Errorf("log[0] = %+v", l)
	}
	if l := log[1]; l.Resource != "" {
		t.Errorf("rate_limit charged to %q", l.Resource)
	}
	log[0].Query.Set("per_page", "changed")
	if s.Requests()[0].Query.Get("per_page") != "5" {
		t.Error("Requests returned shared state")
	}
	s.ResetLog()
	if len(s.Requests()) != 0 {
		t.Error("ResetLog kept entries")
	}
}

// linkPages reads the page number of each rel of a Link header.
func linkPages(t testing.TB, h string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, part := range strings.Split(h, ", ") {
		u, rel, ok := strings.Cut(part, ">; rel=")
		if !ok {
			t.Fatalf("bad Link part %q", part)
		}
		pu, err := url.Parse(strings.TrimPrefix(u, "<"))
		if err != nil {
			t.Fatal(err)
		}
		out[strings.Trim(rel, `"`)], _ = strconv.Atoi(pu.Query().Get("page"))
	}
	return out
}

// TestConcurrentClients runs clients in parallel against a budget and random
// faults; under -race it checks the server's shared state, and the budget
// must admit exactly its limit.
func TestConcurrentClients(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), SearchLimitUnauth: 50, RateWindow: time.Hour})
	s.SetRandomFaults(ghemu.RandomFaults{Seed: 1, Rate: 0.3, Kinds: []ghemu.FaultKind{ghemu.Fault5xx, ghemu.FaultTruncated, ghemu.FaultReset, ghemu.FaultIncomplete}})
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 10; i++ {
				_, _, _, _ = rawGet(s, "search/issues?q=repo:o/a")
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	admitted, refused := 0, 0
	for _, r := range s.Requests() {
		switch {
		case r.Status == 403:
			refused++
		default:
			admitted++
		}
	}
	// net/http retries a GET whose reused connection was reset before any
	// response, so the server may see more than 80 requests.
	if admitted != 50 || refused < 30 {
		t.Errorf("admitted %d refused %d, want 50 and at least 30", admitted, refused)
	}
}

func TestInjectedClockAndLatency(t *testing.T) {
	var mu sync.Mutex
	now := ts("2024-03-26T12:00:00Z").Add(250 * time.Millisecond)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), SearchLimitUnauth: 1, RateWindow: 90 * time.Second, Now: clock, Latency: 30 * time.Millisecond})
	start := time.Now()
	resp := get(t, s, "search/issues?q=repo:o/a", nil, nil)
	if time.Since(start) < 30*time.Millisecond {
		t.Errorf("answered in %v despite 30ms latency", time.Since(start))
	}
	// Window end 12:01:30.250 rounds up to 12:01:31.
	if got, want := resp.Header.Get("X-RateLimit-Reset"), strconv.FormatInt(ts("2024-03-26T12:01:31Z").Unix(), 10); got != want {
		t.Errorf("reset %s, want %s", got, want)
	}
	if resp := get(t, s, "search/issues?q=repo:o/a", nil, nil); resp.StatusCode != 403 {
		t.Fatalf("second request: %d, want 403", resp.StatusCode)
	}
	mu.Lock()
	now = now.Add(90 * time.Second)
	mu.Unlock()
	if resp := get(t, s, "search/issues?q=repo:o/a", nil, nil); resp.StatusCode != 200 {
		t.Errorf("after the window: %d, want 200", resp.StatusCode)
	}
	if at := s.Requests()[0].At; !at.Equal(ts("2024-03-26T12:00:00Z").Add(250 * time.Millisecond)) {
		t.Errorf("log time %v does not come from the injected clock", at)
	}
}

func TestStartRejectsImpossibleTrackers(t *testing.T) {
	for _, issues := range [][]ghemu.Issue{
		{{Repo: "o/a", Number: 1}, {Repo: "O/A", Number: 1}},
		{{Repo: "no-slash", Number: 1}},
	} {
		if s, err := ghemu.Start(ghemu.Config{Issues: issues}); err == nil {
			s.Close()
			t.Errorf("Start(%+v) succeeded", issues)
		}
	}
}
