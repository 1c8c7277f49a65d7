package ghemu_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// FuzzSearchAgreesWithGroundTruth checks that for any q the API and Search
// agree: a 200 carries total_count == len(Search(q)), and a 422 is exactly
// when Search refuses the query. Nothing else (no 500, no dropped
// connection) may come back.
func FuzzSearchAgreesWithGroundTruth(f *testing.F) {
	for _, q := range []string{
		"repo:o/a is:issue reason:completed closed:2024-03-26..2024-03-31",
		`label:"T: bug","C: doc" -label:"R: declined" author:app/dependabot`,
		"closed:>=2024-03-26T23:59:59Z -linked:pr type:Bug",
		"crash in:title -is:pr no:label",
		"repo:o/missing",
		"bogus:1 OR (x)",
		`milestone:"Release 4.2" org:o user:p`,
		"",
	} {
		f.Add(q)
	}
	s := ghemutest.Start(f, ghemu.Config{Issues: tiny(), SearchLimitUnauth: 1 << 30, RateWindow: time.Hour})
	f.Fuzz(func(t *testing.T, q string) {
		resp, err := http.Get(s.URL() + "search/issues?" + url.Values{"q": {q}, "per_page": {"100"}}.Encode())
		if err != nil {
			t.Fatalf("q=%q: %v", q, err)
		}
		defer resp.Body.Close()
		var body struct {
			Total int `json:"total_count"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("q=%q: status %d, body not JSON: %v", q, resp.StatusCode, err)
		}
		want, serr := s.Search(q)
		switch resp.StatusCode {
		case 200:
			if serr != nil || body.Total != len(want) {
				t.Errorf("q=%q: API total %d, ground truth %d (err %v)", q, body.Total, len(want), serr)
			}
		case 422:
			if serr == nil && strings.TrimSpace(q) != "" {
				t.Errorf("q=%q: API refused, ground truth accepted", q)
			}
		default:
			t.Errorf("q=%q: status %d", q, resp.StatusCode)
		}
	})
}
