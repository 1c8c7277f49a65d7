// Package english writes counts in the words of relnotes' messages and
// announcements. It imports nothing, so every package but filters (which
// imports nothing of ours) may use it.
package english

import "strconv"

// Plural returns n and noun, with an "s" unless n is 1: "1 issue",
// "0 issues", "42 issues". noun must be a singular noun whose plural adds an
// "s" (issue, item, request, day); callers with other nouns write both forms.
func Plural(n int, noun string) string {
	s := strconv.Itoa(n) + " " + noun
	if n != 1 {
		s += "s"
	}
	return s
}
