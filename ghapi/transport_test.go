package ghapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// stub is a base RoundTripper whose answer to each request comes from a
// function of the request's path.
type stub func(req *http.Request) *http.Response

func (s stub) RoundTrip(req *http.Request) (*http.Response, error) { return s(req), nil }

func answer(req *http.Request, status int, h http.Header, body string) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}
}

// TestSecondaryBackoffDoubles: without Retry-After, GitHub asks for at least
// a minute's pause and then an exponentially growing one on every repeat
// (see github-api-facts.md, "Exceeding a secondary limit"). With the
// defaults, each repeat of the limit for one request doubles the pause from
// 60 s, and the sixth limit in a row ends the request with an error.
func TestSecondaryBackoffDoubles(t *testing.T) {
	for _, tt := range []struct {
		name    string
		limited int // responses that are secondary limits before a 200
		pauses  []time.Duration
		wantErr bool
	}{
		{"three", 3, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}, false},
		{"persisting", 100, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			base := stub(func(req *http.Request) *http.Response {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if calls <= tt.limited {
					return answer(req, http.StatusForbidden, nil, `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
				}
				return answer(req, http.StatusOK, nil, `{}`)
			})
			var slept []time.Duration
			tr := &Transport{Base: base, MaxWait: time.Hour,
				Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
			resp, err := (&http.Client{Transport: tr}).Get("https://api.example.com/search/issues")
			if err == nil {
				resp.Body.Close()
			}
			var rl *RateLimitError
			if tt.wantErr != (err != nil) || (err != nil && (!errors.As(err, &rl) || !rl.Secondary)) {
				t.Fatalf("error = %v, want a secondary *RateLimitError: %v", err, tt.wantErr)
			}
			if d := cmp.Diff(tt.pauses, slept); d != "" {
				t.Errorf("pauses (-want +got):\n%s", d)
			}
			if want := len(tt.pauses) + 1; calls != want {
				t.Errorf("%d requests sent, want %d", calls, want)
			}
		})
	}
}

// TestPacingLowestRemainingWins: responses overtake each other, so a
// response sent earlier can arrive later with a higher remaining count for
// the same window. The budget must keep the lowest count of a window (and
// ignore an older window): "latest wins" would count a spent budget as
// available and send a request GitHub refuses.
//
// Here C learns the budget (2 left), then A and B are in flight at once.
// The server charged A first (1 left) and B second (0 left), but B's
// response arrives first. Nothing is left, so the next request D must not
// be sent: the reset is an hour away, beyond MaxWait.
func TestPacingLowestRemainingWins(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	reset := strconv.FormatInt(now.Add(time.Hour).Unix(), 10)
	budget := func(remaining int) http.Header {
		return http.Header{"X-Ratelimit-Limit": {"30"}, "X-Ratelimit-Remaining": {strconv.Itoa(remaining)}, "X-Ratelimit-Reset": {reset}}
	}
	aSent, bDone := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var sent []string
	base := stub(func(req *http.Request) *http.Response {
		name := strings.TrimPrefix(req.URL.Path, "/search/")
		mu.Lock()
		sent = append(sent, name)
		mu.Unlock()
		switch name {
		case "C":
			return answer(req, http.StatusOK, budget(2), `{}`)
		case "A":
			close(aSent)
			<-bDone // A's answer is overtaken by B's
			return answer(req, http.StatusOK, budget(1), `{}`)
		case "B":
			return answer(req, http.StatusOK, budget(0), `{}`)
		}
		return answer(req, http.StatusOK, budget(0), `{}`)
	})
	tr := &Transport{Base: base, Now: func() time.Time { return now }, MaxWait: time.Minute,
		Sleep: func(ctx context.Context, d time.Duration) error { return errors.New("slept") }}
	hc := &http.Client{Transport: tr}
	get := func(name string) error {
		resp, err := hc.Get("https://api.example.com/search/" + name)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get("C"); err != nil {
		t.Fatal(err)
	}
	aErr := make(chan error, 1)
	go func() { aErr <- get("A") }()
	<-aSent
	if err := get("B"); err != nil {
		t.Fatal(err)
	}
	close(bDone)
	if err := <-aErr; err != nil {
		t.Fatal(err)
	}
	err := get("D")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.WaitBound() {
		t.Errorf("D: error = %v, want a *RateLimitError: the budget is spent until the reset", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if d := cmp.Diff([]string{"C", "A", "B"}, sent); d != "" {
		t.Errorf("requests sent (-want +got):\n%s", d)
	}
}

// TestFoldBudget pins how reports fold into a budget: within one window the
// lowest remaining wins whatever the order of arrival, a later window
// replaces the budget even with more left, and an older window's late
// report changes nothing.
func TestFoldBudget(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	t1 := t0.Add(time.Hour)
	rep := func(rem int, reset time.Time) report {
		return report{ok: true, limit: 30, remaining: rem, reset: reset}
	}
	tests := []struct {
		name    string
		reports []report
		want    int
		reset   time.Time
	}{
		{"lower arrives last", []report{rep(5, t0), rep(3, t0)}, 3, t0},
		{"higher arrives last", []report{rep(3, t0), rep(5, t0)}, 3, t0},
		{"new window", []report{rep(0, t0), rep(29, t1)}, 29, t1},
		{"old window late", []report{rep(29, t1), rep(0, t0)}, 29, t1},
	}
	for _, tt := range tests {
		l := newLimiter()
		b := l.budget(ResourceSearch)
		for _, r := range tt.reports {
			b.inflight++
			l.release(ResourceSearch, r)
		}
		if b.remaining != tt.want || !b.reset.Equal(tt.reset) {
			t.Errorf("%s: remaining %d reset %v, want %d and %v", tt.name, b.remaining, b.reset, tt.want, tt.reset)
		}
	}
}

// TestUnmeteredServerNotSerialized: GitHub Enterprise Server with rate
// limiting off sends no x-ratelimit-* headers. The Transport waits for one
// response to learn a budget before sending more; an answer that states no
// budget must let the requests go out together (up to WithMaxInFlight)
// rather than one at a time for the whole fetch.
func TestUnmeteredServerNotSerialized(t *testing.T) {
	const n = 4
	var mu sync.Mutex
	inflight, most := 0, 0
	all := make(chan struct{})
	base := stub(func(req *http.Request) *http.Response {
		mu.Lock()
		inflight++
		most = max(most, inflight)
		if inflight == n {
			close(all)
		}
		mu.Unlock()
		if req.URL.RawQuery != "first" {
			select {
			case <-all:
			case <-time.After(2 * time.Second):
			}
		}
		mu.Lock()
		inflight--
		mu.Unlock()
		return answer(req, http.StatusOK, nil, `{}`)
	})
	c := &http.Client{Transport: &Transport{Base: base}}
	get := func(path string) {
		resp, err := c.Get("https://ghes.example.com" + path)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
	}
	get("/search/issues?first") // learns that the server states no search budget
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); get("/search/issues") }()
	}
	wg.Wait()
	if most != n {
		t.Errorf("at most %d requests in flight at once, want %d", most, n)
	}
}
