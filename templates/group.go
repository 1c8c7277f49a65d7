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
	Title  string            `json:"title"`
	Issues []changelog.Issue `json:"-"`
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
	var kept []changelog.Issue
	for _, is := range cl.Issues {
		if hasAnyLabel(is, opt.Exclude.Labels) || authorIn(is.Author, opt.Exclude.Authors) {
			continue
		}
		kept = append(kept, is)
	}
	sortIssues(kept, opt.Sort, opt.Mentions)
	if len(opt.Sections) == 0 {
		if len(kept) == 0 {
			return nil
		}
		return []Group{{Issues: kept}}
	}
	groups := make([]Group, len(opt.Sections)+1)
	for i, s := range opt.Sections {
		groups[i].Title = s.Title
	}
	catchAll := opt.CatchAll
	if catchAll == "" {
		catchAll = DefaultCatchAll
	}
	groups[len(opt.Sections)].Title = catchAll
	for _, is := range kept {
		i := slices.IndexFunc(opt.Sections, func(s Section) bool { return s.matches(is) })
		if i < 0 {
			i = len(opt.Sections)
		}
		groups[i].Issues = append(groups[i].Issues, is)
	}
	return slices.DeleteFunc(groups, func(g Group) bool { return len(g.Issues) == 0 })
}

func (s Section) matches(is changelog.Issue) bool {
	if hasAnyLabel(is, s.ExcludeLabels) || authorIn(is.Author, s.ExcludeAuthors) {
		return false
	}
	return slices.Contains(s.Labels, "*") || hasAnyLabel(is, s.Labels)
}

func hasAnyLabel(is changelog.Issue, labels []string) bool {
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

func sortIssues(issues []changelog.Issue, order string, m Mentions) {
	byRef := func(a, b changelog.Issue) int {
		return cmp.Or(strings.Compare(a.Repository, b.Repository), cmp.Compare(a.Number, b.Number))
	}
	switch order {
	case SortNumber:
		slices.SortStableFunc(issues, byRef)
	case SortTitle:
		type keyed struct {
			lower, text string
			is          changelog.Issue
		}
		ks := make([]keyed, len(issues))
		for i, is := range issues {
			t := Text(is.Title, m)
			ks[i] = keyed{strings.ToLower(t), t, is}
		}
		slices.SortStableFunc(ks, func(a, b keyed) int {
			return cmp.Or(strings.Compare(a.lower, b.lower), strings.Compare(a.text, b.text), byRef(a.is, b.is))
		})
		for i := range ks {
			issues[i] = ks[i].is
		}
	default:
		slices.SortStableFunc(issues, func(a, b changelog.Issue) int {
			return cmp.Or(a.ClosedAt.Compare(b.ClosedAt), byRef(a, b))
		})
	}
}
