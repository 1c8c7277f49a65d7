package ghemu

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// QueryError is a search GitHub would refuse with 422 Validation Failed: an
// unknown qualifier, an operator the emulator does not evaluate, or a repo:
// that does not exist. Unlike GitHub, an org: or user: naming an owner with
// no issues is not an error: it matches nothing.
type QueryError struct {
	Query string // the q text, or "" when evaluating a filters.Query directly
	Msg   string
}

// Error returns one line naming the query and what is wrong with it.
func (e *QueryError) Error() string {
	if e.Query == "" {
		return "ghemu: invalid search: " + e.Msg
	}
	return fmt.Sprintf("ghemu: invalid search %q: %s", e.Query, e.Msg)
}

// matcher is a filters.Query compiled for the emulator's records. It is the
// emulator's own reading of GitHub's search semantics, written independently
// of filters.Query.Match so the two can check each other.
type matcher struct {
	kind       filters.Kind
	state      filters.State
	reason     filters.Reason
	typ        string
	labels     [][]string
	exclLabels []string
	milestone  string
	authors    []string
	exclAuth   []string
	linked     *bool
	closed     span
	created    span
	repos      []string          // lower-cased OWNER/NAME
	owners     []string          // lower-cased org:/user:
	extra      []func(*rec) bool // Other qualifiers, already negated

	// Compiled for hot records by compileQuick.
	need, want uint8    // flags&need must equal want
	repoOK     []bool   // by repository index; nil when any repository will do
	full       bool     // some condition needs more than the hot record
	never      bool     // a name the tracker does not have makes any match impossible
	labelAny   []uint64 // each group: some bit must be set (when labelBits)
	labelNone  uint64   // no bit may be set
	typID      int32    // 0: any
	mileID     int32    // 0: any
	authorIDs  []int32  // any of them; nil: anybody
	exclIDs    []int32
	keywords   []string // lower-cased, must all occur
	negKw      []string // lower-cased, must not occur
	inTitle    bool
	inBody     bool
}

// span is an inclusive range of Unix seconds; has is false when unbounded.
type span struct {
	from, to int64
	has      bool
}

func (sp span) contains(t int64) bool { return t >= sp.from && t <= sp.to }

func compileWindow(w filters.Window) span {
	if w.From == (filters.Bound{}) && w.To == (filters.Bound{}) {
		return span{}
	}
	sp := span{from: -1 << 62, to: 1 << 62, has: true}
	if !w.From.T.IsZero() {
		sp.from = w.From.T.Unix()
		if w.From.Day {
			sp.from = dayStart(w.From.T).Unix()
		}
	}
	if !w.To.T.IsZero() {
		sp.to = w.To.T.Unix()
		if w.To.Day {
			// A whole day ends at its last second: GitHub's timestamps have
			// one-second resolution.
			sp.to = dayStart(w.To.T).Add(24*time.Hour).Unix() - 1
		} else if w.To.T.Nanosecond() > 0 {
			sp.to = w.To.T.Unix() // floor: the instant itself is not a whole second
		}
	}
	if !w.From.Day && w.From.T.Nanosecond() > 0 {
		sp.from++ // ceil
	}
	return sp
}

// dayStart is the start of t's UTC day: the emulator reads date-only bounds
// as UTC days, a choice, since GitHub does not document the zone.
func dayStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// appLogin maps author:app/NAME to the login GitHub shows for the app.
func appLogin(a string) string {
	a = strings.ToLower(a)
	if name, ok := strings.CutPrefix(a, "app/"); ok {
		return name + "[bot]"
	}
	return a
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(s)
	}
	return out
}

// compile checks q the way GitHub validates a search and prepares it for
// matching against d.
func compile(q filters.Query, d *dataset) (*matcher, error) {
	m := &matcher{
		kind:       q.Kind,
		state:      q.State,
		reason:     filters.Reason(strings.ToLower(string(q.Reason))),
		typ:        strings.ToLower(q.Type),
		exclLabels: lowerAll(q.ExcludeLabels),
		milestone:  strings.ToLower(q.Milestone),
		linked:     q.LinkedPR,
		closed:     compileWindow(q.Closed),
		created:    compileWindow(q.Created),
		repos:      lowerAll(q.Repos),
		owners:     lowerAll(q.Orgs),
	}
	switch m.kind {
	case filters.KindAny, filters.KindIssue, filters.KindPR:
	default:
		return nil, &QueryError{Msg: fmt.Sprintf("unknown kind %q: use is:issue or is:pr", q.Kind)}
	}
	switch m.state {
	case filters.StateAny, filters.StateOpen, filters.StateClosed:
	default:
		return nil, &QueryError{Msg: fmt.Sprintf("unknown state %q: use open or closed", q.State)}
	}
	switch m.reason {
	case filters.ReasonAny, filters.ReasonCompleted, filters.ReasonNotPlanned:
	default:
		return nil, &QueryError{Msg: fmt.Sprintf("unknown reason %q: use completed or \"not planned\"", q.Reason)}
	}
	for _, g := range q.Labels {
		m.labels = append(m.labels, lowerAll(g))
	}
	for _, a := range q.Authors {
		m.authors = append(m.authors, appLogin(a))
	}
	for _, a := range q.ExcludeAuthors {
		m.exclAuth = append(m.exclAuth, appLogin(a))
	}
	for _, r := range m.repos {
		if !d.hasRepo(r) {
			return nil, &QueryError{Msg: "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them."}
		}
	}
	for _, term := range q.Other {
		if err := m.other(term); err != nil {
			return nil, err
		}
	}
	// GitHub counts the characters outside operators and qualifiers; the
	// emulator approximates that with the bytes of the keywords.
	kwLen := 0
	for _, k := range append(m.keywords, m.negKw...) {
		kwLen += len(k)
	}
	if kwLen > 256 {
		return nil, &QueryError{Msg: "The search is longer than 256 characters."}
	}
	m.compileQuick(d)
	return m, nil
}

// compileQuick turns the conditions that fit in a hot record into masks.
func (m *matcher) compileQuick(d *dataset) {
	if len(m.repos) > 0 || len(m.owners) > 0 {
		m.repoOK = make([]bool, len(d.repoList))
		for i, ri := range d.repoList {
			lc := strings.ToLower(ri.name)
			owner, _, _ := strings.Cut(lc, "/")
			m.repoOK[i] = slices.Contains(m.repos, lc) || slices.Contains(m.owners, owner)
		}
	}
	m.full = len(m.extra) > 0 || len(m.keywords) > 0 || len(m.negKw) > 0 ||
		(!d.labelBits && (len(m.labels) > 0 || len(m.exclLabels) > 0))
	if d.labelBits {
		for _, g := range m.labels {
			var mask uint64
			for _, l := range g {
				if b, ok := d.labelBit[l]; ok {
					mask |= 1 << b
				}
			}
			m.never = m.never || mask == 0
			m.labelAny = append(m.labelAny, mask)
		}
		for _, l := range m.exclLabels {
			if b, ok := d.labelBit[l]; ok {
				m.labelNone |= 1 << b
			}
		}
	}
	id := func(w string) int32 {
		x, ok := d.vocab[w]
		if !ok {
			m.never = true
		}
		return x
	}
	if m.typ != "" {
		m.typID = id("t:" + m.typ)
	}
	if m.milestone != "" {
		m.mileID = id("m:" + m.milestone)
	}
	if len(m.authors) > 0 {
		m.authorIDs = []int32{}
		for _, a := range m.authors {
			if x, ok := d.vocab["a:"+a]; ok {
				m.authorIDs = append(m.authorIDs, x)
			}
		}
		m.never = m.never || len(m.authorIDs) == 0
	}
	for _, a := range m.exclAuth {
		if x, ok := d.vocab["a:"+a]; ok {
			m.exclIDs = append(m.exclIDs, x)
		}
	}
	set := func(bit uint8, on bool) {
		m.need |= bit
		if on {
			m.want |= bit
		}
	}
	switch m.kind {
	case filters.KindIssue:
		set(hotPR, false)
	case filters.KindPR:
		set(hotPR, true)
	}
	switch m.state {
	case filters.StateOpen:
		set(hotOpen, true)
	case filters.StateClosed:
		set(hotOpen, false)
	}
	switch m.reason {
	case filters.ReasonCompleted:
		set(hotCompleted, true)
	case filters.ReasonNotPlanned:
		set(hotNotPlanned, true)
	}
	if m.linked != nil {
		set(hotLinked, *m.linked)
	}
}

// matchAt reports whether record i matches: a pass over the small hot
// records first, so a scan of a large tracker stays in cache, then the full
// conditions for the few that survive.
func (m *matcher) matchAt(d *dataset, i int32) bool {
	h := &d.hot[i]
	if h.flags&m.need != m.want {
		return false
	}
	if m.closed.has && (h.closed == 0 || !m.closed.contains(h.closed)) {
		return false
	}
	if m.created.has && !m.created.contains(h.created) {
		return false
	}
	if m.repoOK != nil && !m.repoOK[h.repo] {
		return false
	}
	if m.never || (m.typID != 0 && h.typ != m.typID) || (m.mileID != 0 && h.mile != m.mileID) {
		return false
	}
	if h.labels&m.labelNone != 0 {
		return false
	}
	for _, g := range m.labelAny {
		if h.labels&g == 0 {
			return false
		}
	}
	if m.authorIDs != nil && !slices.Contains(m.authorIDs, h.author) || slices.Contains(m.exclIDs, h.author) {
		return false
	}
	return !m.full || m.match(&d.recs[i])
}

// other reads one term filters.Query kept verbatim: a keyword, a negated or
// repeated qualifier, or one of the few qualifiers with no field in Query.
// Anything else is refused, so a client that sends a qualifier by mistake
// finds out in tests.
func (m *matcher) other(term string) error {
	neg := strings.HasPrefix(term, "-") && len(term) > 1
	body := term
	if neg {
		body = term[1:]
	}
	if name, val, ok := strings.Cut(body, ":"); ok && isQualifierName(name) {
		p, err := qualifierPred(strings.ToLower(name), unquote(val), neg, m)
		if err != nil {
			return err
		}
		if p == nil {
			return &QueryError{Msg: fmt.Sprintf("unknown or unsupported qualifier %q", term)}
		}
		if neg {
			m.extra = append(m.extra, func(r *rec) bool { return !p(r) })
		} else {
			m.extra = append(m.extra, p)
		}
		return nil
	}
	switch strings.ToUpper(term) {
	case "AND":
		return nil
	case "OR", "NOT":
		return &QueryError{Msg: fmt.Sprintf("boolean operator %q is not supported by the emulator", term)}
	}
	if strings.ContainsAny(term, "()") {
		return &QueryError{Msg: fmt.Sprintf("parentheses in %q are not supported by the emulator", term)}
	}
	kw := strings.ToLower(unquote(body))
	if kw == "" {
		return nil
	}
	if neg {
		m.negKw = append(m.negKw, kw)
	} else {
		m.keywords = append(m.keywords, kw)
	}
	return nil
}

// qualifierPred returns the condition of name:val (before negation), nil for
// a qualifier GitHub does not know, or an error for a value it rejects.
func qualifierPred(name, val string, neg bool, m *matcher) (func(*rec) bool, error) {
	lv := strings.ToLower(val)
	switch name {
	case "is", "type", "state":
		switch {
		case name != "state" && lv == "issue":
			return func(r *rec) bool { return !r.iss.IsPR }, nil
		case name != "state" && (lv == "pr" || lv == "pull-request"):
			return func(r *rec) bool { return r.iss.IsPR }, nil
		case name != "type" && (lv == "open" || lv == "closed"):
			return func(r *rec) bool { return r.iss.State == lv }, nil
		case name == "type":
			return func(r *rec) bool { return r.typeLC == lv }, nil
		}
		return nil, &QueryError{Msg: fmt.Sprintf("%s:%s is not a known value", name, val)}
	case "reason":
		switch strings.NewReplacer("-", " ", "_", " ").Replace(lv) {
		case "completed":
			return func(r *rec) bool {
				return r.iss.State == "closed" && (r.iss.StateReason == "completed" || r.iss.StateReason == "")
			}, nil
		case "not planned":
			return func(r *rec) bool { return r.iss.State == "closed" && r.iss.StateReason == "not_planned" }, nil
		}
		return nil, &QueryError{Msg: fmt.Sprintf("reason:%s is not completed or \"not planned\"", val)}
	case "milestone":
		return func(r *rec) bool { return r.mileLC == lv }, nil
	case "repo":
		return func(r *rec) bool { return r.repoLC == lv }, nil
	case "org", "user":
		if !neg && name == "user" {
			m.owners = append(m.owners, lv)
			return func(*rec) bool { return true }, nil
		}
		return func(r *rec) bool { return r.ownerLC == lv }, nil
	case "linked":
		if lv == "pr" {
			return func(r *rec) bool { return r.iss.LinkedPR }, nil
		}
		return nil, &QueryError{Msg: fmt.Sprintf("linked:%s is not supported: use linked:pr", val)}
	case "closed", "created", "updated":
		w, err := filters.ParseWindow(val)
		if err != nil {
			return nil, &QueryError{Msg: err.Error()}
		}
		sp := compileWindow(w)
		if !sp.has {
			return func(*rec) bool { return true }, nil
		}
		return func(r *rec) bool {
			t := r.created
			switch name {
			case "closed":
				if r.closed == 0 {
					return false
				}
				t = r.closed
			case "updated":
				t = r.updated
			}
			return sp.contains(t)
		}, nil
	case "no":
		if neg {
			return nil, &QueryError{Msg: "no: qualifiers cannot be negated"}
		}
		switch lv {
		case "label":
			return func(r *rec) bool { return len(r.labelsLC) == 0 }, nil
		case "milestone":
			return func(r *rec) bool { return r.mileLC == "" }, nil
		case "type":
			return func(r *rec) bool { return r.typeLC == "" }, nil
		}
	case "in":
		if !neg && (lv == "title" || lv == "body" || lv == "title,body" || lv == "body,title") {
			m.inTitle = m.inTitle || strings.Contains(lv, "title")
			m.inBody = m.inBody || strings.Contains(lv, "body")
			return func(*rec) bool { return true }, nil
		}
	}
	return nil, nil
}

func isQualifierName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// match reports whether r satisfies every condition; the cheapest and most
// selective checks run first.
func (m *matcher) match(r *rec) bool {
	if m.closed.has && (r.closed == 0 || !m.closed.contains(r.closed)) {
		return false
	}
	if m.created.has && !m.created.contains(r.created) {
		return false
	}
	if len(m.repos) > 0 || len(m.owners) > 0 {
		if !slices.Contains(m.repos, r.repoLC) && !slices.Contains(m.owners, r.ownerLC) {
			return false
		}
	}
	switch m.kind {
	case filters.KindIssue:
		if r.iss.IsPR {
			return false
		}
	case filters.KindPR:
		if !r.iss.IsPR {
			return false
		}
	}
	if m.state != filters.StateAny && r.iss.State != string(m.state) {
		return false
	}
	switch m.reason {
	case filters.ReasonCompleted:
		// Issues closed before close reasons existed have a null reason;
		// the emulator counts them as completed (what GitHub does is not
		// documented).
		if r.iss.State != "closed" || (r.iss.StateReason != "completed" && r.iss.StateReason != "") {
			return false
		}
	case filters.ReasonNotPlanned:
		if r.iss.State != "closed" || r.iss.StateReason != "not_planned" {
			return false
		}
	}
	if m.typ != "" && r.typeLC != m.typ {
		return false
	}
	for _, g := range m.labels {
		if !anyIn(g, r.labelsLC) {
			return false
		}
	}
	if anyIn(m.exclLabels, r.labelsLC) {
		return false
	}
	if m.milestone != "" && r.mileLC != m.milestone {
		return false
	}
	if len(m.authors) > 0 && !slices.Contains(m.authors, r.authorLC) {
		return false
	}
	if slices.Contains(m.exclAuth, r.authorLC) {
		return false
	}
	if m.linked != nil && r.iss.LinkedPR != *m.linked {
		return false
	}
	for _, p := range m.extra {
		if !p(r) {
			return false
		}
	}
	if len(m.keywords) > 0 || len(m.negKw) > 0 {
		text := m.text(r)
		for _, k := range m.keywords {
			if !strings.Contains(text, k) {
				return false
			}
		}
		for _, k := range m.negKw {
			if strings.Contains(text, k) {
				return false
			}
		}
	}
	return true
}

func (m *matcher) text(r *rec) string {
	title, body := !m.inBody || m.inTitle, !m.inTitle || m.inBody
	var s string
	if title {
		s = r.iss.Title
	}
	if body {
		s += "\n" + r.iss.Body
	}
	return strings.ToLower(s)
}

// anyIn reports whether some element of want is in have.
func anyIn(want, have []string) bool {
	for _, w := range want {
		if slices.Contains(have, w) {
			return true
		}
	}
	return false
}
