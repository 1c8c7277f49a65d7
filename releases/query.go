package releases

import (
	"context"

	"github.com/relnotes/relnotes/filters"
)

// PlanQuery plans the window of opts.Release in src (see Plan) and makes it
// q's closed window, keeping q's end when keepEnd is set (the end given
// with the query, e.g. the day a release candidate was cut). q is left
// unchanged when it fails; a window that makes q invalid (q.Validate) is
// an *Error about the release.
func PlanQuery(ctx context.Context, src Source, opts Options, q *filters.Query, keepEnd bool) (Span, error) {
	if keepEnd {
		opts.Until = q.Closed.To
	}
	span, err := Plan(ctx, src, opts)
	if err != nil {
		return span, err
	}
	planned := *q
	planned.Closed = span.Window
	if err := planned.Validate(); err != nil {
		return span, &Error{Op: OpRelease, Value: opts.Release, Err: err}
	}
	*q = planned
	return span, nil
}
