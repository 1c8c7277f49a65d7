package changelog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/bounded"
)

// ReadIssues reads issues saved by an earlier run or by another tool, so that
// relnotes can filter and render them without the API. It accepts, detected
// by shape, one or several concatenated JSON values of these kinds:
//
//   - relnotes' own JSON output (an object with "issues");
//   - a saved GET /search/issues page (an object with "items"), or an array
//     of such pages;
//   - the output of `gh issue list --json ...`, `gh pr list --json ...` or
//     `gh search issues --json ...` (an array of objects with "number").
//
// Fields a format lacks stay empty: gh's search output has no state reason,
// which the query then treats like a null one. The repository of an item
// that does not say it is taken from its URL, else it is repo, the one
// repository the caller's query names ("" when it names none or several);
// the caller then checks every issue against the query. An app author is
// read as the REST API writes it, NAME[bot], also where gh writes
// app/NAME.
//
// The input is UTF-8 (a leading byte-order mark is skipped) of at most
// bounded.InputLimit bytes. Errors are *InputError, giving the line and
// column of the problem where it has one and naming the item.
func ReadIssues(r io.Reader, repo string) ([]Issue, error) {
	in, err := readInput(r, repo, bounded.InputLimit)
	if err != nil {
		return nil, err
	}
	return in.Issues, nil
}

// Input is what ReadInput read: the issues and, when the input is relnotes'
// own JSON, what the run that wrote it searched for.
type Input struct {
	Issues []Issue // never nil
	// Query is the search text of the run that wrote the input, "" unless
	// the input is exactly one relnotes JSON value with an "issues" list;
	// URL, Window and GeneratedAt are that run's, as it wrote them.
	Query       string
	URL         string
	Window      Window
	GeneratedAt time.Time
}

// ReadInput reads issues as ReadIssues does and keeps the header of
// relnotes' own JSON (Input.Query and the rest), so that rendering a saved
// run can use the very query, link and time of the fetch. A JSON value
// {"issues": null} holds no issues and no header.
func ReadInput(r io.Reader, repo string) (*Input, error) {
	return readInput(r, repo, bounded.InputLimit)
}

func readIssues(r io.Reader, repo string, limit int64) ([]Issue, error) {
	in, err := readInput(r, repo, limit)
	if err != nil {
		return nil, err
	}
	return in.Issues, nil
}

func readInput(r io.Reader, repo string, limit int64) (*Input, error) {
	// Look at the start first, so that a binary file or a device fails at
	// once instead of after reading up to the limit.
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(4); len(head) > 0 {
		if err := notUTF8(head); err != nil {
			return nil, err
		}
	}
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	rd := &reader{t: &tracker{r: br, limit: limit, line: 1}, repo: repo}
	out, err := rd.read()
	if err != nil {
		return nil, err
	}
	in := &Input{Issues: out}
	if rd.values == 1 && len(rd.headers) == 1 {
		h := rd.headers[0]
		in.Query, in.URL, in.Window, in.GeneratedAt = h.Query, h.URL, h.Window, h.GeneratedAt
	}
	return in, nil
}

// InputError is a problem in saved issues. Line and Column (counted from 1,
// in characters) locate it; both are 0 when the problem has no place, such
// as a file in the wrong encoding. Item names the value and item, such as
// "JSON value 1, element 3".
type InputError struct {
	Line, Column int
	Item         string
	Msg          string
	Err          error
}

// Error formats the problem as "line L, column C: ITEM: MSG", leaving out
// what is unknown.
func (e *InputError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Item != "" {
		b.WriteString(e.Item + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the JSON or I/O error behind the problem, if any.
func (e *InputError) Unwrap() error { return e.Err }

// saveAsUTF8 ends the messages about encodings with the fix. PowerShell
// writes UTF-16 by default (Windows PowerShell's > and Out-File) or UTF-8
// with a byte-order mark.
const saveAsUTF8 = "; save it as UTF-8 (PowerShell: Out-File -Encoding utf8, or gh ... > file in PowerShell 7)"

// notUTF8 recognises, from its first bytes, input that is not UTF-8 text:
// UTF-16 and UTF-32 with or without a byte-order mark, or binary data
// starting with a NUL byte.
func notUTF8(head []byte) error {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return &InputError{Msg: "the input is UTF-32 text" + saveAsUTF8}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), len(head) >= 2 && head[0] != 0 && head[1] == 0:
		return &InputError{Msg: "the input is UTF-16 (little-endian) text" + saveAsUTF8}
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), len(head) >= 2 && head[0] == 0 && head[1] != 0:
		return &InputError{Msg: "the input is UTF-16 (big-endian) text" + saveAsUTF8}
	case len(head) > 0 && head[0] == 0:
		return &InputError{Msg: "the input starts with a NUL byte, so it is not text; check the path"}
	}
	return nil
}

// reader reads the input's issues; t places what went wrong.
type reader struct {
	t       *tracker
	repo    string
	strs    map[string]string // see intern
	values  int               // top-level JSON values read
	headers []Changelog       // of the relnotes JSON values among them, without issues
}

// pos is the line and column of offset off of the input; 0, 0 when it is
// no longer known (far behind what was read).
func (rd *reader) pos(off int64) (line, col int) { return rd.t.pos(off) }

// errorf builds an *InputError for err from encoding/json, for the item
// named by format and args. raw is the JSON the error's offsets count from,
// found at offset base of the input; nil when they count from the start of
// the input.
func (rd *reader) errorf(err error, raw []byte, base int64, format string, args ...any) error {
	e := &InputError{Item: fmt.Sprintf(format, args...), Msg: err.Error(), Err: err}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// A syntax error's offset is just past the offending byte.
		e.Line, e.Column = rd.pos(base + syn.Offset - 1)
		e.Msg = "not valid JSON: " + syn.Error()
	case errors.Is(err, io.ErrUnexpectedEOF):
		e.Line, e.Column = rd.pos(rd.t.n)
		e.Msg = "the JSON ends in the middle of a value; is the file cut short?"
	case errors.As(err, &typ):
		e.Line, e.Column = rd.pos(base + valueStart(raw, typ.Offset))
		e.Msg = fmt.Sprintf("%q is a JSON %s; want %s", typ.Field, typ.Value, jsonKind(typ))
	}
	return e
}

// valueStart finds where the JSON value that encoding/json reports at end
// begins: its type errors give the offset just past a string, number or
// literal, and just past the opening bracket of an object or array.
func valueStart(data []byte, end int64) int64 {
	i := min(end, int64(len(data))) - 1
	if i < 0 {
		return 0
	}
	switch data[i] {
	case '{', '[':
		return i
	case '"':
		for i--; i >= 0; i-- {
			if data[i] != '"' {
				continue
			}
			bs := 0
			for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
				bs++
			}
			if bs%2 == 0 {
				return i
			}
		}
		return 0
	}
	for i > 0 && !bytes.ContainsRune([]byte(" \t\r\n:,["), rune(data[i-1])) {
		i--
	}
	return i
}

// wrap adds the name of the enclosing value to an *InputError's item.
func (rd *reader) wrap(err error, outer string) error {
	var e *InputError
	if errors.As(err, &e) {
		e.Item = strings.TrimSuffix(outer+", "+e.Item, ", ")
		return e
	}
	return &InputError{Item: outer, Msg: err.Error(), Err: err}
}

func jsonKind(e *json.UnmarshalTypeError) string {
	switch e.Type.Kind() {
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

// span is one JSON value of the input and its offset there.
type span struct {
	raw json.RawMessage
	off int64
}

// elements splits the JSON array raw, found at offset base, into its
// elements with their offsets.
func (rd *reader) elements(raw []byte, base int64) ([]span, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // [
		return nil, rd.errorf(err, raw, base, "list")
	}
	var out []span
	for dec.More() {
		var el json.RawMessage
		if err := dec.Decode(&el); err != nil {
			return nil, rd.errorf(err, raw, base, "element %d", len(out)+1)
		}
		out = append(out, span{el, base + dec.InputOffset() - int64(len(el))})
	}
	return out, nil
}

// member finds the value of key in the JSON object raw, found at offset
// base, with its offset; ok is false when raw has no such key.
func (rd *reader) member(raw []byte, base int64, key string) (v span, ok bool, err error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return span{}, false, rd.errorf(err, raw, base, "object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return span{}, false, rd.errorf(err, raw, base, "object")
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return span{}, false, rd.errorf(err, raw, base, "%q", t)
		}
		if t == key {
			v, ok = span{val, base + dec.InputOffset() - int64(len(val))}, true
		}
	}
	return v, ok, nil
}

// value decodes a JSON value of the input, found at offset base, of any
// accepted shape but relnotes JSON (which values streams): an array of
// issues or pages, or a search page. Saved pages inside an array come
// here.
func (rd *reader) value(raw json.RawMessage, base int64) ([]Issue, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	if raw[0] == '[' {
		elems, err := rd.elements(raw, base)
		if err != nil {
			return nil, err
		}
		var out []Issue
		for i, e := range elems {
			got, err := rd.arrayElement(e, i+1)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		return out, nil
	}
	if raw[0] != '{' {
		line, col := rd.pos(base)
		return nil, &InputError{Line: line, Column: col,
			Msg: "neither an object nor an array: want relnotes JSON, a /search/issues page, or gh --json output"}
	}
	items, ok, err := rd.member(raw, base, "items")
	if err != nil {
		return nil, err
	}
	if !ok || string(items.raw) == "null" {
		line, col := rd.pos(base)
		return nil, &InputError{Line: line, Column: col,
			Msg: `not a format relnotes reads: want relnotes JSON ("issues"), a /search/issues page ("items"), or gh --json output (an array)`}
	}
	var page struct {
		Incomplete bool `json:"incomplete_results"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, rd.errorf(err, raw, base, "search page")
	}
	if page.Incomplete {
		line, col := rd.pos(base)
		return nil, &InputError{Line: line, Column: col, Msg: "this saved search page says incomplete_results: true; fetch it again"}
	}
	if t := bytes.TrimSpace(items.raw); len(t) == 0 || t[0] != '[' {
		line, col := rd.pos(items.off)
		return nil, &InputError{Line: line, Column: col, Item: "items", Msg: "is not a list"}
	}
	elems, err := rd.elements(items.raw, items.off)
	if err != nil {
		return nil, err
	}
	out := make([]Issue, 0, len(elems))
	for i, e := range elems {
		is, err := rd.item(e)
		if err != nil {
			return nil, rd.wrap(err, fmt.Sprintf("item %d", i+1))
		}
		out = append(out, is)
	}
	return out, nil
}

// arrayElement decodes element i of an array of issues or of saved pages.
func (rd *reader) arrayElement(e span, i int) ([]Issue, error) {
	if t := bytes.TrimSpace(e.raw); len(t) == 0 || t[0] != '{' {
		line, col := rd.pos(e.off)
		return nil, &InputError{Line: line, Column: col, Item: fmt.Sprintf("element %d", i), Msg: "is not an object"}
	}
	if _, ok, _ := rd.member(e.raw, e.off, "items"); ok {
		got, err := rd.value(e.raw, e.off)
		if err != nil {
			return nil, rd.wrap(err, fmt.Sprintf("element %d", i))
		}
		return got, nil
	}
	is, err := rd.item(e)
	if err != nil {
		return nil, rd.wrap(err, fmt.Sprintf("element %d", i))
	}
	return []Issue{is}, nil
}

// item is the union of the REST API's and gh's field names for one issue.
type item struct {
	Number        int              `json:"number"`
	Title         string           `json:"title"`
	HTMLURL       string           `json:"html_url"`
	URL           string           `json:"url"`
	RepositoryURL string           `json:"repository_url"`
	Repository    json.RawMessage  `json:"repository"`
	Labels        []GitHubLabel    `json:"labels"`
	Milestone     *GitHubMilestone `json:"milestone"`
	Type          *struct {
		Name string `json:"name"`
	} `json:"type"`
	User   *author `json:"user"`
	Author *author `json:"author"`

	StateReason   *string    `json:"state_reason"`
	GHStateReason string     `json:"stateReason"`
	ClosedAt      *time.Time `json:"closed_at"`
	GHClosedAt    *time.Time `json:"closedAt"`
	CreatedAt     *time.Time `json:"created_at"`
	GHCreatedAt   *time.Time `json:"createdAt"`
	PullRequest   *struct{}  `json:"pull_request"`
	IsPullRequest bool       `json:"isPullRequest"`
}

type author struct {
	Login string `json:"login"`
	Type  string `json:"type"`
	IsBot bool   `json:"is_bot"`
}

// item decodes one issue of an array or a search page.
func (rd *reader) item(e span) (Issue, error) {
	var it item
	if err := json.Unmarshal(e.raw, &it); err != nil {
		return Issue{}, rd.errorf(err, e.raw, e.off, "")
	}
	// Placing an item costs a scan from the start of the input: only a
	// failing item pays for it.
	fail := func(item, msg string) (Issue, error) {
		line, col := rd.pos(e.off)
		return Issue{}, &InputError{Line: line, Column: col, Item: item, Msg: msg}
	}
	if it.Number <= 0 {
		return fail("", "has no issue number")
	}
	is := Issue{
		Number:    it.Number,
		Title:     it.Title,
		URL:       firstNonEmpty(it.HTMLURL, webURL(it.URL)),
		Labels:    LabelNames(it.Labels),
		Milestone: MilestoneTitle(it.Milestone),
		IsPR:      it.PullRequest != nil || it.IsPullRequest,
	}
	if it.Type != nil {
		is.Type = it.Type.Name
	}
	if a := firstAuthor(it.User, it.Author); a != nil {
		is.AuthorIsBot = a.IsBot || strings.EqualFold(a.Type, "Bot") || strings.HasSuffix(a.Login, "[bot]") || strings.HasPrefix(a.Login, "app/")
		is.Author = filters.BotLogin(a.Login, is.AuthorIsBot)
	}
	if t := firstTime(it.ClosedAt, it.GHClosedAt); t != nil {
		is.ClosedAt = t.UTC()
	}
	if t := firstTime(it.CreatedAt, it.GHCreatedAt); t != nil {
		is.CreatedAt = t.UTC()
	}
	switch {
	case it.StateReason != nil:
		is.StateReason = *it.StateReason
	case it.GHStateReason != "":
		is.StateReason = strings.ToLower(it.GHStateReason)
	}
	is.Repository = firstNonEmpty(repoOf(it), rd.repo)
	if is.Repository == "" {
		return fail(fmt.Sprintf("issue #%d", it.Number),
			"cannot tell its repository (no repository, repository_url or url field); query exactly one repository, or export with --json url")
	}
	if !filters.ValidRepo(is.Repository) {
		return fail(fmt.Sprintf("issue #%d", it.Number), fmt.Sprintf("repository %q is not in OWNER/NAME form", is.Repository))
	}
	rd.intern(&is)
	return is, nil
}

// repoOf finds OWNER/NAME from whichever field the format has.
func repoOf(it item) string {
	if len(it.Repository) > 0 {
		var s string
		if json.Unmarshal(it.Repository, &s) == nil && filters.ValidRepo(s) {
			return s
		}
		var r struct {
			NameWithOwner string `json:"nameWithOwner"`
			FullName      string `json:"full_name"`
		}
		if json.Unmarshal(it.Repository, &r) == nil {
			if n := firstNonEmpty(r.NameWithOwner, r.FullName); n != "" {
				return n
			}
		}
	}
	if it.RepositoryURL != "" {
		if u, err := url.Parse(it.RepositoryURL); err == nil {
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			if n := len(parts); n >= 3 && parts[n-3] == "repos" {
				return parts[n-2] + "/" + parts[n-1]
			}
		}
	}
	for _, s := range []string{it.HTMLURL, it.URL} {
		if u, err := url.Parse(s); err == nil && s != "" {
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			if len(parts) >= 4 && (parts[2] == "issues" || parts[2] == "pull") {
				return parts[0] + "/" + parts[1]
			}
		}
	}
	return ""
}

// webURL keeps a gh "url" (a web link) and drops an API one.
func webURL(s string) string {
	if strings.Contains(s, "/repos/") {
		return ""
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstAuthor(as ...*author) *author {
	for _, a := range as {
		if a != nil && a.Login != "" {
			return a
		}
	}
	return nil
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil && !t.IsZero() {
			return t
		}
	}
	return nil
}

// TrackerURLs makes every issue's URL its page on server (such as
// https://github.com, without a trailing slash): an empty URL becomes
// SERVER/OWNER/NAME/issues/N (pull/N for a pull request), and a URL other
// than that page (GitHub serves an issue and a pull request at both) is an
// *InputError naming the issue, because rendered notes would send readers
// wherever a saved file says. Names are compared as GitHub compares them,
// letter case aside.
func TrackerURLs(issues []Issue, server string) error {
	for i := range issues {
		is := &issues[i]
		page := fmt.Sprintf("%s/%s/issues/%d", server, is.Repository, is.Number)
		pull := fmt.Sprintf("%s/%s/pull/%d", server, is.Repository, is.Number)
		switch {
		case is.URL == "" && is.IsPR:
			is.URL = pull
		case is.URL == "":
			is.URL = page
		case !strings.EqualFold(is.URL, page) && !strings.EqualFold(is.URL, pull):
			return &InputError{Item: fmt.Sprintf("issue %s#%d", is.Repository, is.Number),
				Msg: fmt.Sprintf("its url %s is not its page %s", is.URL, page), Err: ErrForeignURL}
		}
	}
	return nil
}

// ErrForeignURL is wrapped by TrackerURLs' errors.
var ErrForeignURL = errors.New("issue url is not the tracker's")
