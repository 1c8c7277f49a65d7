package templates

import (
	"io"
	"strconv"
	"time"

	"github.com/relnotes/relnotes/changelog"
)

// Check executes opt's user template, if there is one, against a sample
// changelog in which every field is filled and every section holds issues
// (see Sample), so that a misspelt field or a wrong call fails before
// anything is fetched. Its error is the *TemplateError Render would return.
// Branches the sample does not take are not checked.
func Check(opt Options) error {
	if opt.Template == nil {
		return nil
	}
	return opt.Template.execute(io.Discard, Sample(opt), opt)
}

// Sample is a small changelog with every field filled, for checking
// templates: for each of opt's sections an issue with its first label, and
// an issue no section takes; issues and pull requests, people and apps.
func Sample(opt Options) *changelog.Changelog {
	closed := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	issue := func(n int, labels ...string) changelog.Issue {
		return changelog.Issue{
			Repository: "example/tracker", Number: n, Title: "Sample issue",
			URL:    "https://github.com/example/tracker/issues/" + strconv.Itoa(n),
			Labels: append(labels, "sample"), Type: "Bug", Milestone: "v1.0", Author: "octocat",
			CreatedAt: closed.Add(-48 * time.Hour), ClosedAt: closed.Add(time.Duration(n) * time.Minute), StateReason: "completed",
		}
	}
	var issues []changelog.Issue
	for _, s := range opt.Sections {
		var labels []string
		if len(s.Labels) > 0 && s.Labels[0] != "*" {
			labels = s.Labels[:1]
		}
		issues = append(issues, issue(len(issues)+1, labels...))
	}
	pr := issue(len(issues)+1, "dependencies")
	pr.IsPR, pr.AuthorIsBot, pr.Author = true, true, "dependabot[bot]"
	pr.URL = "https://github.com/example/tracker/pull/" + strconv.Itoa(pr.Number)
	issues = append(issues, issue(len(issues)+1), pr)
	return &changelog.Changelog{
		Query:        "repo:example/tracker is:issue is:closed reason:completed closed:2024-08-01..2024-09-09",
		URL:          "https://github.com/example/tracker/issues?q=is%3Aissue+is%3Aclosed+reason%3Acompleted+closed%3A2024-08-01..2024-09-09",
		Window:       changelog.Window{Since: "2024-08-01", Until: "2024-09-09"},
		Repositories: []string{"example/tracker"},
		Total:        len(issues),
		Dropped:      1,
		Issues:       issues,
		GeneratedAt:  closed.Add(240 * time.Hour),
		Warnings:     []string{"sample warning"},
	}
}
