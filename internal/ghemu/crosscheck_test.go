package ghemu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/relnotes/relnotes/filters"
)

// The fetch engine keeps only the items filters.Query.Match accepts, and
// the emulator stands in for GitHub's search. If the two read a query
// differently, the link, the fetched list and the rendered notes stop
// describing the same issues. These tests compare them on every pair of a
// random structured query and an issue, and check that the emulator's
// verdict survives the query's round trip through its text and its link.

// ccRepos are the repositories of the cross-check tracker, spelt the way the
// tracker spells them; queries name them in random case.
var ccRepos = []string{"example/tracker", "Example/Other", "acme/widgets"}

// ccBase is where the generated trackers and the hand-made cases live: a
// short stretch of time, so that random windows cut through the data.
var ccBase = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// ccBoundaryIssues are items GitHub's semantics disagree on easily: closes
// exactly on day boundaries, null and unusual close reasons, bots, labels
// that differ only in case or contain commas and colons.
func ccBoundaryIssues() []Issue {
	day := func(d, h, m, s int) time.Time {
		return ccBase.AddDate(0, 0, d).Add(time.Duration(h*3600+m*60+s) * time.Second)
	}
	created := ccBase.AddDate(0, 0, -10)
	is := []Issue{
		{Number: 1, Author: "alice", State: "closed", StateReason: "completed", Labels: []string{"T: bug"}, ClosedAt: day(0, 0, 0, 0), LinkedPR: true},
		{Number: 2, Author: "alice", State: "closed", StateReason: "completed", Labels: []string{"t: BUG"}, ClosedAt: day(0, 23, 59, 59)},
		{Number: 3, Author: "Bob", State: "closed", StateReason: "completed", Labels: []string{"T: Bug", "C: core"}, ClosedAt: day(1, 0, 0, 0)},
		{Number: 4, Author: "bob", State: "closed", StateReason: "", Labels: []string{"C: core"}, ClosedAt: day(1, 12, 0, 0), Type: "bug"},
		{Number: 5, Author: "carol", State: "closed", StateReason: "duplicate", Labels: []string{"R: duplicate"}, ClosedAt: day(-1, 23, 59, 59)},
		{Number: 6, Author: "carol", State: "closed", StateReason: "not_planned", Labels: []string{"R: declined"}, ClosedAt: day(2, 0, 0, 0), Milestone: "release 4.2"},
		{Number: 7, Author: "dependabot[bot]", AuthorIsBot: true, IsPR: true, State: "closed", Labels: []string{"dependencies"}, ClosedAt: day(0, 0, 0, 0)},
		{Number: 8, Author: "Renovate[bot]", AuthorIsBot: true, State: "closed", StateReason: "completed", ClosedAt: day(3, 23, 59, 59)},
		{Number: 9, Author: "dave", State: "open", StateReason: "reopened", Labels: []string{"a,b", "needs diagnosis"}, Milestone: "Release 4.2", Type: "Feature"},
		{Number: 10, Author: "dave", State: "open", Labels: []string{"Ünïcode", "x:y"}},
		{Number: 11, Author: "eve", IsPR: true, State: "open", Labels: []string{"dependencies"}},
		{Number: 12, Author: "eve", State: "closed", StateReason: "completed", Labels: []string{"a", "b"}, ClosedAt: day(-1, 0, 0, 0), Type: "Task", LinkedPR: true},
		{Number: 13, Author: "frank", IsPR: true, State: "closed", StateReason: "completed", ClosedAt: day(4, 0, 0, 1)},
		{Number: 14, Author: "frank", State: "closed", StateReason: "not_planned", Labels: []string{"ÜNÏCODE"}, ClosedAt: day(3, 0, 0, 0)},
		// Reopened, with the old close time still attached: GitHub clears
		// closed_at on reopening, so no closed: window may match it.
		{Number: 15, Author: "grace", State: "open", StateReason: "reopened", Labels: []string{"λάθος"}, ClosedAt: day(0, 12, 0, 0)},
		// Letters whose case folding is wider than their lower case.
		{Number: 16, Author: "grace", State: "closed", StateReason: "completed", Labels: []string{"ſecurity", "ΛΆΘΟΣ"}, ClosedAt: day(1, 23, 59, 59)},
	}
	for i := range is {
		is[i].Repo = "acme/widgets"
		is[i].Title = fmt.Sprintf("boundary case %d", is[i].Number)
		is[i].CreatedAt = created.Add(time.Duration(i) * 37 * time.Hour)
	}
	// Created exactly on day boundaries too.
	is[0].CreatedAt = ccBase.AddDate(0, 0, -3)
	is[1].CreatedAt = ccBase.AddDate(0, 0, -3).Add(-time.Second)
	return is
}

// ccTracker returns a small tracker of generated and hand-made items. With
// manyLabels it also carries more than 64 distinct labels, so the emulator
// compares labels as text instead of bit masks.
func ccTracker(seed int64, manyLabels bool) []Issue {
	var out []Issue
	for i, r := range ccRepos[:2] {
		out = append(out, Generate(seed+int64(i), GenOptions{
			Repo: r, Issues: 25, Start: ccBase.AddDate(0, 0, -20), End: ccBase.AddDate(0, 0, 10), HostileEvery: -1,
		})...)
	}
	out = append(out, ccBoundaryIssues()...)
	if manyLabels {
		pad := Issue{Repo: "acme/widgets", Number: 99, Title: "many labels", Author: "zed", State: "open", CreatedAt: ccBase}
		for i := 0; i < 70; i++ {
			pad.Labels = append(pad.Labels, fmt.Sprintf("pad-%d", i))
		}
		out = append(out, pad)
	}
	return out
}

// toFiltersIssue is what the fetch engine knows about an item the emulator
// serves: the REST payload's fields, plus whether a pull request links it
// (the engine learns that elsewhere; here it is taken from the record).
func toFiltersIssue(is Issue) filters.Issue {
	linked := is.LinkedPR
	return filters.Issue{
		Repo:        is.Repo,
		Number:      is.Number,
		IsPR:        is.IsPR,
		State:       is.State,
		StateReason: is.StateReason,
		Labels:      is.Labels,
		Type:        is.Type,
		Milestone:   is.Milestone,
		Author:      is.Author,
		AuthorIsBot: is.AuthorIsBot,
		LinkedPR:    &linked,
		CreatedAt:   is.CreatedAt,
		ClosedAt:    is.ClosedAt,
	}
}

// ccGen draws random structured queries over the names and times of a
// tracker.
type ccGen struct {
	rng                               *rand.Rand
	labels, types, miles, authors     []string
	times                             []time.Time // close and creation times of the tracker
	kinds                             []filters.Kind
	states                            []filters.State
	reasons                           []filters.Reason
	unknownLabel, unknownMile, nobody string
}

func newCCGen(seed uint64, issues []Issue) *ccGen {
	g := &ccGen{
		rng:          rand.New(rand.NewPCG(seed, 0x5eed)),
		kinds:        []filters.Kind{filters.KindAny, filters.KindIssue, filters.KindPR},
		states:       []filters.State{filters.StateAny, filters.StateOpen, filters.StateClosed},
		reasons:      []filters.Reason{filters.ReasonAny, filters.ReasonCompleted, filters.ReasonNotPlanned},
		unknownLabel: "no such label", unknownMile: "Release 9.9", nobody: "nobody-here",
	}
	seen := map[string]bool{}
	uniq := func(list *[]string, kind, v string) {
		if v != "" && !seen[kind+v] {
			seen[kind+v] = true
			*list = append(*list, v)
		}
	}
	for _, is := range issues {
		for _, l := range is.Labels {
			if !strings.HasPrefix(l, "pad-") {
				uniq(&g.labels, "l", l)
			}
		}
		uniq(&g.types, "t", is.Type)
		uniq(&g.miles, "m", is.Milestone)
		uniq(&g.authors, "a", is.Author)
		if login, ok := strings.CutSuffix(is.Author, "[bot]"); ok {
			uniq(&g.authors, "a", "app/"+login)
		}
		g.times = append(g.times, is.CreatedAt)
		if !is.ClosedAt.IsZero() {
			g.times = append(g.times, is.ClosedAt)
		}
	}
	return g
}

func (g *ccGen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// recase flips the case of some letters, as a person typing a query might.
func (g *ccGen) recase(s string) string {
	if g.rng.IntN(2) == 0 {
		return s
	}
	r := []rune(s)
	for i, c := range r {
		if g.rng.IntN(3) == 0 {
			if unicode.IsUpper(c) {
				r[i] = unicode.ToLower(c)
			} else {
				r[i] = unicode.ToUpper(c)
			}
		}
	}
	return string(r)
}

func (g *ccGen) name(list []string, unknown string) string {
	if g.rng.IntN(8) == 0 {
		return unknown
	}
	return g.recase(g.pick(list))
}

// bound returns a random window end near the tracker's times: exactly a
// close or creation time, one second off it, its day, or the first or last
// second of its day.
func (g *ccGen) bound() filters.Bound {
	t := g.times[g.rng.IntN(len(g.times))]
	switch g.rng.IntN(7) {
	case 0, 1:
		return filters.Day(t)
	case 2:
		return filters.Instant(t)
	case 3:
		return filters.Instant(t.Add(time.Second))
	case 4:
		return filters.Instant(t.Add(-time.Second))
	case 5:
		return filters.Instant(filters.Day(t).T) // 00:00:00Z
	default:
		return filters.Instant(filters.Day(t).T.Add(24*time.Hour - time.Second)) // 23:59:59Z
	}
}

func (g *ccGen) window() filters.Window {
	var w filters.Window
	switch g.rng.IntN(6) {
	case 0, 1, 2:
		return w
	case 3:
		w.From = g.bound()
	case 4:
		w.To = g.bound()
	default:
		w.From, w.To = g.bound(), g.bound()
		if g.rng.IntN(4) == 0 {
			w.To = w.From // a single day or instant
		}
		if w.Empty() {
			w.From, w.To = w.To, w.From
		}
		if w.Empty() { // a day and an instant inside it, in the wrong order
			w.To = filters.Bound{}
		}
	}
	return w
}

func (g *ccGen) query() filters.Query {
	r := g.rng
	q := filters.Query{
		Kind:   g.kinds[max(0, r.IntN(5)-2)],
		State:  g.states[max(0, r.IntN(5)-2)],
		Reason: g.reasons[max(0, r.IntN(5)-2)],
	}
	if r.IntN(6) == 0 {
		q.Type = g.name(g.types, "Epic")
	}
	for n := max(0, r.IntN(4)-1); n > 0; n-- {
		var grp []string
		for m := 1 + r.IntN(3); m > 0; m-- {
			grp = append(grp, g.name(g.labels, g.unknownLabel))
		}
		q.Labels = append(q.Labels, grp)
	}
	for n := max(0, r.IntN(4)-1); n > 0; n-- {
		q.ExcludeLabels = append(q.ExcludeLabels, g.name(g.labels, g.unknownLabel))
	}
	if r.IntN(6) == 0 {
		q.Milestone = g.name(g.miles, g.unknownMile)
	}
	for n := r.IntN(3); n > 0 && r.IntN(2) == 0; n-- {
		q.Authors = append(q.Authors, g.name(g.authors, g.nobody))
	}
	for n := r.IntN(3); n > 0 && r.IntN(2) == 0; n-- {
		q.ExcludeAuthors = append(q.ExcludeAuthors, g.name(g.authors, g.nobody))
	}
	if x := r.IntN(6); x < 2 {
		v := x == 0
		q.LinkedPR = &v
	}
	q.Closed, q.Created = g.window(), g.window()
	for n := r.IntN(3); n > 0 && r.IntN(2) == 0; n-- {
		q.Repos = append(q.Repos, g.recase(g.pick(ccRepos)))
	}
	for n := r.IntN(2); n > 0 && r.IntN(2) == 0; n-- {
		owner, _, _ := strings.Cut(g.pick(ccRepos), "/")
		q.Orgs = append(q.Orgs, g.recase(owner))
	}
	return q
}

// crossCheck compares, for every item of d, filters' Match with the
// emulator's verdict on q (both its fast and its full path) and on q read
// back from its text and from its link. It reports how many items matched.
func crossCheck(t *testing.T, d *dataset, q filters.Query) int {
	t.Helper()
	m, err := compile(q, d)
	if err != nil {
		t.Fatalf("emulator refused %q: %v", q, err)
	}
	var back []*matcher
	for _, text := range []string{q.String(), q.URL("https://github.com", filters.EncodingPercent)} {
		q2, err := filters.Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		m2, err := compile(q2, d)
		if err != nil {
			t.Fatalf("emulator refused %q read back from %q: %v", q2, text, err)
		}
		back = append(back, m2)
	}
	hits := 0
	for i := range d.recs {
		r := &d.recs[i]
		emu := m.matchAt(d, int32(i))
		if full := m.match(r); full != emu {
			t.Errorf("emulator's fast path says %v, its full match %v\nquery: %s\nitem:  %s", emu, full, q, ccDescribe(r.iss))
		}
		cli, why := q.Match(toFiltersIssue(r.iss))
		if cli != emu {
			t.Errorf("filters.Match says %v (%s), emulator %v\nquery: %s\nitem:  %s", cli, why, emu, q, ccDescribe(r.iss))
		}
		for j, m2 := range back {
			if got := m2.matchAt(d, int32(i)); got != emu {
				t.Errorf("emulator says %v on the query and %v on it read back from its %s\nquery: %s\nitem:  %s",
					emu, got, []string{"text", "link"}[j], q, ccDescribe(r.iss))
			}
		}
		if emu {
			hits++
		}
	}
	return hits
}

func ccDescribe(is Issue) string {
	closed := "-"
	if !is.ClosedAt.IsZero() {
		closed = is.ClosedAt.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s#%d pr=%v state=%s reason=%q labels=%q type=%q milestone=%q author=%s bot=%v linked=%v created=%s closed=%s",
		is.Repo, is.Number, is.IsPR, is.State, is.StateReason, is.Labels, is.Type, is.Milestone, is.Author, is.AuthorIsBot,
		is.LinkedPR, is.CreatedAt.Format(time.RFC3339), closed)
}

// runCrossCheck checks n random queries against the tracker of seed and
// returns how many (query, item) pairs matched, so callers can tell the
// queries were not all trivially empty.
func runCrossCheck(t *testing.T, seed uint64, n int) (pairs, hits int) {
	t.Helper()
	for _, many := range []bool{false, true} {
		issues := ccTracker(int64(seed), many)
		if err := checkIssues(issues); err != nil {
			t.Fatal(err)
		}
		d := newDataset(issues)
		g := newCCGen(seed, issues)
		for i := 0; i < n; i++ {
			q := g.query()
			if err := q.Validate(); err != nil {
				t.Fatalf("generated an invalid query %q: %v", q, err)
			}
			hits += crossCheck(t, d, q)
			pairs += len(d.recs)
			if t.Failed() {
				return pairs, hits
			}
		}
	}
	return pairs, hits
}

func TestCrossCheckMatch(t *testing.T) {
	seeds := []uint64{1, 2, 3, 20240326, 0xdecaf, 1 << 40}
	if testing.Short() {
		seeds = seeds[:2]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			pairs, hits := runCrossCheck(t, seed, 400)
			// Random queries mostly match nothing; a generator that never
			// produced a match would make this test vacuous.
			if hits == 0 {
				t.Errorf("no (query, item) pair of %d matched", pairs)
			}
		})
	}
}

// TestCrossCheckHandPicked pins the queries whose semantics were settled
// on purpose, so a change on either side shows up under its own name.
func TestCrossCheckHandPicked(t *testing.T) {
	d := newDataset(ccTracker(1, false))
	day := func(s string) filters.Bound { return filters.Day(ts(s)) }
	inst := func(s string) filters.Bound { return filters.Instant(ts(s)) }
	yes, no := true, false
	for _, tc := range []struct {
		name string
		q    filters.Query
		want int // items of acme/widgets the emulator matches
	}{
		{"whole UTC day, both ends", filters.Query{Closed: filters.Window{From: day("2024-06-01T00:00:00Z"), To: day("2024-06-01T00:00:00Z")}}, 3},
		{"instant bounds are inclusive", filters.Query{Closed: filters.Window{From: inst("2024-06-01T00:00:00Z"), To: inst("2024-06-01T23:59:59Z")}}, 3},
		{"null reason is completed", filters.Query{Kind: filters.KindIssue, Reason: filters.ReasonCompleted}, 7},
		{"not planned", filters.Query{Reason: filters.ReasonNotPlanned}, 2},
		{"labels fold case", filters.Query{Labels: [][]string{{"t: bug"}}}, 3},
		{"label OR group", filters.Query{Labels: [][]string{{"R: DUPLICATE", "r: declined"}}}, 2},
		{"label with a comma is one label", filters.Query{Labels: [][]string{{"a,b"}}}, 1},
		{"unicode label folds", filters.Query{Labels: [][]string{{"ünïcode"}}}, 2},
		// Lower-casing letter by letter, as a search index does, leaves a
		// final ς alone: ΛΆΘΟΣ finds the label ΛΆΘΟΣ, not λάθος.
		{"final sigma", filters.Query{Labels: [][]string{{"λάθοσ"}}}, 1},
		{"long s is not s", filters.Query{Labels: [][]string{{"Security"}}}, 0},
		{"app author", filters.Query{Authors: []string{"app/RENOVATE"}}, 1},
		{"bot login", filters.Query{ExcludeAuthors: []string{"app/dependabot", "Renovate[BOT]"}, Kind: filters.KindAny}, 14},
		{"milestone folds case", filters.Query{Milestone: "RELEASE 4.2"}, 2},
		{"type folds case", filters.Query{Type: "BUG"}, 1},
		{"linked", filters.Query{LinkedPR: &yes}, 2},
		{"not linked", filters.Query{LinkedPR: &no, State: filters.StateClosed}, 10},
		{"open issue has no close time", filters.Query{Closed: filters.Window{To: day("2030-01-01T00:00:00Z")}}, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Orgs = []string{"ACME"}
			if hits := crossCheck(t, d, q); hits != tc.want {
				t.Errorf("%q matched %d items, want %d", q, hits, tc.want)
			}
		})
	}
}

// FuzzCrossCheck draws the tracker and the queries from the fuzzer's seed.
func FuzzCrossCheck(f *testing.F) {
	for _, s := range []uint64{0, 7, 42} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		runCrossCheck(t, seed, 20)
	})
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
