package ghemu

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Issue is one issue or pull request of the emulated tracker.
type Issue struct {
	Repo   string // OWNER/NAME
	Number int
	Title  string
	Body   string
	Author string // login; bots look like "dependabot[bot]"
	// AuthorIsBot serialises user.type as "Bot" instead of "User".
	AuthorIsBot bool
	// IsPR serialises the item with a "pull_request" object, as GitHub's
	// issue endpoints return pull requests.
	IsPR  bool
	State string // "open" | "closed"
	// StateReason is "completed", "not_planned", "duplicate", "reopened", or
	// "" (JSON null: issues closed before close reasons existed, and PRs).
	StateReason string
	Labels      []string
	Type        string // issue type ("Bug"); "" serialises as null
	Milestone   string // milestone title; "" means none
	LinkedPR    bool   // linked to a PR by a closing reference (linked:pr)
	Comments    int    // comment count, for sort=comments
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
}

func (i Issue) clone() Issue {
	i.Labels = slices.Clone(i.Labels)
	return i
}

// rec is an Issue with everything the matcher compares precomputed, so a
// search over a large tracker does no allocation per issue.
type rec struct {
	iss       Issue
	repoLC    string
	ownerLC   string
	labelsLC  []string
	typeLC    string
	mileLC    string
	authorLC  string
	created   int64
	updated   int64
	closed    int64 // 0 when open
	id        int64
	milestone int // milestone number within its repository
}

// hot is the part of a rec that most searches reject on, kept in a
// separate small array so a full scan touches little memory.
type hot struct {
	closed, created int64
	labels          uint64 // bit i set: carries the label of dataset.labelBit i
	repo            int32  // index in dataset.repoList
	typ             int32  // id in dataset.vocab, 0 for none
	mile            int32
	author          int32
	flags           uint8
}

// hot flags.
const (
	hotPR         uint8 = 1 << iota
	hotOpen             // state open
	hotCompleted        // closed as completed, or closed with a null reason
	hotNotPlanned       // closed as not planned
	hotLinked           // linked:pr
)

type repoInfo struct {
	idx        int32
	name       string // as first seen, OWNER/NAME
	id         int64
	milestones map[string]int // lower-cased title -> number
}

// dataset is the immutable tracker behind a Server.
type dataset struct {
	recs     []rec // by created, then number (the ground-truth order)
	hot      []hot // parallel to recs
	repoList []*repoInfo

	// labelBit numbers the lower-cased labels for hot.labels; labelBits is
	// false when there are more than 64 and labels must be compared as text.
	labelBit  map[string]int
	labelBits bool
	vocab     map[string]int32 // lower-cased type, milestone and author names -> id > 0
	byUpdated []int32          // indices into recs by updated, then number
	byComment []int32          // indices into recs by comments, then number
	byClosed  []int32          // indices of closed recs by closed time
	repos     map[string]*repoInfo
}

// checkIssues rejects trackers GitHub could not have: a repository that is
// not OWNER/NAME, or two items with the same number in one repository.
func checkIssues(issues []Issue) error {
	seen := make(map[string]map[int]bool)
	for _, is := range issues {
		owner, name, ok := strings.Cut(is.Repo, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return fmt.Errorf("issue #%d: repository %q is not OWNER/NAME", is.Number, is.Repo)
		}
		lc := strings.ToLower(is.Repo)
		if seen[lc] == nil {
			seen[lc] = map[int]bool{}
		}
		if seen[lc][is.Number] {
			return fmt.Errorf("%s#%d appears twice: give each item of a repository its own number (GenOptions.FirstNumber)", is.Repo, is.Number)
		}
		seen[lc][is.Number] = true
	}
	return nil
}

func newDataset(issues []Issue) *dataset {
	d := &dataset{recs: make([]rec, len(issues)), repos: map[string]*repoInfo{},
		labelBit: map[string]int{}, labelBits: true, vocab: map[string]int32{}}
	for i, is := range issues {
		d.recs[i] = newRec(is)
	}
	// Sort indices, not the records: a rec is large, and moving 200 000 of
	// them around is most of Start's time (under -race, by far).
	perm := make([]int32, len(d.recs))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(i, j int32) int {
		a, b := &d.recs[i], &d.recs[j]
		if c := cmpInt(a.created, b.created); c != 0 {
			return c
		}
		if c := cmpInt(int64(a.iss.Number), int64(b.iss.Number)); c != 0 {
			return c
		}
		if c := strings.Compare(a.repoLC, b.repoLC); c != 0 {
			return c
		}
		return cmpInt(int64(i), int64(j)) // stable
	})
	sorted := make([]rec, len(d.recs))
	for i, p := range perm {
		sorted[i] = d.recs[p]
	}
	d.recs = sorted
	for i := range d.recs {
		r := &d.recs[i]
		ri := d.repos[r.repoLC]
		if ri == nil {
			ri = &repoInfo{idx: int32(len(d.repoList)), name: r.iss.Repo, id: int64(hash32(r.repoLC)), milestones: map[string]int{}}
			d.repos[r.repoLC] = ri
			d.repoList = append(d.repoList, ri)
		}
		h := hot{closed: r.closed, created: r.created, repo: ri.idx,
			typ: d.word("t:" + r.typeLC), mile: d.word("m:" + r.mileLC), author: d.word("a:" + r.authorLC)}
		for _, l := range r.labelsLC {
			b, ok := d.labelBit[l]
			if !ok && d.labelBits {
				if b = len(d.labelBit); b == 64 {
					d.labelBits = false
				} else {
					d.labelBit[l] = b
				}
			}
			if d.labelBits {
				h.labels |= 1 << b
			}
		}
		if r.iss.IsPR {
			h.flags |= hotPR
		}
		if r.iss.LinkedPR {
			h.flags |= hotLinked
		}
		switch {
		case r.iss.State == "open":
			h.flags |= hotOpen
		case r.iss.StateReason == "completed" || r.iss.StateReason == "":
			h.flags |= hotCompleted
		case r.iss.StateReason == "not_planned":
			h.flags |= hotNotPlanned
		}
		d.hot = append(d.hot, h)
		r.id = ri.id*10_000_000 + int64(r.iss.Number)
		if r.mileLC != "" {
			n, ok := ri.milestones[r.mileLC]
			if !ok {
				n = len(ri.milestones) + 1
				ri.milestones[r.mileLC] = n
			}
			r.milestone = n
		}
	}
	d.byUpdated = d.order(func(a, b *rec) int { return cmpInt(a.updated, b.updated) }, nil)
	d.byComment = d.order(func(a, b *rec) int { return cmpInt(int64(a.iss.Comments), int64(b.iss.Comments)) }, nil)
	d.byClosed = d.order(func(a, b *rec) int { return cmpInt(a.closed, b.closed) }, func(r *rec) bool { return r.closed != 0 })
	return d
}

// newRec normalises is as the tracker serves it (whole seconds, a state
// consistent with closed_at) and precomputes what the matcher compares.
func newRec(is Issue) rec {
	is = is.clone()
	is.CreatedAt = is.CreatedAt.UTC().Truncate(time.Second)
	is.UpdatedAt = is.UpdatedAt.UTC().Truncate(time.Second)
	if !is.ClosedAt.IsZero() {
		is.ClosedAt = is.ClosedAt.UTC().Truncate(time.Second)
	}
	if is.UpdatedAt.IsZero() {
		is.UpdatedAt = is.CreatedAt
	}
	if is.State != "open" && is.State != "closed" {
		is.State = "open"
		if !is.ClosedAt.IsZero() {
			is.State = "closed"
		}
	}
	if is.State == "open" {
		// GitHub clears closed_at when an item is reopened; a stale
		// close time would let closed: windows match an open item.
		is.ClosedAt = time.Time{}
	}
	r := rec{
		iss:      is,
		repoLC:   strings.ToLower(is.Repo),
		typeLC:   strings.ToLower(is.Type),
		mileLC:   strings.ToLower(is.Milestone),
		authorLC: strings.ToLower(is.Author),
		created:  is.CreatedAt.Unix(),
		updated:  is.UpdatedAt.Unix(),
	}
	r.ownerLC, _, _ = strings.Cut(r.repoLC, "/")
	if !is.ClosedAt.IsZero() {
		r.closed = is.ClosedAt.Unix()
	}
	if len(is.Labels) > 0 {
		r.labelsLC = make([]string, len(is.Labels))
		for j, l := range is.Labels {
			r.labelsLC[j] = strings.ToLower(l)
		}
	}
	return r
}

// word returns the id of a vocabulary entry, adding it; an empty value
// (nothing after the "x:" kind prefix) is 0.
func (d *dataset) word(w string) int32 {
	if len(w) == 2 {
		return 0
	}
	id, ok := d.vocab[w]
	if !ok {
		id = int32(len(d.vocab) + 1)
		d.vocab[w] = id
	}
	return id
}

// order returns the indices of recs (those keep selects, all when nil)
// sorted by cmp, ties by the ground-truth order.
func (d *dataset) order(cmp func(a, b *rec) int, keep func(*rec) bool) []int32 {
	idx := make([]int32, 0, len(d.recs))
	for i := range d.recs {
		if keep == nil || keep(&d.recs[i]) {
			idx = append(idx, int32(i))
		}
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		if c := cmp(&d.recs[a], &d.recs[b]); c != 0 {
			return c
		}
		return cmpInt(int64(a), int64(b))
	})
	return idx
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32() >> 1 // keeps ids well inside int64 after scaling
}

func nodeID(prefix string, id int64) string {
	return prefix + base64.RawURLEncoding.EncodeToString([]byte("0:"+strconv.FormatInt(id, 10)))
}

// JSON shapes, field order as GitHub sends them.

type jsonUser struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	AvatarURL string `json:"avatar_url"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

type jsonLabel struct {
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Color       string  `json:"color"`
	Default     bool    `json:"default"`
	Description *string `json:"description"`
}

type jsonMilestone struct {
	URL         string  `json:"url"`
	HTMLURL     string  `json:"html_url"`
	LabelsURL   string  `json:"labels_url"`
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	Number      int     `json:"number"`
	Title       string  `json:"title"`
	Description *string `json:"description"`
	State       string  `json:"state"`
}

type jsonType struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Color       string `json:"color"`
	IsEnabled   bool   `json:"is_enabled"`
}

type jsonPR struct {
	URL      string  `json:"url"`
	HTMLURL  string  `json:"html_url"`
	DiffURL  string  `json:"diff_url"`
	PatchURL string  `json:"patch_url"`
	MergedAt *string `json:"merged_at"`
}

type jsonIssue struct {
	URL               string         `json:"url"`
	RepositoryURL     string         `json:"repository_url"`
	LabelsURL         string         `json:"labels_url"`
	CommentsURL       string         `json:"comments_url"`
	EventsURL         string         `json:"events_url"`
	HTMLURL           string         `json:"html_url"`
	ID                int64          `json:"id"`
	NodeID            string         `json:"node_id"`
	Number            int            `json:"number"`
	Title             string         `json:"title"`
	User              jsonUser       `json:"user"`
	Labels            []jsonLabel    `json:"labels"`
	State             string         `json:"state"`
	Locked            bool           `json:"locked"`
	Assignee          *jsonUser      `json:"assignee"`
	Assignees         []jsonUser     `json:"assignees"`
	Milestone         *jsonMilestone `json:"milestone"`
	Comments          int            `json:"comments"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
	ClosedAt          *string        `json:"closed_at"`
	AuthorAssociation string         `json:"author_association"`
	Type              *jsonType      `json:"type"`
	ActiveLockReason  *string        `json:"active_lock_reason"`
	Draft             *bool          `json:"draft,omitempty"`
	PullRequest       *jsonPR        `json:"pull_request,omitempty"`
	Body              *string        `json:"body"`
	TimelineURL       string         `json:"timeline_url"`
	StateReason       *string        `json:"state_reason"`
	Score             *float64       `json:"score,omitempty"`
}

const timeLayout = "2006-01-02T15:04:05Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// encode renders r as GitHub's issue JSON; api is the API root without a
// trailing slash.
func (d *dataset) encode(r *rec, api string, search bool) jsonIssue {
	is := &r.iss
	repoAPI := api + "/repos/" + is.Repo
	num := strconv.Itoa(is.Number)
	self := repoAPI + "/issues/" + num
	kind := "issues"
	if is.IsPR {
		kind = "pull"
	}
	web := "https://github.com/" + is.Repo
	userType := "User"
	if is.AuthorIsBot {
		userType = "Bot"
	}
	uid := int64(hash32(strings.ToLower(is.Author)))
	j := jsonIssue{
		URL:           self,
		RepositoryURL: repoAPI,
		LabelsURL:     self + "/labels{/name}",
		CommentsURL:   self + "/comments",
		EventsURL:     self + "/events",
		HTMLURL:       web + "/" + kind + "/" + num,
		ID:            r.id,
		NodeID:        nodeID("I_", r.id),
		Number:        is.Number,
		Title:         is.Title,
		User: jsonUser{
			Login: is.Author, ID: uid, NodeID: nodeID("U_", uid),
			AvatarURL: "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(uid, 10) + "?v=4",
			URL:       api + "/users/" + is.Author, HTMLURL: "https://github.com/" + is.Author,
			Type: userType,
		},
		Labels:            make([]jsonLabel, len(is.Labels)),
		State:             is.State,
		Assignees:         []jsonUser{},
		Comments:          is.Comments,
		CreatedAt:         fmtTime(is.CreatedAt),
		UpdatedAt:         fmtTime(is.UpdatedAt),
		AuthorAssociation: "CONTRIBUTOR",
		TimelineURL:       self + "/timeline",
	}
	if is.AuthorIsBot {
		j.User.HTMLURL = "https://github.com/apps/" + strings.TrimSuffix(is.Author, "[bot]")
	}
	for k, l := range is.Labels {
		lid := int64(hash32(r.repoLC + "\x00" + r.labelsLC[k]))
		j.Labels[k] = jsonLabel{ID: lid, NodeID: nodeID("LA_", lid), URL: repoAPI + "/labels/" + url.PathEscape(l), Name: l, Color: labelColor(l)}
	}
	if is.Milestone != "" {
		mid := r.id/10_000_000*1000 + int64(r.milestone)
		m := strconv.Itoa(r.milestone)
		j.Milestone = &jsonMilestone{
			URL: repoAPI + "/milestones/" + m, HTMLURL: web + "/milestone/" + m, LabelsURL: repoAPI + "/milestones/" + m + "/labels",
			ID: mid, NodeID: nodeID("MI_", mid), Number: r.milestone, Title: is.Milestone, State: "open",
		}
	}
	if !is.ClosedAt.IsZero() {
		c := fmtTime(is.ClosedAt)
		j.ClosedAt = &c
	}
	if is.Type != "" {
		tid := int64(hash32(r.typeLC))
		j.Type = &jsonType{ID: tid, NodeID: nodeID("IT_", tid), Name: is.Type, Color: "gray", IsEnabled: true}
	}
	if is.IsPR {
		draft := false
		j.Draft = &draft
		pr := &jsonPR{
			URL: repoAPI + "/pulls/" + num, HTMLURL: web + "/pull/" + num,
			DiffURL: web + "/pull/" + num + ".diff", PatchURL: web + "/pull/" + num + ".patch",
		}
		if is.State == "closed" {
			pr.MergedAt = j.ClosedAt
		}
		j.PullRequest = pr
	}
	if is.Body != "" {
		b := is.Body
		j.Body = &b
	}
	if is.StateReason != "" {
		sr := is.StateReason
		j.StateReason = &sr
	}
	if search {
		score := 1.0
		j.Score = &score
	}
	return j
}

func labelColor(l string) string {
	return strconv.FormatUint(uint64(hash32(l))&0xffffff, 16)
}

// writeJSON writes v the way GitHub does: UTF-8 JSON with HTML characters
// left unescaped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"message":"emulator encoding error"}`, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
