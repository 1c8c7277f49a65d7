package mdconsumers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBatchEqualsSingle renders a batch in which one document leaves a
// fence open, which swallows the separators after it: every consumer must
// still return each document's own HTML, as rendered alone.
func TestBatchEqualsSingle(t *testing.T) {
	docs := []string{"- *a* <b>x</b>\n", "```\nopen fence\n", "[x]: https://e.example/\n\n[x]\n", "\"q\" -- ...\n"}
	for _, c := range All(t) {
		got := c.Render(t, docs)
		var want []string
		for _, d := range docs {
			want = append(want, c.Render(t, []string{d})[0])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: batch differs from one call per document (-want +got):\n%s", c.Name, diff)
		}
	}
}

func TestUntypeset(t *testing.T) {
	in := "\u201cq\u201d \u2018s\u2019 a\u2013b a\u2014b x\u2026 \u00ab\u00a0y\u00a0\u00bb \u00abz\u00bb"
	if got, want := Untypeset(in), `"q" 's' a--b a---b x... << y >> <<z>>`; got != want {
		t.Errorf("Untypeset(%q) = %q, want %q", in, got, want)
	}
}
