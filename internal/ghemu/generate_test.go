package ghemu_test

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func TestGenerateDeterministic(t *testing.T) {
	opt := ghemu.GenOptions{Repo: "a/b", Issues: 2000}
	a, b := ghemu.Generate(1, opt), ghemu.Generate(1, opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed differs:\n%s", cmp.Diff(a, b))
	}
	c := ghemu.Generate(2, opt)
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same tracker")
	}
}

// TestGenerateRealism checks the properties tests elsewhere rely on.
func TestGenerateRealism(t *testing.T) {
	start, end := ts("2019-01-01T00:00:00Z"), ts("2025-06-01T00:00:00Z")
	issues := ghemu.Generate(5, ghemu.GenOptions{Repo: "QubesOS/qubes-issues", Issues: 20000, Start: start, End: end})
	if len(issues) != 20000 {
		t.Fatalf("%d issues", len(issues))
	}
	reasonsIntroduced := ts("2022-05-19T00:00:00Z")
	seen := map[string]int{}
	closes := map[time.Time]int{}
	hostile := map[string]bool{}
	for _, h := range ghemu.HostileTitles() {
		hostile[h] = false
	}
	for k, is := range issues {
		if k > 0 && (is.Number != issues[k-1].Number+1 || is.CreatedAt.Before(issues[k-1].CreatedAt)) {
			t.Fatalf("numbers do not follow creation order at %d", k)
		}
		if is.CreatedAt.Before(start) || is.CreatedAt.After(end) || is.UpdatedAt.Before(is.CreatedAt) {
			t.Fatalf("#%d times out of range: %+v", is.Number, is)
		}
		if _, ok := hostile[is.Title]; ok {
			hostile[is.Title] = true
		}
		switch is.State {
		case "open":
			if !is.ClosedAt.IsZero() {
				t.Fatalf("#%d open with closed_at", is.Number)
			}
			continue
		case "closed":
		default:
			t.Fatalf("#%d state %q", is.Number, is.State)
		}
		if is.ClosedAt.Before(is.CreatedAt) || is.ClosedAt.After(end) {
			t.Fatalf("#%d closed %v outside [created, end]", is.Number, is.ClosedAt)
		}
		if is.IsPR && is.StateReason != "" {
			t.Fatalf("PR #%d has state_reason %q", is.Number, is.StateReason)
		}
		if !is.IsPR && is.StateReason == "" && !is.ClosedAt.Before(reasonsIntroduced) {
			t.Fatalf("#%d null reason after close reasons existed", is.Number)
		}
		if !is.IsPR {
			seen["reason:"+is.StateReason]++
		}
		closes[is.ClosedAt]++
		switch is.ClosedAt.Format("15:04:05") {
		case "00:00:00":
			seen["midnight"]++
		case "23:59:59":
			seen["last second"]++
		}
		if is.AuthorIsBot {
			seen["bot"]++
		}
		if is.Type != "" {
			seen["type"]++
		}
		if is.Milestone != "" {
			seen["milestone"]++
		}
	}
	for _, c := range closes {
		if c > 1 {
			seen["bulk"]++
		}
	}
	for _, k := range []string{"reason:", "reason:completed", "reason:not_planned", "reason:duplicate", "midnight", "last second", "bot", "type", "milestone", "bulk"} {
		if seen[k] < 5 {
			t.Errorf("only %d of %q", seen[k], k)
		}
	}
	for h, ok := range hostile {
		if !ok {
			t.Errorf("hostile title %q never used", h)
		}
	}
}

// TestGenerateDense checks that exactly n issues match the planted window,
// counted by the emulator's ground truth and by total_count over HTTP.
func TestGenerateDense(t *testing.T) {
	from, to := ts("2022-03-26T00:00:00Z"), ts("2022-09-09T23:59:59Z") // straddles the close-reason cut-over
	q := "repo:o/dense is:issue reason:completed closed:2022-03-26T00:00:00Z..2022-09-09T23:59:59Z"
	sizes := []int{0, 1, 100, 999, 1000, 1001, 5000}
	if testing.Short() {
		sizes = sizes[:4]
	}
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			issues := ghemu.GenerateDense(int64(n), "o/dense", n, from, to)
			if len(issues) < 4*n {
				t.Errorf("tracker has %d items, want several times %d", len(issues), n)
			}
			s := ghemutest.Start(t, ghemu.Config{Issues: issues})
			got, err := s.Search(q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("window holds %d, want %d", len(got), n)
			}
			var body struct {
				Total int `json:"total_count"`
			}
			get(t, s, "search/issues?q="+url.QueryEscape(q), nil, &body)
			if body.Total != n {
				t.Errorf("total_count %d, want %d", body.Total, n)
			}
			// Bounds are hit exactly: the first and last second hold planted closes.
			if n >= 2 {
				edge, _ := s.Search("repo:o/dense is:issue reason:completed closed:2022-03-26T00:00:00Z..2022-03-26T00:00:00Z")
				last, _ := s.Search("repo:o/dense is:issue reason:completed closed:2022-09-09T23:59:59Z..2022-09-09T23:59:59Z")
				if len(edge) == 0 || len(last) == 0 {
					t.Errorf("bounds not hit: %d at start, %d at end", len(edge), len(last))
				}
			}
		})
	}
}

func TestSample(t *testing.T) {
	now := ts("2025-03-01T12:34:56Z")
	a := ghemu.Sample(now)
	if d := cmp.Diff(a, ghemu.Sample(now.Add(300*time.Millisecond))); d != "" {
		t.Errorf("Sample depends on sub-second time:\n%s", d)
	}
	if len(a) != 300 || a[0].Repo != "example/tracker" {
		t.Fatalf("%d items, repo %q", len(a), a[0].Repo)
	}
	h := 0
	for _, is := range a {
		if strings.ContainsAny(is.Title, "<>{}`|\n\u202e") {
			h++
		}
		if is.CreatedAt.Before(now.AddDate(-2, 0, 0)) || is.CreatedAt.After(now) {
			t.Errorf("#%d created %v outside the two years", is.Number, is.CreatedAt)
		}
	}
	if h < 8 {
		t.Errorf("only %d hostile titles", h)
	}
}
