package changelog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// bigInput is relnotes JSON of n issues, one field per line, as notes
// writes it: several MiB, more than the tracker remembers.
func bigInput(t *testing.T, n int) []byte {
	t.Helper()
	cl := &Changelog{Query: "is:issue", Total: n}
	for i := 1; i <= n; i++ {
		cl.Issues = append(cl.Issues, Issue{Repository: "o/r", Number: i, Title: fmt.Sprintf("Issue %d: café ☕ %s", i, strings.Repeat("x", i%50)),
			URL: fmt.Sprintf("https://github.com/o/r/issues/%d", i), Labels: []string{"T: bug", "P: major"}, Author: "dev", StateReason: "completed"})
	}
	b, err := json.MarshalIndent(cl, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lineCol is where offset off of data is, counted independently of the
// reader: lines from 1, columns in characters from 1.
func lineCol(data []byte, off int) string {
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return fmt.Sprintf("line %d, column %d: ", bytes.Count(before, []byte{'\n'})+1, utf8.RuneCount(before[start:])+1)
}

// TestReadIssuesStreams: the input is read in pieces of any size (one byte
// at a time splits every character), and an error far past what the
// tracker remembers of the start still says exactly where it is.
func TestReadIssuesStreams(t *testing.T) {
	data := bigInput(t, 20000)
	if len(data) < 4*keep {
		t.Fatalf("input of %d bytes does not pass the tracker's window", len(data))
	}
	small := bigInput(t, 300)
	for name, in := range map[string][]byte{"one byte at a time": small, "4093 bytes at a time": data} {
		want, err := ReadIssues(bytes.NewReader(in), "")
		if err != nil {
			t.Fatal(err)
		}
		r := iotest.OneByteReader(bytes.NewReader(in))
		if len(in) == len(data) {
			r = chunkReader{bytes.NewReader(in), 4093}
		}
		got, err := ReadIssues(r, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) < 300 {
			t.Fatalf("%s: %d issues, want %d", name, len(got), len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-whole +pieces):\n%s", name, diff)
		}
	}

	tests := []struct {
		name    string
		edit    func([]byte) ([]byte, int) // the broken input and the offset of the problem
		wantMsg string
	}{
		{"no number near the end", func(d []byte) ([]byte, int) {
			at := bytes.LastIndex(d, []byte(`"number": 19999,`))
			d = bytes.Replace(d, []byte(`"number": 19999,`), []byte(`"numbr": 19999,`), 1)
			return d, bytes.LastIndexByte(d[:at], '{')
		}, "JSON value 1, issue 19999: has no issue number"},
		{"not UTF-8 near the end", func(d []byte) ([]byte, int) {
			at := bytes.LastIndex(d, []byte("café"))
			d = append([]byte{}, d...)
			d[at+3] = 0xE9
			return d[:at+5], at + 3
		}, "byte 0xE9 is not UTF-8"},
		{"syntax error near the end", func(d []byte) ([]byte, int) {
			at := bytes.LastIndex(d, []byte(`"dev"`))
			d = append([]byte{}, d...)
			d[at] = '!'
			return d, at
		}, "JSON value 1: not valid JSON: invalid character '!'"},
		{"type error near the end", func(d []byte) ([]byte, int) {
			at := bytes.LastIndex(d, []byte(`"dev"`))
			return bytes.Join([][]byte{d[:at], []byte("12345"), d[at+5:]}, nil), at
		}, `JSON value 1, issue 20000: "author" is a JSON number; want a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, off := tt.edit(data)
			for _, r := range []func() *bytes.Reader{func() *bytes.Reader { return bytes.NewReader(in) }} {
				for name, rd := range map[string]interface{ Read([]byte) (int, error) }{"whole": r(), "pieces": chunkReader{r(), 4093}} {
					_, err := ReadIssues(rd, "")
					want := lineCol(in, off) + tt.wantMsg
					if err == nil || !strings.HasPrefix(err.Error(), want) {
						t.Errorf("%s: error %v\nwant prefix %s", name, err, want)
					}
				}
			}
		})
	}
}

// TestReadIssuesTotal: relnotes JSON's total only sizes the array; a wrong
// or hostile one changes nothing read.
func TestReadIssuesTotal(t *testing.T) {
	for _, total := range []string{"1000000000000", "-5", "0", "2", "1.5", `"x"`} {
		in := `{"total": ` + total + `, "issues": [{"repository": "o/r", "number": 1}, {"repository": "o/r", "number": 2}]}`
		got, err := ReadIssues(strings.NewReader(in), "")
		if err != nil {
			t.Errorf("total %s: %v", total, err)
			continue
		}
		if len(got) != 2 || cap(got) > maxPresize {
			t.Errorf("total %s: %d issues (capacity %d)", total, len(got), cap(got))
		}
	}
}

// chunkReader reads at most n bytes at a time: with n prime, the pieces
// split characters and tokens at every kind of place.
type chunkReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }
