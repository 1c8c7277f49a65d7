package ghemu

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// GenOptions shapes a generated tracker. Zero fields take the defaults noted.
type GenOptions struct {
	Repo   string // OWNER/NAME; default "example/tracker"
	Issues int    // issues and pull requests in total; default 1000
	// Start and End bound every timestamp; default the two years before
	// 2025-01-01. Items are created uniformly between them.
	Start, End time.Time
	// PRShare is the fraction of items that are pull requests; default 0.3.
	// Set a negative value for none.
	PRShare float64
	// HostileEvery puts a hostile title (Markdown, HTML, template syntax,
	// mentions, bidi overrides, newlines, 300+ characters ...) on every n-th
	// item, cycling through HostileTitles; default 50, negative for none.
	HostileEvery int
	// FirstNumber is the number of the oldest item; default 1. Numbers follow
	// creation order, as on GitHub.
	FirstNumber int

	// When CompletedTo is set, exactly Completed items match
	// `is:issue reason:completed closed:FROM..TO` (inclusive instants, UTC):
	// that many issues are planted there (a few exactly on both bounds, on
	// day boundaries and in bulk closes of the same second), and no other item
	// closes as completed in that window. Other items may still close there
	// as not planned or duplicate, and pull requests may close there. If
	// Issues is smaller than Completed, the tracker has Completed items.
	Completed                  int
	CompletedFrom, CompletedTo time.Time
}

// reasonsIntroduced is when GitHub started recording close reasons: issues
// closed before it have a null state_reason.
var reasonsIntroduced = time.Date(2022, 5, 19, 0, 0, 0, 0, time.UTC)

// HostileTitles are titles that break careless renderers; Generate cycles
// through them. Each call returns a new slice.
func HostileTitles() []string {
	return []string{
		"**x** [a](javascript:alert(1))",
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"{{ .Title }} and {{template \"x\"}}",
		"@everyone please look at #123",
		"Pipes | in | titles | break tables",
		"Backticks ``` and `code` and \\ backslashes",
		"Right-to-left \u202Eoverride\u202C text",
		"Title with\nnewline\r\nand CRLF",
		"Émoji 🚀🔥 ünïcödé 漢字 עברית",
		"[link](https://example.com) <https://evil.example> www.example.com",
		"# Heading? - list? > quote? 1. item",
		"&amp; &lt;b&gt; entities &#106;avascript:",
		strings.Repeat("Very long title ", 20) + "end",
		"~~strike~~ _under_ *star* __bold__ ||spoiler||",
		"   leading and trailing spaces   ",
	}
}

var (
	components = []string{"C: core", "C: doc", "C: gui-domain", "C: manager", "C: installer", "C: kernel", "C: xen", "C: templates", "C: networking", "C: updates"}
	priorities = []string{"P: minor", "P: default", "P: major", "P: critical", "P: blocker"}
	affects    = []string{"affects-4.1", "affects-4.2", "affects-4.3"}
	notPlanned = []string{"R: declined", "R: cannot reproduce", "R: not applicable", "R: self-closed", "R: upstream issue"}
	milestones = []string{"Release 4.2", "Release 4.2 updates", "Release 4.3", "Non-release", "Release 4.1 updates"}
	humans     = []string{"marmarek", "andrewdavidwong", "DemiMarie", "marmarta", "fepitre", "ben-grande", "3hhh", "unman", "rustybird", "HW42", "jamke", "pwmarcz", "zaz", "ArrayBolt3", "alimirjamali", "noskb", "kenosen", "tlaurion", "iacore", "Minimalist73", "apparatus", "emanruse", "ninavizz", "ddevz", "UndeadDevel", "tasket", "brendanhoar", "adrelanos", "JoshuaBradford", "sven-semmler"}
	bots       = []string{"dependabot[bot]", "renovate[bot]", "github-actions[bot]"}
	verbs      = []string{"Fix", "Add", "Remove", "Update", "Improve", "Support", "Document", "Refactor", "Handle", "Crash in", "Regression in", "Cannot start", "Slow", "Broken"}
	objects    = []string{"qvm-backup", "qube manager", "USB passthrough", "sys-net", "Whonix templates", "installer on NVMe", "suspend/resume", "audio in disposables", "GPU passthrough", "update notifier", "qrexec policy", "split GPG", "kernel 6.6", "Fedora 40 template", "Debian 12 template", "clipboard", "file copy", "tray icon", "Xen 4.17", "LVM thin pool"}
	suffixes   = []string{"", " on 4.2", " after update", " (regression)", " in R4.1", " with many qubes", ""}
	bodies     = []string{
		"Steps to reproduce:\n1. Start the qube\n2. Observe the error\n\nExpected: it works.",
		"This has been broken since the last update.",
		"See the linked discussion for details.",
		"",
		"Proposed change: make it configurable.",
		"Logs attached in the comments.",
	}
	botTitles = []string{"Bump golang.org/x/net from 0.17.0 to 0.23.0", "Update dependency pytest to v8", "chore(deps): update actions/checkout action to v4", "Bump requests from 2.31.0 to 2.32.0"}
)

// Generate builds a deterministic, realistic tracker for opt.Repo: issues and
// pull requests over the years between Start and End, with Qubes-like labels,
// issue types, milestones, close reasons (null before reasonsIntroduced), bot
// authors, closes exactly on day boundaries, bulk closes in one second, and
// hostile titles. The same seed and options give the same issues. The result
// is sorted by creation time and number.
func Generate(seed int64, opt GenOptions) []Issue {
	if opt.Repo == "" {
		opt.Repo = "example/tracker"
	}
	if opt.Issues <= 0 {
		opt.Issues = 1000
	}
	if opt.End.IsZero() {
		opt.End = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if opt.Start.IsZero() || !opt.Start.Before(opt.End) {
		opt.Start = opt.End.AddDate(-2, 0, 0)
	}
	opt.Start, opt.End = opt.Start.UTC().Truncate(time.Second), opt.End.UTC().Truncate(time.Second)
	if opt.PRShare == 0 {
		opt.PRShare = 0.3
	}
	if opt.HostileEvery == 0 {
		opt.HostileEvery = 50
	}
	if opt.FirstNumber <= 0 {
		opt.FirstNumber = 1
	}
	planted := 0
	var wFrom, wTo int64
	if !opt.CompletedTo.IsZero() {
		planted = max(opt.Completed, 0)
		wFrom, wTo = opt.CompletedFrom.UTC().Truncate(time.Second).Unix(), opt.CompletedTo.UTC().Truncate(time.Second).Unix()
		if opt.CompletedFrom.IsZero() {
			wFrom = opt.Start.Unix()
		}
		if wTo < wFrom {
			planted = 0
		}
	}
	n := max(opt.Issues, planted)
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(len(opt.Repo))*0x9e3779b97f4a7c15+uint64(n)))
	start, end := opt.Start.Unix(), opt.End.Unix()
	span := end - start

	out := make([]Issue, n)
	// Planted issues come first so their closes can be chosen before their
	// creation time; numbers are assigned by creation order at the end.
	var prev int64
	for i := 0; i < planted; i++ {
		closed := plantedClose(rng, i, wFrom, wTo)
		if i > 2 && rng.IntN(25) == 0 {
			closed = prev // bulk close: same second as the previous one
		}
		prev = closed
		lo := max(start, closed-2*365*86400)
		created := min(lo, closed)
		if closed > lo {
			created = lo + rng.Int64N(closed-lo+1)
		}
		is := &out[i]
		is.CreatedAt = time.Unix(created, 0).UTC()
		is.ClosedAt = time.Unix(closed, 0).UTC()
		is.State = "closed"
		is.StateReason = "completed"
		if is.ClosedAt.Before(reasonsIntroduced) && rng.IntN(4) != 0 {
			is.StateReason = ""
		}
	}
	for i := planted; i < n; i++ {
		is := &out[i]
		is.CreatedAt = time.Unix(start+rng.Int64N(span+1), 0).UTC()
		is.IsPR = rng.Float64() < opt.PRShare
	}
	for i := range out {
		dress(rng, &out[i], i < planted, opt, end, wFrom, wTo, planted > 0 || !opt.CompletedTo.IsZero())
	}
	bulkAndBoundaries(rng, out[planted:], end, wFrom, wTo, !opt.CompletedTo.IsZero())

	// Sorting indices by a flat key is several times faster than moving the
	// large Issue values around during the sort.
	keys := make([]int64, n)
	idx := make([]int32, n)
	for i := range out {
		keys[i], idx[i] = out[i].CreatedAt.Unix(), int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmpInt(keys[a], keys[b]) })
	sorted := make([]Issue, n)
	for i, j := range idx {
		sorted[i] = out[j]
	}
	out = sorted
	h := HostileTitles()
	for i := range out {
		is := &out[i]
		is.Repo = opt.Repo
		is.Number = opt.FirstNumber + i
		if opt.HostileEvery > 0 && i%opt.HostileEvery == opt.HostileEvery/2 {
			is.Title = h[(i/opt.HostileEvery)%len(h)]
			if (i/opt.HostileEvery)%3 == 0 {
				is.Body = "<details><summary>x</summary><script>alert(document.cookie)</script></details> @everyone"
			}
		}
	}
	return out
}

// plantedClose spreads planted closes over [from, to]: the first two sit
// exactly on the bounds, some land on day boundaries, and some share a
// second with their neighbour (a bulk close).
func plantedClose(rng *rand.Rand, i int, from, to int64) int64 {
	switch {
	case i == 0:
		return from
	case i == 1:
		return to
	}
	t := from + rng.Int64N(to-from+1)
	switch rng.IntN(20) {
	case 0:
		if d := t - t%86400; d >= from {
			t = d // 00:00:00Z
		}
	case 1:
		if d := t - t%86400 + 86399; d <= to {
			t = d // 23:59:59Z
		}
	}
	return t
}

// dress fills in everything but the creation time; planted issues keep their
// close. When guard is set, background items avoid closing as completed
// inside [wFrom, wTo].
func dress(rng *rand.Rand, is *Issue, planted bool, opt GenOptions, end, wFrom, wTo int64, guard bool) {
	created := is.CreatedAt.Unix()
	bot := is.IsPR && rng.IntN(4) == 0
	if bot {
		is.Author = bots[rng.IntN(len(bots))]
		is.AuthorIsBot = true
		is.Title = botTitles[rng.IntN(len(botTitles))]
	} else {
		is.Author = humans[rng.IntN(len(humans))]
		is.Title = verbs[rng.IntN(len(verbs))] + " " + objects[rng.IntN(len(objects))] + suffixes[rng.IntN(len(suffixes))]
	}
	is.Body = bodies[rng.IntN(len(bodies))]
	is.Comments = int(rng.ExpFloat64() * 4)

	if !planted {
		// Most items close; the older, the likelier. Close delays are
		// long-tailed: hours for many, years for some.
		age := float64(end-created) / (365 * 86400)
		pClose := 0.55 + 0.35*min(age, 1)
		if is.IsPR {
			pClose = 0.9
		}
		if rng.Float64() < pClose {
			delay := int64(rng.ExpFloat64() * 30 * 86400)
			if rng.IntN(10) == 0 {
				delay = int64(rng.ExpFloat64() * 400 * 86400)
			}
			if c := created + delay; c <= end {
				is.ClosedAt = time.Unix(c, 0).UTC()
				is.State = "closed"
			}
		}
		if is.State == "" {
			is.State = "open"
			if !is.IsPR && rng.IntN(30) == 0 {
				is.StateReason = "reopened"
			}
		}
		if is.State == "closed" && !is.IsPR {
			switch x := rng.IntN(100); {
			case is.ClosedAt.Before(reasonsIntroduced) && x < 85:
				is.StateReason = ""
			case x < 70:
				is.StateReason = "completed"
			case x < 90:
				is.StateReason = "not_planned"
			default:
				is.StateReason = "duplicate"
			}
			c := is.ClosedAt.Unix()
			if guard && c >= wFrom && c <= wTo && (is.StateReason == "completed" || is.StateReason == "") {
				is.StateReason = "not_planned"
				if rng.IntN(3) == 0 {
					is.StateReason = "duplicate"
				}
			}
		}
	}

	if !is.IsPR {
		is.Labels = make([]string, 0, 6)
		switch x := rng.IntN(10); {
		case x < 5:
			is.Labels = append(is.Labels, "T: bug")
			if rng.IntN(5) != 0 {
				is.Type = "Bug"
			}
		case x < 8:
			is.Labels = append(is.Labels, "T: enhancement")
			if rng.IntN(5) != 0 {
				is.Type = "Feature"
			}
		case x < 9:
			is.Labels = append(is.Labels, "T: task")
			is.Type = "Task"
		}
		is.Labels = append(is.Labels, components[rng.IntN(len(components))])
		if rng.IntN(3) == 0 {
			is.Labels = append(is.Labels, components[rng.IntN(len(components))])
		}
		is.Labels = append(is.Labels, priorities[rng.IntN(len(priorities))])
		if rng.IntN(3) == 0 {
			is.Labels = append(is.Labels, affects[rng.IntN(len(affects))])
		}
		if is.State == "open" && rng.IntN(4) == 0 {
			is.Labels = append(is.Labels, "needs diagnosis")
		}
		switch is.StateReason {
		case "duplicate":
			is.Labels = append(is.Labels, "R: duplicate")
		case "not_planned":
			is.Labels = append(is.Labels, notPlanned[rng.IntN(len(notPlanned))])
		case "completed":
			is.LinkedPR = rng.IntN(3) == 0
		}
		slices.Sort(is.Labels)
		is.Labels = slices.Compact(is.Labels)
		if rng.IntN(3) != 0 {
			is.Milestone = milestones[rng.IntN(len(milestones))]
		}
	} else if bot {
		is.Labels = []string{"dependencies"}
	}

	upd := created
	if !is.ClosedAt.IsZero() {
		upd = is.ClosedAt.Unix()
	}
	upd += int64(rng.ExpFloat64() * 3 * 86400)
	is.UpdatedAt = time.Unix(min(upd, max(end, created)), 0).UTC()
	if !is.ClosedAt.IsZero() && is.UpdatedAt.Before(is.ClosedAt) {
		is.UpdatedAt = is.ClosedAt
	}
}

// bulkAndBoundaries moves some closes of background items onto day
// boundaries and into bulk closes (several issues in one second), keeping
// every close after its creation, before end, and (when guard is set) out of
// the planted window if the item closed as completed.
func bulkAndBoundaries(rng *rand.Rand, items []Issue, end, wFrom, wTo int64, guard bool) {
	ok := func(is *Issue, t int64) bool {
		if t < is.CreatedAt.Unix() || t > end {
			return false
		}
		completed := !is.IsPR && (is.StateReason == "completed" || is.StateReason == "")
		return !(guard && completed && t >= wFrom && t <= wTo)
	}
	move := func(is *Issue, t int64) {
		is.ClosedAt = time.Unix(t, 0).UTC()
		if is.UpdatedAt.Before(is.ClosedAt) {
			is.UpdatedAt = is.ClosedAt
		}
	}
	var lastBulk int64
	for i := range items {
		is := &items[i]
		if is.State != "closed" {
			continue
		}
		c := is.ClosedAt.Unix()
		switch x := rng.IntN(100); {
		case x < 2:
			if t := c - c%86400; ok(is, t) {
				move(is, t)
			}
		case x < 4:
			if t := c - c%86400 + 86399; ok(is, t) {
				move(is, t)
			}
		case x < 8:
			if lastBulk != 0 && ok(is, lastBulk) && is.ClosedAt.Before(reasonsIntroduced) == time.Unix(lastBulk, 0).Before(reasonsIntroduced) {
				move(is, lastBulk)
			} else {
				lastBulk = c
			}
		}
	}
}

// GenerateDense builds a tracker for repo in which exactly n issues match
// `is:issue reason:completed closed:START..END` (instants), hidden among
// about four times as many other items created from a year before start to
// three months after end.
func GenerateDense(seed int64, repo string, n int, start, end time.Time) []Issue {
	return Generate(seed, GenOptions{
		Repo:          repo,
		Issues:        4*n + 200,
		Start:         start.AddDate(-1, 0, 0),
		End:           end.AddDate(0, 3, 0),
		Completed:     n,
		CompletedFrom: start,
		CompletedTo:   end,
	})
}

// Sample is the built-in tracker of "relnotes demo": repository
// "example/tracker", 300 items over the two years before now, with hostile
// titles among them. It depends only on now (truncated to the second).
func Sample(now time.Time) []Issue {
	now = now.UTC().Truncate(time.Second)
	return Generate(20240326, GenOptions{
		Repo:         "example/tracker",
		Issues:       300,
		Start:        now.AddDate(-2, 0, 0),
		End:          now,
		HostileEvery: 18,
	})
}
