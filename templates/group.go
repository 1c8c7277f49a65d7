package templates

import (
	"cmp"
	"slices"
	"strings"

	"github.com/relnotes/relnotes/changelog"
)

// DefaultCatchAll is the title of the section that collects issues no
// Section matches.
const DefaultCatchAll = "Other changes"

// Section is one heading of the notes and the labels that put an issue
// under it, with the semantics of GitHub's .github/release.yml categories.
// Its fields match config.Section, so templates.Section(c) converts one.
type Section struct {
	Title string
	// Labels: an issue carrying any of them belongs here; "*" matches every
	// issue. Label names compare case-insensitively, as on GitHub.
	Labels []string
	// ExcludeLabels: an issue carrying any of them skips this section and is
	// offered to the next one.
	ExcludeLabels []string
	// ExcludeAuthors: issues by these logins skip this section. A login
	// matches with or without the "[bot]" suffix and the "app/" prefix.
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

// GroupIssues sorts cl's issues into sections. Issues matched by opt.Exclude are
// dropped. Each remaining issue goes to the first of opt.Sections that
// matches it; the rest go to a final section titled opt.CatchAll (or
// DefaultCatchAll). With no sections, everything is one group titled "".
// Empty groups are left out; the order within a group follows opt.Sort.
// cl is not modified.
func GroupIssues(cl *changelog.Changelog, opt Options) []Group {
	// Work on indexes: an Issue is a large struct and sorting 100 000 of
	// them by value would spend its time moving memory.
	kept := make([]int, 0, len(cl.Issues))
	for i := range cl.Issues {
		is := &cl.Issues[i]
		if hasAnyLabel(is, opt.Exclude.Labels) || authorIn(is.Author, opt.Exclude.Authors) {
			continue
		}
		kept = append(kept, i)
	}
	sortIssues(cl.Issues, kept, opt.Sort, opt.Mentions)
	if len(kept) == 0 {
		return nil
	}
	section := make([]int, len(kept)) // index into groups of each kept issue
	sizes := make([]int, len(opt.Sections)+1)
	for k, i := range kept {
		s := len(opt.Sections)
		for j := range opt.Sections {
			if opt.Sections[j].matches(&cl.Issues[i]) {
				s = j
				break
			}
		}
		section[k] = s
		sizes[s]++
	}
	groups := make([]Group, len(sizes))
	for j := range groups {
		groups[j].Issues = make([]changelog.Issue, 0, sizes[j])
		switch {
		case j < len(opt.Sections):
			groups[j].Title = opt.Sections[j].Title
		case len(opt.Sections) == 0:
			groups[j].Title = ""
		case opt.CatchAll != "":
			groups[j].Title = opt.CatchAll
		default:
			groups[j].Title = DefaultCatchAll
		}
	}
	for k, i := range kept {
		groups[section[k]].Issues = append(groups[section[k]].Issues, cl.Issues[i])
	}
	return slices.DeleteFunc(groups, func(g Group) bool { return len(g.Issues) == 0 })
}

func (s *Section) matches(is *changelog.Issue) bool {
	if hasAnyLabel(is, s.ExcludeLabels) || authorIn(is.Author, s.ExcludeAuthors) {
		return false
	}
	return slices.Contains(s.Labels, "*") || hasAnyLabel(is, s.Labels)
}

func hasAnyLabel(is *changelog.Issue, labels []string) bool {
	for _, want := range labels {
		for _, l := range is.Labels {
			if strings.EqualFold(l, want) {
				return true
			}
		}
	}
	return false
}

// authorIn matches a login against a list written either way GitHub users
// write bots: dependabot, dependabot[bot] or app/dependabot.
func authorIn(login string, authors []string) bool {
	bare := func(s string) string {
		return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(s), "app/"), "[bot]")
	}
	l := bare(login)
	for _, a := range authors {
		if a == "*" || bare(a) == l {
			return true
		}
	}
	return false
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
