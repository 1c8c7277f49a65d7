package ghemu_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// rawGet is a GET that tolerates dropped connections and bad bodies.
func rawGet(s *ghemu.Server, path string) (status int, h http.Header, body []byte, err error) {
	resp, err := http.Get(s.URL() + path)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body, err
}

func TestFaultKinds(t *testing.T) {
	const path = "search/issues?q=repo:o/a&per_page=6"
	tests := []struct {
		fault ghemu.Fault
		check func(t *testing.T, status int, h http.Header, body []byte, err error)
	}{
		{ghemu.Fault{Kind: ghemu.Fault5xx}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 502 || !strings.Contains(string(body), "Unicorn") {
				t.Errorf("status %d body %q", status, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultSecondary, RetryAfter: 1500 * time.Millisecond}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			var e struct{ Message, Documentation_URL string }
			_ = json.Unmarshal(body, &e)
			if status != 403 || h.Get("Retry-After") != "2" || h.Get("X-Retry-After-Ms") != "1500" ||
				!strings.HasPrefix(e.Message, "You have exceeded a secondary rate limit") || !strings.HasSuffix(e.Documentation_URL, "secondary-rate-limits") {
				t.Errorf("status %d headers %v body %s", status, h, body)
			}
			if h.Get("X-RateLimit-Remaining") == "0" {
				t.Error("secondary limit must not look like a primary one")
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultSecondary429}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 429 || h.Get("Retry-After") != "1" || !strings.Contains(string(body), "secondary rate limit") {
				t.Errorf("status %d headers %v body %s", status, h, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultPrimary}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 403 || h.Get("X-RateLimit-Remaining") != "0" || !strings.Contains(string(body), "API rate limit exceeded") {
				t.Errorf("status %d headers %v body %s", status, h, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultSlow, Delay: 150 * time.Millisecond}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 200 {
				t.Errorf("status %d", status)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultTruncated}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			var v any
			if err != nil || status != 200 || len(body) < 100 || json.Unmarshal(body, &v) == nil {
				t.Errorf("status %d err %v body %d bytes valid=%v", status, err, len(body), json.Valid(body))
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultMalformed}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 200 || json.Valid(body) {
				t.Errorf("status %d body %q", status, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultReset}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if err == nil {
				t.Errorf("no transport error; status %d", status)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultIncomplete}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			var res struct {
				Total      int               `json:"total_count"`
				Incomplete bool              `json:"incomplete_results"`
				Items      []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal(body, &res); err != nil || status != 200 || !res.Incomplete || res.Total != 6 || len(res.Items) != 4 {
				t.Errorf("status %d %+v err %v", status, res, err)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultUnauthorized}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 401 || !strings.Contains(string(body), "Bad credentials") {
				t.Errorf("status %d body %s", status, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultNotFound}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 404 || !strings.Contains(string(body), "Not Found") {
				t.Errorf("status %d body %s", status, body)
			}
		}},
		{ghemu.Fault{Kind: ghemu.FaultValidation}, func(t *testing.T, status int, h http.Header, body []byte, err error) {
			if status != 422 || !strings.Contains(string(body), "Validation Failed") {
				t.Errorf("status %d body %s", status, body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Kind.String(), func(t *testing.T) {
			s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
			s.Inject(tt.fault)
			start := time.Now()
			status, h, body, err := rawGet(s, path)
			tt.check(t, status, h, body, err)
			if tt.fault.Kind == ghemu.FaultSlow && time.Since(start) < tt.fault.Delay {
				t.Errorf("answered after %v, want at least %v", time.Since(start), tt.fault.Delay)
			}
			log := s.Requests()
			if len(log) != 1 || log[0].Fault != tt.fault.Kind {
				t.Errorf("log = %+v", log)
			}
			// The fault is used up: the next request is normal, unless the
			// primary budget was spent.
			status, _, _, err = rawGet(s, path)
			want := 200
			if tt.fault.Kind == ghemu.FaultPrimary {
				want = 403
			}
			if err != nil || status != want {
				t.Errorf("next request: status %d err %v, want %d", status, err, want)
			}
		})
	}
}

// TestFaultsThroughGoGithub pins how go-github v62 surfaces each fault, which
// is what relnotes' retry logic has to classify.
func TestFaultsThroughGoGithub(t *testing.T) {
	tests := []struct {
		kind  ghemu.FaultKind
		check func(error) bool
	}{
		{ghemu.FaultSecondary, func(err error) bool {
			var e *github.AbuseRateLimitError
			return errors.As(err, &e) && e.RetryAfter != nil
		}},
		{ghemu.FaultSecondary429, func(err error) bool {
			var e *github.ErrorResponse
			return errors.As(err, &e) && e.Response.StatusCode == 429
		}},
		{ghemu.FaultPrimary, func(err error) bool { var e *github.RateLimitError; return errors.As(err, &e) }},
		{ghemu.Fault5xx, func(err error) bool {
			var e *github.ErrorResponse
			return errors.As(err, &e) && e.Response.StatusCode == 502
		}},
		{ghemu.FaultMalformed, func(err error) bool { var e *json.SyntaxError; return errors.As(err, &e) }},
		{ghemu.FaultTruncated, func(err error) bool { return err != nil }},
		{ghemu.FaultReset, func(err error) bool { return err != nil }},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
			s.Inject(ghemu.Fault{Kind: tt.kind, RetryAfter: time.Millisecond})
			_, _, err := client(t, s).Search.Issues(context.Background(), "repo:o/a", nil)
			if !tt.check(err) {
				t.Errorf("err = %T %v", err, err)
			}
		})
	}
}

func TestInjectQueue(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Issues: tiny()})
	s.Inject(
		ghemu.Fault{Kind: ghemu.FaultNotFound, Path: "/repos/"},
		ghemu.Fault{Kind: ghemu.Fault5xx, Count: 2},
		ghemu.Fault{Kind: ghemu.FaultValidation},
	)
	var got []int
	for _, p := range []string{"search/issues?q=repo:o/a", "search/issues?q=repo:o/a", "repos/o/a", "search/issues?q=repo:o/a", "search/issues?q=repo:o/a", "rate_limit", "repos/o/a"} {
		status, _, _, err := rawGet(s, p)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	// The path-scoped 404 waits for a /repos/ request; /rate_limit is never
	// faulted.
	if d := cmp.Diff([]int{502, 502, 404, 422, 200, 200, 200}, got); d != "" {
		t.Errorf("statuses -want +got:\n%s", d)
	}
}

func TestRandomFaultsDeterministic(t *testing.T) {
	run := func() []ghemu.FaultKind {
		s := ghemutest.Start(t, ghemu.Config{Issues: tiny(), SearchLimitUnauth: 100})
		s.SetRandomFaults(ghemu.RandomFaults{Seed: 42, Rate: 0.5, Kinds: []ghemu.FaultKind{ghemu.Fault5xx, ghemu.FaultValidation, ghemu.FaultNotFound}})
		for i := 0; i < 40; i++ {
			if _, _, _, err := rawGet(s, "search/issues?q=repo:o/a"); err != nil {
				t.Fatal(err)
			}
		}
		var out []ghemu.FaultKind
		for _, r := range s.Requests() {
			out = append(out, r.Fault)
		}
		return out
	}
	a, b := run(), run()
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("same seed, different faults:\n%s", d)
	}
	n := 0
	for _, k := range a {
		if k != ghemu.FaultNone {
			n++
		}
	}
	if n < 10 || n > 30 {
		t.Errorf("%d of 40 requests faulted at rate 0.5", n)
	}
}
