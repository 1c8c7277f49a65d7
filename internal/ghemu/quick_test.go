package ghemu

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/relnotes/relnotes/filters"
)

// TestQuickPathAgreesWithFullMatch checks that the hot-record shortcut in
// matchAt never disagrees with the plain reading of the query in match.
func TestQuickPathAgreesWithFullMatch(t *testing.T) {
	issues := Generate(4, GenOptions{Repo: "a/b", Issues: 3000})
	issues = append(issues, Generate(5, GenOptions{Repo: "c/d", Issues: 1000})...)
	many := slices.Clone(issues)
	for i := range many {
		// Over 64 distinct labels: labels are compared as text.
		many[i].Labels = append(slices.Clone(many[i].Labels), fmt.Sprint("extra-", i%80))
	}
	for k, d := range []*dataset{newDataset(issues), newDataset(many)} {
		if d.labelBits != (k == 0) {
			t.Fatalf("dataset %d: labelBits %v", k, d.labelBits)
		}
		checkQuickPath(t, d, issues)
	}
}

func checkQuickPath(t *testing.T, d *dataset, issues []Issue) {
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
			q.Labels = append(q.Labels, []string{pick("T: bug", "t: ENHANCEMENT", "C: core", "no such label")})
		}
		if rng.IntN(3) == 0 {
			q.Labels = append(q.Labels, []string{pick("P: major", "P: minor"), pick("C: doc", "affects-4.2")})
		}
		if rng.IntN(2) == 0 {
			q.ExcludeLabels = []string{pick("R: duplicate", "c: core", "unknown")}
		}
		q.Type = pick("", "", "bug", "Feature", "Nope")
		q.Milestone = pick("", "", "release 4.2", "Non-release", "Nope")
		if rng.IntN(3) == 0 {
			q.Authors = []string{pick("marmarek", "app/dependabot", "nobody"), pick("DemiMarie", "unman")}
		}
		if rng.IntN(3) == 0 {
			q.ExcludeAuthors = []string{pick("app/renovate", "marmarek", "nobody")}
		}
		if rng.IntN(2) == 0 {
			from := filters.Instant(issues[rng.IntN(len(issues))].CreatedAt)
			q.Closed = filters.Window{From: from, To: filters.Day(from.T.AddDate(0, 2, 0))}
		}
		m, err := compile(q, d)
		if err != nil {
			t.Fatal(err)
		}
		if want := !d.labelBits && (len(q.Labels) > 0 || len(q.ExcludeLabels) > 0); m.full != want {
			t.Fatalf("query %v: full match %v, want %v", q, m.full, want)
		}
		for i := range d.recs {
			if got, want := m.matchAt(d, int32(i)), m.match(&d.recs[i]); got != want {
				t.Fatalf("query %+v, issue %+v: quick %v, full %v", q, d.recs[i].iss, got, want)
			}
		}
	}
}
