package filters

import (
	"fmt"
	"unicode/utf8"
)

// Limits of GitHub's issue search. GitHub answers 422 Validation Failed to
// a query longer than 256 characters, not counting operators or
// qualifiers, or with more than five AND, OR or NOT operators
// (https://docs.github.com/en/rest/search/search, "Limitations on query
// length"). MaxQueryLen is relnotes' own bound on the whole query text:
// GitHub documents none for qualifiers, and a query built from a runaway
// configuration (megabytes of excluded labels) is refused here rather than
// sent.
const (
	MaxKeywordLen = 256
	MaxOperators  = 5
	MaxQueryLen   = 16 << 10
)

// LimitError reports a query beyond what GitHub's search accepts (or, for
// the whole text, beyond MaxQueryLen). It carries sizes only, never the
// query text, which may be huge.
type LimitError struct {
	What string // "keywords", "operators" or "query"
	Size int    // characters (keywords, query) or operators
	Max  int
}

func (e *LimitError) Error() string {
	switch e.What {
	case "keywords":
		return fmt.Sprintf("the query's keywords are %d characters long, and GitHub's search takes at most %d besides qualifiers and operators: shorten or remove keywords", e.Size, e.Max)
	case "operators":
		return fmt.Sprintf("the query has %d AND, OR or NOT operators, and GitHub's search takes at most %d: remove some", e.Size, e.Max)
	}
	return fmt.Sprintf("the query is %d characters long, over the %d relnotes sends to GitHub's search: use fewer terms (for example fewer excluded labels)", e.Size, e.Max)
}

// CheckLimits reports a *LimitError when GitHub's search would refuse q for
// its size: more than MaxKeywordLen characters of keywords (terms in Other
// that are neither qualifiers nor operators, joined by spaces), more than
// MaxOperators AND, OR or NOT operators, or a query text longer than
// MaxQueryLen. Sizes are in characters (Unicode code points). Call it
// before the first request, so that the query fails with its size rather
// than with GitHub's 422.
func (q Query) CheckLimits() error {
	if n := utf8.RuneCountInString(q.String()); n > MaxQueryLen {
		return &LimitError{What: "query", Size: n, Max: MaxQueryLen}
	}
	keywords, operators := 0, 0
	for _, o := range q.Other {
		switch {
		case o == "AND" || o == "OR" || o == "NOT":
			operators++
		case isQualifier(o):
		default:
			if keywords > 0 {
				keywords++ // the space before it
			}
			keywords += utf8.RuneCountInString(o)
		}
	}
	if operators > MaxOperators {
		return &LimitError{What: "operators", Size: operators, Max: MaxOperators}
	}
	if keywords > MaxKeywordLen {
		return &LimitError{What: "keywords", Size: keywords, Max: MaxKeywordLen}
	}
	return nil
}
