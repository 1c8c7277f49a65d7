// Package ghemu is an emulator of the parts of the GitHub REST API that
// relnotes uses, served over HTTP on loopback. Tests, benchmarks and
// "relnotes demo" talk to it exactly as relnotes talks to api.github.com:
// a go-github client needs only its BaseURL set to Server.URL().
//
// Endpoints (relative to Config.PathPrefix):
//
//	GET   /search/issues                            q, sort, order, per_page, page, advanced_search
//	GET   /rate_limit                               not charged
//	GET   /repos/{owner}/{repo}                     404 unless some issue belongs to it
//	GET   /repos/{owner}/{repo}/issues              state, since, labels, milestone, creator, sort, direction, per_page, page
//	GET   /repos/{owner}/{repo}/releases            per_page, page; drafts only with a credential
//	GET   /repos/{owner}/{repo}/releases/tags/{tag} published releases only
//	GET   /repos/{owner}/{repo}/releases/{id}       drafts only with a token
//	PATCH /repos/{owner}/{repo}/releases/{id}       body, name, draft (publish only), prerelease
//	GET   /repos/{owner}/{repo}/tags                per_page, page
//	GET   /repos/{owner}/{repo}/git/ref/tags/{tag}
//	GET   /repos/{owner}/{repo}/git/tags/{sha}
//	GET   /repos/{owner}/{repo}/commits/{sha}       a tagged commit, by SHA or tag name
//
// Anything else answers 404 with GitHub's JSON body. There are no ETags or
// 304 responses.
//
// Search parses q with filters.Parse and evaluates it with the emulator's own
// matcher (not filters.Query.Match), so the emulator is an independent
// oracle: Server.Search gives the full ground truth with no 1000-result cap.
// The tracker is fixed unless a FaultShift changes it mid-run (reopening,
// closing, relabelling issues, with updated_at set to Config.Now, as GitHub
// stamps edits); Search then answers for the tracker as it is now, and the
// updated: qualifier finds what changed.
// Qualifiers the emulator does not know answer 422, as do repo: qualifiers
// naming a repository with no issues.
//
// Every response carries a Date header from Config.Now, the clock that
// stamps FaultShift's changes, as GitHub's Date and updated_at share one
// clock. Every charged response carries x-ratelimit-limit, -remaining, -used,
// -reset and -resource. Windows are fixed: one opens with the first request
// after the previous one ended. Because x-ratelimit-reset has whole seconds
// and tests compress windows below a second, the reset is rounded up, and
// the emulator-only header x-ratelimit-reset-ms gives the exact reset in Unix
// milliseconds. Secondary-limit faults likewise add x-retry-after-ms next to
// Retry-After. Real GitHub sends neither header: clients must not require
// them.
package ghemu
