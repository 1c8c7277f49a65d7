package filters

import "time"

// Kind restricts a search to issues or pull requests (is:issue, is:pr).
// The empty Kind means both.
type Kind string

// Kinds.
const (
	KindAny   Kind = ""
	KindIssue Kind = "issue"
	KindPR    Kind = "pr"
)

// State restricts a search to open or closed items (is:open, is:closed,
// state:open, state:closed). The empty State means both.
type State string

// States.
const (
	StateAny    State = ""
	StateOpen   State = "open"
	StateClosed State = "closed"
)

// Reason is the close reason a search asks for (reason:completed,
// reason:"not planned"). The empty Reason means any.
type Reason string

// Reasons, as written in a search query.
const (
	ReasonAny        Reason = ""
	ReasonCompleted  Reason = "completed"
	ReasonNotPlanned Reason = "not planned"
)

// Query is one GitHub issue search. The zero Query matches everything.
//
// Every field maps to qualifiers of GitHub's search syntax; terms that have no
// field here are kept verbatim in Other, so nothing a user wrote is lost.
// Query is plain data. It holds slices and a pointer, so == does not
// compile; compare two queries with cmp.Equal, which compares the times
// inside Bounds with time.Time.Equal (an instant equals itself in any
// location).
type Query struct {
	Kind   Kind   // is:issue / is:pr / type:issue / type:pr
	State  State  // is:closed / state:closed / is:open / state:open
	Reason Reason // reason:completed / reason:"not planned"
	Type   string // issue type, type:Bug

	// Labels are the included labels. Each element is one label: qualifier and
	// holds its comma-separated alternatives: the outer slice is AND, the
	// inner one OR (label:a,b label:c means (a OR b) AND c).
	Labels [][]string
	// ExcludeLabels are the -label: qualifiers; an issue carrying any of them
	// does not match. -label:a,b is read as -label:a -label:b.
	ExcludeLabels []string

	Milestone string // milestone title, milestone:"4.2.3"

	Authors        []string // author:LOGIN or author:app/NAME (any of them)
	ExcludeAuthors []string // -author:LOGIN or -author:app/NAME

	// LinkedPR is linked:pr (true) or -linked:pr (false); nil when absent.
	LinkedPR *bool

	Closed  Window // closed:...
	Created Window // created:...

	Repos []string // repo:OWNER/NAME, in the order given
	Orgs  []string // org:NAME

	Sort string // sort:VALUE, a web-UI qualifier (e.g. updated-desc)

	// Other holds every term with no field above, verbatim and in order
	// (keywords, in:title, no:label, unknown qualifiers ...).
	Other []string
}

// Bound is one end of a Window. The zero Bound is open ("*").
//
// A Bound is either a whole UTC day (Day is true and T is midnight UTC of that
// day) or an exact instant (T, any location; String writes it in UTC with Z).
type Bound struct {
	T   time.Time
	Day bool
}

// Window is a range of time with both ends inclusive, as GitHub's A..B.
// An open end is the zero Bound. Exclusive forms (>A, <B) are normalised when
// parsed: >DAY becomes >=DAY+1, >INSTANT becomes >=INSTANT+1s (GitHub's
// timestamps have one-second resolution), and likewise for <. For the same
// reason a time with a fraction of a second is rounded inward: a start up to
// the next whole second, an end down.
type Window struct {
	From, To Bound
}

// linkedTerm is the term that sets LinkedPR to v.
func linkedTerm(v bool) string {
	if v {
		return "linked:pr"
	}
	return "-linked:pr"
}
