package fetch

import "github.com/relnotes/relnotes/ghapi"

// Progress receives the events of a fetch, for a progress bar or a log. The
// CLI implements it; every method must be safe for concurrent use and return
// quickly. A nil Progress is allowed wherever one is accepted.
type Progress interface {
	// Planned reports how many matching issues GitHub counts in total. It is
	// known after the first page and may be called again when a later chunk
	// revises the count.
	Planned(total int)
	// Fetched reports cumulative progress: search pages received and
	// distinct issues collected so far.
	Fetched(pages, issues int)
	// Waiting and Retrying report the Transport's pauses and retries, and
	// the Fetcher's own re-requests of malformed or incomplete pages.
	ghapi.Progress
}

// nopProgress stands in for a nil Progress.
type nopProgress struct{ ghapi.NopProgress }

func (nopProgress) Planned(int)      {}
func (nopProgress) Fetched(int, int) {}

func progressOrNop(p Progress) Progress {
	if p == nil {
		return nopProgress{}
	}
	return p
}
