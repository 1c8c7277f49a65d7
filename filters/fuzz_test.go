package filters

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks the property every caller relies on: Parse either fails
// with a *ParseError, or its result prints to text (and to links, and to
// flag values) that parse back to the same Query, and String is stable.
func FuzzParse(f *testing.F) {
	for _, tt := range queryTests {
		f.Add(tt.in)
	}
	for _, s := range []string{`label:"a,b"`, "closed:>2024-03-26T10:00:00.999999999+14:00", "NOT NOT x",
		`-label:"x"y`, "is:ISSUE type:Issue", "\u00a0label:\u0085", `reason:"not-planned"`, `label:" bug",x`, `label:"a,b","c "`, "closed:>=2024-01-01T00:00:00.5Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		q, err := Parse(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v (%T) is not a *ParseError", in, err, err)
			}
			return
		}
		if err := q.Validate(); err != nil {
			t.Fatalf("Parse(%q) = %#v, which Validate rejects: %v", in, q, err)
		}
		s := q.String()
		if s2 := q.String(); s2 != s {
			t.Fatalf("String not stable: %q then %q", s, s2)
		}
		back, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but Parse(String()=%q): %v", in, s, err)
		}
		if d := cmp.Diff(q, back); d != "" {
			t.Fatalf("Parse(%q): Parse(String()=%q) differs (-want +got):\n%s", in, s, d)
		}
		if s3 := back.String(); s3 != s {
			t.Fatalf("String(Parse(String())) = %q, want %q", s3, s)
		}
		for _, enc := range []Encoding{EncodingPlus, EncodingPercent} {
			u := q.URL("https://ghe.example.com", enc)
			back, err := Parse(u)
			if err != nil {
				t.Fatalf("Parse(URL()=%q): %v", u, err)
			}
			if d := cmp.Diff(q, back); d != "" {
				t.Fatalf("Parse(URL()=%q) differs (-want +got):\n%s", u, d)
			}
		}
		checkFlagsRoundTrip(t, q)
	})
}
