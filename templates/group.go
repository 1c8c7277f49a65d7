package templates

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
)

// DefaultCatchAll is the title of the section that collects issues no
// Section matches, unless Options.LeaveOutUnmatched. It is relnotes' one
// catch-all title.
const DefaultCatchAll = "Other changes"

// Section is one heading of the notes and the labels that put an issue
// under it, with the semantics of GitHub's .github/release.yml categories.
// Its fields match config.Section, so templates.Section(c) converts one.
type Section struct {
	Title string
	// Labels: an issue carrying any of them belongs here; "*" matches every
	// issue. Label names compare as filters.SameName (lower-cased, as
	// GitHub's search compares them).
	Labels []string
	// ExcludeLabels: an issue carrying any of them skips this section and is
	// offered to the next one.
	ExcludeLabels []string
	// ExcludeAuthors: issues by these authors skip this section. Authors
	// compare as filters.SameAuthor: app/NAME and NAME[bot] name the app
	// NAME; a plain NAME names the account NAME only.
	ExcludeAuthors []string
}

// Exclude lists issues that appear in no section at all.
type Exclude struct {
	Labels  []string
	Authors []string
}

// Group is one rendered section: a title ("" when the notes have no
// sections) and its issues in display order.
type Group struct {
	Title  string
	Issues []changelog.Issue
}

// Sort orders.
const (
	SortClosed = "closed" // closed time, then repository, then number (default)
	SortNumber = "number" // repository, then number
	SortTitle  = "title"  // displayed title (case-folded), then repository and number
)

// GroupIssues sorts cl's issues into sections. Issues matched by
// opt.Exclude are dropped. Each remaining issue goes to the first of
// opt.Sections that matches it. The rest go to the catch-all: the section
// titled opt.CatchAll (or DefaultCatchAll), which is a configured section
// of that title when there is one (titles compare as filters.SameName) and
// otherwise a final one; with opt.LeaveOutUnmatched there is no catch-all
// and they are left out (LeftOut counts them). With no sections,
// everything is one group titled "". Empty groups are left out; the order
// within a group follows opt.Sort. cl is not modified.
func GroupIssues(cl *changelog.Changelog, opt Options) []Group {
	idx := groupIndexes(cl, opt)
	groups := make([]Group, len(idx))
	for j, g := range idx {
		groups[j] = Group{Title: g.Title, Issues: make([]changelog.Issue, len(g.Issues))}
		for k, i := range g.Issues {
			groups[j].Issues[k] = cl.Issues[i]
		}
	}
	return groups
}

// indexGroup is a Group that holds the indexes of its issues in
// cl.Issues: the built-in formats render from it, so that a large
// changelog's issues are not copied into their groups.
type indexGroup struct {
	Title  string
	Issues []int
}

// groupIndexes is GroupIssues with indexes.
func groupIndexes(cl *changelog.Changelog, opt Options) []indexGroup {
	// Work on indexes: an Issue is a large struct and sorting 100 000 of
	// them by value would spend its time moving memory.
	kept := keptIssues(cl, opt)
	sortIssues(cl.Issues, kept, opt.Sort, opt.Mentions)
	if len(kept) == 0 {
		return nil
	}
	catchAll := catchAllIndex(opt)
	groups := make([]indexGroup, len(opt.Sections)+1)
	for j := range opt.Sections {
		groups[j].Title = opt.Sections[j].Title
	}
	if catchAll == len(opt.Sections) {
		groups[catchAll].Title = catchAllTitle(opt)
	}
	section := make([]int, len(kept)) // index into groups of each kept issue, -1: left out
	sizes := make([]int, len(groups))
	for k, i := range kept {
		s := sectionOf(&cl.Issues[i], opt.Sections)
		if s == len(opt.Sections) {
			s = catchAll
		}
		section[k] = s
		if s >= 0 {
			sizes[s]++
		}
	}
	for j := range groups {
		groups[j].Issues = make([]int, 0, sizes[j])
	}
	for k, i := range kept {
		if s := section[k]; s >= 0 {
			groups[s].Issues = append(groups[s].Issues, i)
		}
	}
	return slices.DeleteFunc(groups, func(g indexGroup) bool { return len(g.Issues) == 0 })
}

// LeftOut counts the issues of cl that GroupIssues leaves out because no
// section takes them (opt.LeaveOutUnmatched, GitHub's release.yml rule).
// Issues dropped by opt.Exclude are not counted: they are left out on
// purpose. It is 0 when every issue that is not excluded is in a section.
func LeftOut(cl *changelog.Changelog, opt Options) int {
	if catchAllIndex(opt) >= 0 {
		return 0
	}
	n := 0
	for _, i := range keptIssues(cl, opt) {
		if sectionOf(&cl.Issues[i], opt.Sections) == len(opt.Sections) {
			n++
		}
	}
	return n
}

// AuthorHints returns one line for each plain name (neither app/NAME nor
// NAME[bot]) in opt's author lists that does not name an app whose issues
// are in cl, though the app has that name: under filters.SameAuthor, as
// under GitHub's search, "dependabot" names the account dependabot, not
// the app dependabot[bot]. Nil when there is nothing to say.
func AuthorHints(cl *changelog.Changelog, opt Options) []string {
	lists := [][]string{opt.Exclude.Authors}
	for _, s := range opt.Sections {
		lists = append(lists, s.ExcludeAuthors)
	}
	var out []string
	seen := map[string]bool{}
	for _, list := range lists {
		for _, a := range list {
			if l := strings.ToLower(a); a == "*" || seen[a] || strings.HasPrefix(l, "app/") || strings.HasSuffix(l, "[bot]") {
				continue
			}
			seen[a] = true
			n := 0
			for i := range cl.Issues {
				if filters.SameAuthor(a+"[bot]", cl.Issues[i].Author, cl.Issues[i].AuthorIsBot) {
					n++
				}
			}
			if n > 0 {
				out = append(out, fmt.Sprintf("author %q names the account %s, not the app %s[bot] that opened %s; write %s[bot] to mean the app",
					a, a, a, english.Plural(n, "issue"), a))
			}
		}
	}
	return out
}

// keptIssues returns the indexes of the issues of cl that opt.Exclude does
// not drop.
func keptIssues(cl *changelog.Changelog, opt Options) []int {
	kept := make([]int, 0, len(cl.Issues))
	for i := range cl.Issues {
		is := &cl.Issues[i]
		if hasAnyLabel(is, opt.Exclude.Labels) || authorIn(is, opt.Exclude.Authors) {
			continue
		}
		kept = append(kept, i)
	}
	return kept
}

// sectionOf returns the index of the first of sections that takes is, or
// len(sections) when none does.
func sectionOf(is *changelog.Issue, sections []Section) int {
	for j := range sections {
		if sections[j].matches(is) {
			return j
		}
	}
	return len(sections)
}

// catchAllIndex returns where issues no section takes go: the index of the
// configured section titled like the catch-all, len(opt.Sections) for a
// final section of their own (also when there are no sections: the one
// untitled group), or -1 when they are left out.
func catchAllIndex(opt Options) int {
	if len(opt.Sections) == 0 {
		return 0
	}
	if opt.LeaveOutUnmatched {
		return -1
	}
	title := catchAllTitle(opt)
	for j, s := range opt.Sections {
		if filters.SameName(s.Title, title) {
			return j
		}
	}
	return len(opt.Sections)
}

func catchAllTitle(opt Options) string {
	if len(opt.Sections) == 0 {
		return ""
	}
	return cmp.Or(opt.CatchAll, DefaultCatchAll)
}

func (s *Section) matches(is *changelog.Issue) bool {
	if hasAnyLabel(is, s.ExcludeLabels) || authorIn(is, s.ExcludeAuthors) {
		return false
	}
	return slices.Contains(s.Labels, "*") || hasAnyLabel(is, s.Labels)
}

func hasAnyLabel(is *changelog.Issue, labels []string) bool {
	for _, want := range labels {
		for _, l := range is.Labels {
			if filters.SameName(l, want) {
				return true
			}
		}
	}
	return false
}

// authorIn reports whether is was opened by one of authors ("*": anybody).
func authorIn(is *changelog.Issue, authors []string) bool {
	return slices.ContainsFunc(authors, func(a string) bool {
		return a == "*" || filters.SameAuthor(a, is.Author, is.AuthorIsBot)
	})
}

// sortIssues orders idx, indexes into issues, stably by the given order.
func sortIssues(issues []changelog.Issue, idx []int, order string, m Mentions) {
	byRef := func(a, b *changelog.Issue) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), cmp.Compare(a.Number, b.Number))
	}
	switch order {
	case SortNumber:
		slices.SortStableFunc(idx, func(a, b int) int { return byRef(&issues[a], &issues[b]) })
	case SortTitle:
		lower := make(map[int][2]string, len(idx))
		for _, i := range idx {
			t := Text(issues[i].Title, m)
			lower[i] = [2]string{strings.ToLower(t), t}
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			ka, kb := lower[a], lower[b]
			return cmp.Or(strings.Compare(ka[0], kb[0]), strings.Compare(ka[1], kb[1]), byRef(&issues[a], &issues[b]))
		})
	default:
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmp.Or(issues[a].ClosedAt.Compare(issues[b].ClosedAt), byRef(&issues[a], &issues[b]))
		})
	}
}

// Listed returns how many issues of cl the notes rendered with opt list:
// all but those opt.Exclude leaves out and those LeftOut counts.
func Listed(cl *changelog.Changelog, opt Options) int {
	return len(keptIssues(cl, opt)) - LeftOut(cl, opt)
}
