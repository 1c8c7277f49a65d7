package changelog

// GitHubLabel and GitHubMilestone are the parts of a label and a milestone
// that GitHub's REST API and gh's --json output both write, under the same
// names. ReadInput and the search decoder in ghapi both decode with them,
// so the two readings of GitHub's issue JSON cannot drift.
type (
	GitHubLabel struct {
		Name string `json:"name"`
	}
	GitHubMilestone struct {
		Title string `json:"title"`
	}
)

// LabelNames returns the names of ls, never nil, so that an issue without
// labels is written "labels": [] rather than null.
func LabelNames(ls []GitHubLabel) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

// MilestoneTitle returns m's title, or "" when m is nil (no milestone).
func MilestoneTitle(m *GitHubMilestone) string {
	if m == nil {
		return ""
	}
	return m.Title
}
