package ghemu_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func BenchmarkGenerate200k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ghemu.Generate(int64(i), ghemu.GenOptions{Issues: 200_000})
	}
}

// BenchmarkSearchHTTP measures one page of a search over a 200k-item
// tracker, end to end over loopback, for the query shapes relnotes sends.
func BenchmarkSearchHTTP(b *testing.B) {
	from, to := ts("2024-03-26T00:00:00Z"), ts("2024-09-09T23:59:59Z")
	issues := ghemu.GenerateDense(1, "QubesOS/qubes-issues", 50_000, from, to)
	s := ghemutest.Start(b, ghemu.Config{Issues: issues, SearchLimitUnauth: 1 << 30, RateWindow: time.Hour})
	// Baseline: an uncharged round trip with no search, to separate loopback
	// HTTP cost from search cost.
	b.Run("baseline-rate_limit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			resp, err := http.Get(s.URL() + "rate_limit")
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	for _, bc := range []struct{ name, q, sort string }{
		{"closed-window", "repo:QubesOS/qubes-issues is:issue reason:completed closed:2024-03-26T00:00:00Z..2024-09-09T23:59:59Z", "created"},
		{"narrow-window", "repo:QubesOS/qubes-issues is:issue reason:completed closed:2024-05-01..2024-05-02", "created"},
		{"labels-no-window", `repo:QubesOS/qubes-issues is:issue label:"T: bug" -label:"R: duplicate"`, ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			v := url.Values{"q": {bc.q}, "per_page": {"100"}, "sort": {bc.sort}, "order": {"asc"}}
			for i := 0; i < b.N; i++ {
				v.Set("page", strconv.Itoa(i%10+1))
				resp, err := http.Get(s.URL() + "search/issues?" + v.Encode())
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
