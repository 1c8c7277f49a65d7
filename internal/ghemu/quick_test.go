package ghemu

import (
	"math/rand/v2"
	"testing"

	"github.com/relnotes/relnotes/filters"
)

// TestQuickPathAgreesWithFullMatch checks that the hot-record shortcut in
// matchAt never disagrees with the plain reading of the query in match.
func TestQuickPathAgreesWithFullMatch(t *testing.T) {
	issues := Generate(4, GenOptions{Repo: "a/b", Issues: 3000})
	issues = append(issues, Generate(5, GenOptions{Repo: "c/d", Issues: 1000})...)
	d := newDataset(issues)
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	yes, no := true, false
	for n := 0; n < 300; n++ {
		q := filters.Query{
			Kind:   filters.Kind(pick("", "issue", "pr")),
			State:  filters.State(pick("", "open", "closed")),
			Reason: filters.Reason(pick("", "completed", "not planned")),
			Repos:  []string{pick("a/b", "C/D")}[:rng.IntN(2)],
			Orgs:   []string{pick("a", "c")}[:rng.IntN(2)],
		}
		switch rng.IntN(3) {
		case 1:
			q.LinkedPR = &yes
		case 2:
			q.LinkedPR = &no
		}
		if rng.IntN(2) == 0 {
			from := filters.Instant(issues[rng.IntN(len(issues))].CreatedAt)
			q.Closed = filters.Window{From: from, To: filters.Day(from.T.AddDate(0, 2, 0))}
		}
		m, err := compile(q, d)
		if err != nil {
			t.Fatal(err)
		}
		if m.full {
			t.Fatalf("query %+v should not need the full match", q)
		}
		for i := range d.recs {
			if got, want := m.matchAt(d, int32(i)), m.match(&d.recs[i]); got != want {
				t.Fatalf("query %+v, issue %+v: quick %v, full %v", q, d.recs[i].iss, got, want)
			}
		}
	}
}
