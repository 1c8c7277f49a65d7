package changelog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/bounded"
)

// tracker passes the input through, checking that it is UTF-8 and within
// the limit, and keeps the last bytes read with the line and column they
// start at, so that an error in what the JSON decoder holds can say where
// it is without the whole input in memory.
type tracker struct {
	r     io.Reader
	limit int64
	n     int64  // bytes read
	win   []byte // the last bytes read, from offset winOff
	// winOff's line (from 1) and the characters before it on that line.
	winOff    int64
	line, col int
	pend      []byte // the start of a character split between two reads
}

// keep is how much of what was read the tracker remembers: far more than
// the JSON decoder holds of one issue.
const keep = 1 << 20

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n == 0 {
		if err == io.EOF && len(t.pend) > 0 {
			return 0, t.notUTF8(t.n-int64(len(t.pend)), t.pend[0])
		}
		return n, err
	}
	t.n += int64(n)
	if t.n > t.limit {
		tl := &bounded.TooLargeError{Name: "the input", Limit: t.limit}
		return 0, &InputError{Msg: tl.Error(), Err: tl}
	}
	if len(t.win) > 4*keep {
		drop := len(t.win) - keep
		t.advance(t.win[:drop])
		t.win = append(t.win[:0], t.win[drop:]...)
		t.winOff += int64(drop)
	}
	t.win = append(t.win, p[:n]...)
	// Check the characters of pend and p, leaving a split one for next time.
	check := p[:n]
	start := t.n - int64(n)
	if len(t.pend) > 0 {
		check = append(t.pend, p[:n]...)
		start -= int64(len(t.pend))
	}
	i := 0
	for i < len(check) {
		if c := check[i]; c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(check[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(check[i:]) && len(check)-i < utf8.UTFMax {
				break
			}
			return 0, t.notUTF8(start+int64(i), check[i])
		}
		i += size
	}
	t.pend = append(t.pend[:0], check[i:]...)
	return n, err
}

func (t *tracker) notUTF8(off int64, b byte) error {
	line, col := t.pos(off)
	return &InputError{Line: line, Column: col,
		Msg: fmt.Sprintf("byte 0x%02X is not UTF-8; the input is in another encoding (Latin-1 or a Windows code page?)%s", b, saveAsUTF8)}
}

// advance moves the line and column past b.
func (t *tracker) advance(b []byte) {
	for _, c := range b {
		switch {
		case c == '\n':
			t.line, t.col = t.line+1, 0
		case c&0xC0 != 0x80: // the first byte of a character
			t.col++
		}
	}
}

// pos is the line and column (from 1, the column in characters) of offset
// off, or 0, 0 when off is before what the tracker remembers.
func (t *tracker) pos(off int64) (line, col int) {
	off = min(off, t.n)
	if off < t.winOff || off < 0 {
		return 0, 0
	}
	line, col = t.line, t.col
	for _, c := range t.win[:off-t.winOff] {
		switch {
		case c == '\n':
			line, col = line+1, 0
		case c&0xC0 != 0x80:
			col++
		}
	}
	return line, col + 1
}

// from is what the tracker remembers from offset off on; nil when off is
// no longer remembered.
func (t *tracker) from(off int64) []byte {
	if off < t.winOff || off > t.n {
		return nil
	}
	return t.win[off-t.winOff:]
}

// next is the offset of the first byte at or after off that is not white
// space or a separator: where the decoder's next value starts.
func (t *tracker) next(off int64) int64 {
	for off < t.n && off >= t.winOff {
		switch t.win[off-t.winOff] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// streamError is a JSON syntax or read error of the input as a whole,
// reported for the top-level value it is in. base is where the offsets of
// a syntax error count from: the decoder counts from the start of the
// value it decodes, and from the start of the input for a token.
type streamError struct {
	err  error
	base int64
}

func (e *streamError) Error() string { return e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }

// broken is err met inside a value: the end of the input there is the
// JSON cut short.
func broken(err error, base int64) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &streamError{err, base}
}

// decode decodes the decoder's next value into v.
func (rd *reader) decode(dec *json.Decoder, v any) error {
	start := rd.t.next(dec.InputOffset())
	err := dec.Decode(v)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		if err != nil {
			return broken(err, start)
		}
		return nil
	}
	// The decoder's syntax offsets count what its Decode calls scanned,
	// not where the input is: scan the value again from its start, which
	// the tracker still has, for an offset from there.
	var raw json.RawMessage
	if again := json.NewDecoder(bytes.NewReader(rd.t.from(start))).Decode(&raw); errors.As(again, &syn) {
		return &streamError{syn, start}
	}
	return &streamError{err, unplaced}
}

// unplaced is a base that places nothing (see tracker.pos).
const unplaced = -1 << 62

// read reads every top-level JSON value of the input, one issue at a
// time: of the input, only the issue being decoded is in memory.
func (rd *reader) read() ([]Issue, error) {
	dec := json.NewDecoder(rd.t)
	var out []Issue
	for n := 1; ; n++ {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		rd.values++
		var got []Issue
		switch {
		case err != nil:
			err = broken(err, 0)
		case tok == json.Delim('['):
			got, err = rd.streamArray(dec)
		case tok == json.Delim('{'):
			got, err = rd.streamObject(dec, dec.InputOffset()-1)
		default:
			line, col := rd.pos(rd.t.next(start))
			err = &InputError{Line: line, Column: col,
				Msg: "neither an object nor an array: want relnotes JSON, a /search/issues page, or gh --json output"}
		}
		var se *streamError
		var ie *InputError
		switch {
		case errors.As(err, &se):
			if errors.As(se.err, &ie) { // from the tracker: placed already
				return nil, ie
			}
			return nil, rd.errorf(se.err, nil, se.base, "JSON value %d", n)
		case err != nil:
			return nil, rd.wrap(err, fmt.Sprintf("JSON value %d", n))
		}
		if out == nil {
			out = got
		} else {
			out = append(out, got...)
		}
	}
	if out == nil {
		out = []Issue{}
	}
	return out, nil
}

// element decodes the next value of an array the decoder is in.
func (rd *reader) element(dec *json.Decoder) (span, error) {
	var raw json.RawMessage
	if err := rd.decode(dec, &raw); err != nil {
		return span{}, err
	}
	return span{raw, dec.InputOffset() - int64(len(raw))}, nil
}

// streamArray reads a top-level array after its '[': gh --json issues, or
// saved search pages.
func (rd *reader) streamArray(dec *json.Decoder) ([]Issue, error) {
	var out []Issue
	for i := 1; dec.More(); i++ {
		e, err := rd.element(dec)
		if err != nil {
			return nil, err
		}
		got, err := rd.arrayElement(e, i)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	if _, err := dec.Token(); err != nil {
		return nil, broken(err, 0)
	}
	return out, nil
}

// streamObject reads a top-level object after its '{', found at offset
// start: relnotes JSON ("issues") or a search page ("items"). Other members
// are skipped.
func (rd *reader) streamObject(dec *json.Decoder, start int64) ([]Issue, error) {
	var issues, items []Issue
	hasIssues, hasItems, incomplete, nullIssues := false, false, false, false
	var head Changelog // the members of a relnotes header that Input keeps
	badHead := false
	incompleteErr := func() error {
		line, col := rd.pos(start)
		return &InputError{Line: line, Column: col, Msg: "this saved search page says incomplete_results: true; fetch it again"}
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, broken(err, 0)
		}
		at := rd.t.next(dec.InputOffset())
		switch key {
		case "issues", "items":
			if hasIssues {
				break
			}
			if key == "items" && incomplete {
				return nil, incompleteErr()
			}
			tok, err := dec.Token()
			if err != nil {
				return nil, broken(err, 0)
			}
			if tok == nil {
				nullIssues = nullIssues || key == "issues"
				continue
			}
			if tok != json.Delim('[') {
				line, col := rd.pos(at)
				if key == "items" {
					return nil, &InputError{Line: line, Column: col, Item: "items", Msg: "is not a list"}
				}
				return nil, &InputError{Line: line, Column: col, Item: "relnotes JSON", Msg: `"issues" is not a list`}
			}
			for i := 1; dec.More(); i++ {
				e, err := rd.element(dec)
				if err != nil {
					return nil, err
				}
				if key == "items" {
					is, err := rd.item(e)
					if err != nil {
						return nil, rd.wrap(err, fmt.Sprintf("item %d", i))
					}
					items = append(items, is)
					continue
				}
				is, err := rd.relnotesIssue(e, i)
				if err != nil {
					return nil, err
				}
				issues = append(issues, is)
			}
			if _, err := dec.Token(); err != nil {
				return nil, broken(err, 0)
			}
			if key == "issues" {
				hasIssues = true
			} else {
				hasItems = true
			}
			continue
		case "total":
			// relnotes JSON says how many issues follow: their array is
			// allocated once instead of grown, which at the end of a
			// large input would hold it twice.
			var v any
			if err := rd.decode(dec, &v); err != nil {
				return nil, err
			}
			if n, ok := v.(float64); ok && n >= 1 && issues == nil {
				issues = make([]Issue, 0, int(min(n, maxPresize)))
			}
			continue
		case "query", "url", "window", "generated_at":
			var dst any = &head.Query
			switch key {
			case "url":
				dst = &head.URL
			case "window":
				dst = &head.Window
			case "generated_at":
				dst = &head.GeneratedAt
			}
			if err := rd.decode(dec, dst); err != nil {
				if !errors.As(err, new(*json.UnmarshalTypeError)) && !errors.As(err, new(*time.ParseError)) {
					return nil, err
				}
				badHead = true
			}
			continue
		case "incomplete_results":
			var v any
			if err := rd.decode(dec, &v); err != nil {
				return nil, err
			}
			incomplete = v == true
			continue
		}
		var skip json.RawMessage
		if err := rd.decode(dec, &skip); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, broken(err, 0)
	}
	switch {
	case hasIssues:
		if issues == nil {
			issues = []Issue{}
		}
		if !badHead {
			rd.headers = append(rd.headers, head)
		}
		return issues, nil
	case nullIssues:
		// {"issues": null} holds no issues and no header.
		return nil, nil
	case hasItems && incomplete:
		return nil, incompleteErr()
	case hasItems:
		if items == nil {
			items = []Issue{}
		}
		return items, nil
	}
	line, col := rd.pos(start)
	return nil, &InputError{Line: line, Column: col,
		Msg: `not a format relnotes reads: want relnotes JSON ("issues"), a /search/issues page ("items"), or gh --json output (an array)`}
}

// relnotesIssue decodes issue i of relnotes JSON, checking what every other
// shape is checked for: hand-edited or foreign files can lack it.
func (rd *reader) relnotesIssue(e span, i int) (Issue, error) {
	var is Issue
	if err := json.Unmarshal(e.raw, &is); err != nil {
		return Issue{}, rd.errorf(err, e.raw, e.off, "issue %d", i)
	}
	var item, msg string
	switch {
	case is.Number <= 0:
		item, msg = fmt.Sprintf("issue %d", i), "has no issue number"
	case is.Repository == "":
		item, msg = fmt.Sprintf("issue #%d", is.Number), "has no repository"
	case !filters.ValidRepo(is.Repository):
		item, msg = fmt.Sprintf("issue #%d", is.Number), fmt.Sprintf("repository %q is not in OWNER/NAME form", is.Repository)
	default:
		rd.intern(&is)
		return is, nil
	}
	line, col := rd.pos(e.off)
	return Issue{}, &InputError{Line: line, Column: col, Item: item, Msg: msg}
}

// maxPresize bounds the issues a "total" member makes room for before
// they are read, so that a wrong total costs at most that much.
const maxPresize = 1 << 20

// maxInterned bounds the strings intern keeps, for inputs where nothing
// repeats.
const maxInterned = 1 << 16

// intern makes is share one copy of each string that repeats from issue to
// issue (repository, labels, type, milestone, author, reason): a history
// holds each of them a hundred thousand times otherwise.
func (rd *reader) intern(is *Issue) {
	if rd.strs == nil {
		rd.strs = map[string]string{}
	}
	one := func(s *string) {
		if v, ok := rd.strs[*s]; ok {
			*s = v
		} else if len(rd.strs) < maxInterned {
			rd.strs[*s] = *s
		}
	}
	one(&is.Repository)
	one(&is.Type)
	one(&is.Milestone)
	one(&is.Author)
	one(&is.StateReason)
	for i := range is.Labels {
		one(&is.Labels[i])
	}
}
