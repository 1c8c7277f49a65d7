package changelog

import "time"

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
	// Waiting reports a deliberate pause: the rate-limit budget of resource
	// ("search", "core") runs out, or a secondary limit asked to back off,
	// until the given time. reason is one short line for a person.
	Waiting(resource string, until time.Time, reason string)
	// Retrying reports that a failed attempt (err) is retried; attempt counts
	// the attempts made so far for that request.
	Retrying(err error, attempt int)
}

// nopProgress stands in for a nil Progress.
type nopProgress struct{}

func (nopProgress) Planned(int)                       {}
func (nopProgress) Fetched(int, int)                  {}
func (nopProgress) Waiting(string, time.Time, string) {}
func (nopProgress) Retrying(error, int)               {}

func progressOrNop(p Progress) Progress {
	if p == nil {
		return nopProgress{}
	}
	return p
}
