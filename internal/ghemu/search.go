package ghemu

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// searchCap is how many results GitHub's search lets a client page through.
const searchCap = 1000

// Search is the ground truth: every issue the query q matches, with no
// 1000-result cap, sorted by creation time then number. It fails with the
// parse error of filters.Parse or a *QueryError where the API would answer
// 422. It neither counts against budgets nor appears in the request log.
func (s *Server) Search(q string) ([]Issue, error) {
	fq, err := filters.Parse(q)
	if err != nil {
		return nil, fmt.Errorf("ghemu: search %q: %w", q, err)
	}
	out, err := s.SearchQuery(fq)
	if qe, ok := err.(*QueryError); ok {
		qe.Query = q
	}
	return out, err
}

// SearchQuery is Search for an already parsed query.
func (s *Server) SearchQuery(q filters.Query) ([]Issue, error) {
	return s.data.Load().search(q)
}

func (d *dataset) search(q filters.Query) ([]Issue, error) {
	m, err := compile(q, d)
	if err != nil {
		return nil, err
	}
	var out []Issue
	for i := range d.recs {
		if m.matchAt(d, int32(i)) {
			out = append(out, d.recs[i].iss.clone())
		}
	}
	return out, nil
}

func (d *dataset) hasRepo(lc string) bool { _, ok := d.repos[lc]; return ok }

type ctxKey int

const incompleteKey ctxKey = 1

func withIncomplete(ctx context.Context) context.Context {
	return context.WithValue(ctx, incompleteKey, true)
}

func isIncomplete(ctx context.Context) bool {
	v, _ := ctx.Value(incompleteKey).(bool)
	return v
}

// orderSpec is a result order: by created (the recs order), updated or
// comments, ascending or descending.
type orderSpec struct {
	by   string // "created", "updated", "comments"
	desc bool
}

// searchOrder reads sort and order the way GitHub does: order only counts
// when sort is given; without sort results come in "best match" order,
// which the emulator defines as newest first. A sort: qualifier in q applies
// when the sort parameter is absent; that is the web UI's rule, and whether
// the REST API honours it is not documented.
func searchOrder(sortParam, orderParam, qualifier string) (orderSpec, error) {
	if sortParam == "" && qualifier != "" {
		by, dir, _ := strings.Cut(strings.ToLower(qualifier), "-")
		if dir == "" {
			dir = "desc"
		}
		sortParam, orderParam = by, dir
	}
	o := orderSpec{by: "created", desc: true}
	switch strings.ToLower(sortParam) {
	case "", "best-match", "reactions", "reactions-+1", "reactions--1", "reactions-smile", "reactions-thinking_face",
		"reactions-heart", "reactions-tada", "interactions":
		return o, nil
	case "created", "updated", "comments":
		o.by = strings.ToLower(sortParam)
	default:
		return o, &QueryError{Msg: fmt.Sprintf("sort %q is not one of created, updated, comments, reactions, interactions", sortParam)}
	}
	switch strings.ToLower(orderParam) {
	case "", "desc":
	case "asc":
		o.desc = false
	default:
		return o, &QueryError{Msg: fmt.Sprintf("order %q is not asc or desc", orderParam)}
	}
	return o, nil
}

// pageParams reads per_page and page; nonsense falls back to the defaults,
// as GitHub does. page is capped so that page*perPage cannot overflow: a
// huge page is simply past the end (an empty list, or 422 past the search
// cap), not a negative offset that panics the handler.
func (s *Server) pageParams(v url.Values) (perPage, page int) {
	perPage = 30
	if n, err := strconv.Atoi(v.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, s.cfg.MaxPerPage)
	}
	page = 1
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 0 {
		page = min(n, math.MaxInt/perPage)
	}
	return perPage, page
}

// listPage reads per_page and page, writes the Link header of a list of n
// items, and returns the bounds [lo, hi) of the requested page in it (empty
// past the end).
func (s *Server) listPage(w http.ResponseWriter, r *http.Request, n int) (lo, hi int) {
	perPage, page := s.pageParams(r.URL.Query())
	s.setLinks(w, r, page, (n+perPage-1)/perPage)
	lo = min((page-1)*perPage, n)
	return lo, min(lo+perPage, n)
}

// writeValidation answers 422 for a search whose q GitHub would refuse.
func writeValidation(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusUnprocessableEntity, errorBody{
		Message:          "Validation Failed",
		Errors:           []errorDetail{{Message: msg, Resource: "Search", Field: "q", Code: "invalid"}},
		DocumentationURL: "https://docs.github.com/v3/search/",
		Status:           "422",
	})
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := v.Get("q")
	if strings.TrimSpace(q) == "" {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "Validation Failed",
			Errors:           []errorDetail{{Resource: "Search", Field: "q", Code: "missing"}},
			DocumentationURL: "https://docs.github.com/v3/search",
			Status:           "422",
		})
		return
	}
	fq, err := filters.Parse(q)
	if err != nil {
		writeValidation(w, err.Error())
		return
	}
	d := s.data.Load()
	m, err := compile(fq, d)
	if err != nil {
		writeValidation(w, err.(*QueryError).Msg)
		return
	}
	ord, err := searchOrder(v.Get("sort"), v.Get("order"), fq.Sort)
	if err != nil {
		writeValidation(w, err.(*QueryError).Msg)
		return
	}
	perPage, page := s.pageParams(v)
	if (page-1)*perPage >= searchCap {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "Only the first 1000 search results are available",
			DocumentationURL: "https://docs.github.com/v3/search/",
			Status:           "422",
		})
		return
	}
	off := (page - 1) * perPage
	lim := min(perPage, searchCap-off)
	total, idx := d.find(m, ord, off, lim)

	incomplete := isIncomplete(r.Context())
	if incomplete && len(idx) > 0 {
		// Drop every third item, and at least one, as a timed-out search does.
		kept := idx[:0:0]
		for i, x := range idx {
			if i%3 != 0 {
				kept = append(kept, x)
			}
		}
		idx = kept
	}
	api := s.apiRoot()
	items := make([]jsonIssue, len(idx))
	for i, x := range idx {
		items[i] = d.encode(&d.recs[x], api, true)
	}
	// The last link stops at the cap: the pages past it answer 422. Whether
	// GitHub's does is not documented.
	last := (min(total, searchCap) + perPage - 1) / perPage
	s.setLinks(w, r, page, last)
	writeJSON(w, http.StatusOK, struct {
		TotalCount        int         `json:"total_count"`
		IncompleteResults bool        `json:"incomplete_results"`
		Items             []jsonIssue `json:"items"`
	}{total, incomplete, items})
}

// find returns how many records m matches and the indices of the matches
// at positions [off, off+lim) in order o. It allocates only the page, except
// when a closed: window makes it cheaper to collect the few candidates.
//
// In created order (the recs order) a created: window narrows the scan to
// the records created inside it, found by binary search; a closed: window
// narrows it to byClosed's slice. The smaller of the two is scanned, so a
// windowed query costs its candidates, not the whole tracker.
func (d *dataset) find(m *matcher, o orderSpec, off, lim int) (total int, page []int32) {
	lo, hi := 0, len(d.recs)
	if m.created.has && o.by == "created" {
		lo, hi = d.createdRange(m.created)
	}
	if m.closed.has {
		clo, _ := slices.BinarySearchFunc(d.byClosed, m.closed.from, func(i int32, t int64) int { return cmpInt(d.hot[i].closed, t) })
		chi, _ := slices.BinarySearchFunc(d.byClosed, m.closed.to+1, func(i int32, t int64) int { return cmpInt(d.hot[i].closed, t) })
		if chi-clo < (hi-lo)/4 {
			var hits []int32
			for _, i := range d.byClosed[clo:chi] {
				if int(i) >= lo && int(i) < hi && m.matchAt(d, i) {
					hits = append(hits, i)
				}
			}
			slices.SortFunc(hits, d.less(o))
			if off < len(hits) {
				page = slices.Clone(hits[off:min(off+lim, len(hits))])
			}
			return len(hits), page
		}
	}
	visit := func(i int32) {
		if m.matchAt(d, i) {
			if total >= off && total < off+lim {
				page = append(page, i)
			}
			total++
		}
	}
	var perm []int32
	switch o.by {
	case "updated":
		perm = d.byUpdated
	case "comments":
		perm = d.byComment
	}
	for k := lo; k < hi; k++ {
		j := k
		if o.desc {
			j = lo + hi - 1 - k
		}
		if perm != nil {
			visit(perm[j])
		} else {
			visit(int32(j))
		}
	}
	return total, page
}

// createdRange is the slice [lo, hi) of recs created inside sp; recs are
// sorted by created.
func (d *dataset) createdRange(sp span) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(d.hot, sp.from, func(h hot, t int64) int { return cmpInt(h.created, t) })
	hi, _ = slices.BinarySearchFunc(d.hot, sp.to+1, func(h hot, t int64) int { return cmpInt(h.created, t) })
	return lo, max(lo, hi)
}

// less orders record indices as the full scan in find visits them.
func (d *dataset) less(o orderSpec) func(a, b int32) int {
	return func(a, b int32) int {
		ra, rb := &d.recs[a], &d.recs[b]
		var c int
		switch o.by {
		case "updated":
			c = cmpInt(ra.updated, rb.updated)
		case "comments":
			c = cmpInt(int64(ra.iss.Comments), int64(rb.iss.Comments))
		}
		if c == 0 {
			c = cmpInt(int64(a), int64(b))
		}
		if o.desc {
			c = -c
		}
		return c
	}
}

// setLinks writes GitHub's Link header: prev, next, last and first, each an
// absolute URL with the request's query and another page. No header when
// everything fits on one page.
func (s *Server) setLinks(w http.ResponseWriter, r *http.Request, page, last int) {
	if last <= 1 && page <= 1 {
		return
	}
	base := s.apiRoot() + r.URL.Path
	link := func(p int, rel string) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return "<" + base + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	var parts []string
	if page > 1 {
		parts = append(parts, link(min(page-1, max(last, 1)), "prev"))
	}
	if page < last {
		parts = append(parts, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		parts = append(parts, link(1, "first"))
	}
	w.Header().Set("Link", strings.Join(parts, ", "))
}

func (s *Server) handleRepo(w http.ResponseWriter, r *http.Request) {
	key := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
	d := s.data.Load()
	ri := d.repos[key]
	if ri == nil {
		writeNotFound(w)
		return
	}
	api := s.apiRoot()
	owner, name, _ := strings.Cut(ri.name, "/")
	oid := int64(hash32(strings.ToLower(owner)))
	writeJSON(w, http.StatusOK, map[string]any{
		"id":        ri.id,
		"node_id":   nodeID("R_", ri.id),
		"name":      name,
		"full_name": ri.name,
		"private":   false,
		"owner": jsonUser{Login: owner, ID: oid, NodeID: nodeID("O_", oid), URL: api + "/users/" + owner,
			HTMLURL: "https://github.com/" + owner, Type: "Organization",
			AvatarURL: "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(oid, 10) + "?v=4"},
		"html_url":          "https://github.com/" + ri.name,
		"url":               api + "/repos/" + ri.name,
		"issues_url":        api + "/repos/" + ri.name + "/issues{/number}",
		"default_branch":    "main",
		"has_issues":        true,
		"open_issues_count": d.openCount(key),
		"visibility":        "public",
	})
}

func (d *dataset) openCount(repoLC string) int {
	n := 0
	for i := range d.recs {
		if d.recs[i].repoLC == repoLC && d.recs[i].iss.State == "open" {
			n++
		}
	}
	return n
}

// handleListIssues serves GET /repos/{owner}/{repo}/issues: issues and pull
// requests of one repository, with no result cap.
func (s *Server) handleListIssues(w http.ResponseWriter, r *http.Request) {
	key := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
	d := s.data.Load()
	if !d.hasRepo(key) {
		writeNotFound(w)
		return
	}
	v := r.URL.Query()
	bad := func(field, msg string) {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "Validation Failed",
			Errors:           []errorDetail{{Message: msg, Resource: "Issue", Field: field, Code: "invalid"}},
			DocumentationURL: "https://docs.github.com/rest/issues/issues#list-repository-issues",
			Status:           "422",
		})
	}
	state := strings.ToLower(v.Get("state"))
	switch state {
	case "":
		state = "open"
	case "open", "closed", "all":
	default:
		bad("state", "state must be open, closed or all")
		return
	}
	var since int64 = -1 << 62
	if x := v.Get("since"); x != "" {
		t, err := time.Parse(time.RFC3339, x)
		if err != nil {
			bad("since", "since must be an ISO 8601 timestamp: YYYY-MM-DDTHH:MM:SSZ")
			return
		}
		since = t.Unix()
		if t.Nanosecond() > 0 {
			since++
		}
	}
	var labels []string
	if l := v.Get("labels"); l != "" {
		for _, x := range strings.Split(l, ",") {
			if x = strings.TrimSpace(x); x != "" {
				labels = append(labels, strings.ToLower(x))
			}
		}
	}
	mile := v.Get("milestone") // number, "*" or "none"
	mileNum := -1
	if mile != "" && mile != "*" && mile != "none" {
		n, err := strconv.Atoi(mile)
		if err != nil {
			bad("milestone", "milestone must be a number, * or none")
			return
		}
		mileNum = n
	}
	creator := strings.ToLower(v.Get("creator"))
	o := orderSpec{by: "created", desc: true}
	switch x := strings.ToLower(v.Get("sort")); x {
	case "", "created":
	case "updated", "comments":
		o.by = x
	default:
		bad("sort", "sort must be created, updated or comments")
		return
	}
	switch strings.ToLower(v.Get("direction")) {
	case "", "desc":
	case "asc":
		o.desc = false
	default:
		bad("direction", "direction must be asc or desc")
		return
	}
	keep := func(rc *rec) bool {
		if rc.repoLC != key || rc.updated < since {
			return false
		}
		if state != "all" && rc.iss.State != state {
			return false
		}
		for _, l := range labels {
			if !slices.Contains(rc.labelsLC, l) {
				return false
			}
		}
		switch {
		case mile == "*" && rc.milestone == 0, mile == "none" && rc.milestone != 0, mileNum >= 0 && rc.milestone != mileNum:
			return false
		}
		return creator == "" || rc.authorLC == creator
	}
	var hits []int32
	for i := range d.recs {
		if keep(&d.recs[i]) {
			hits = append(hits, int32(i))
		}
	}
	slices.SortFunc(hits, d.less(o))
	lo, hi := s.listPage(w, r, len(hits))
	api := s.apiRoot()
	items := make([]jsonIssue, 0, hi-lo)
	for _, x := range hits[lo:hi] {
		items = append(items, d.encode(&d.recs[x], api, false))
	}
	writeJSON(w, http.StatusOK, items)
}
