package ghemu

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Release is a GitHub release as the emulator serves it.
type Release struct {
	ID         int64  // assigned by AddRelease when zero
	Tag        string // tag_name
	Name       string
	Body       string
	Draft      bool // listed only to authenticated callers, never served by tag
	Prerelease bool
	// CreatedAt is GitHub's created_at: the date of the tagged commit, not
	// of the release. PublishedAt is when it shipped; zero for drafts.
	CreatedAt   time.Time
	PublishedAt time.Time
}

// Tag is a git tag of a repository. An annotated tag has its own object
// with TaggerDate; a lightweight tag points at the commit directly.
type Tag struct {
	Name       string
	Annotated  bool
	TaggerDate time.Time
	CommitDate time.Time // the tagged commit's committer date
}

// maxReleaseBody is GitHub's limit on a release body, in characters.
const maxReleaseBody = 125000

// editReleaseDoc is the documentation_url of the edit endpoint's errors.
const editReleaseDoc = "https://docs.github.com/rest/releases/releases#update-a-release"

// releaseStore holds the emulator's releases, tags and commits, per
// repository (lower-case OWNER/NAME). It has its own lock so the release
// endpoints never contend with the issue dataset.
type releaseStore struct {
	mu       sync.Mutex
	nextID   int64
	releases map[string][]*Release
	tags     map[string][]Tag
}

func newReleaseStore() *releaseStore {
	return &releaseStore{nextID: 1000, releases: map[string][]*Release{}, tags: map[string][]Tag{}}
}

// AddRelease adds a release to owner/repo and returns its ID. Times are
// truncated to seconds; a zero CreatedAt becomes PublishedAt.
func (s *Server) AddRelease(owner, repo string, r Release) int64 {
	st := s.rel
	st.mu.Lock()
	defer st.mu.Unlock()
	if r.ID == 0 {
		st.nextID++
		r.ID = st.nextID
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Second)
	r.PublishedAt = r.PublishedAt.UTC().Truncate(time.Second)
	if r.CreatedAt.IsZero() {
		r.CreatedAt = r.PublishedAt
	}
	k := strings.ToLower(owner + "/" + repo)
	st.releases[k] = append(st.releases[k], &r)
	return r.ID
}

// AddTag adds a git tag to owner/repo. Times are truncated to seconds.
func (s *Server) AddTag(owner, repo string, t Tag) {
	st := s.rel
	st.mu.Lock()
	defer st.mu.Unlock()
	t.TaggerDate = t.TaggerDate.UTC().Truncate(time.Second)
	t.CommitDate = t.CommitDate.UTC().Truncate(time.Second)
	k := strings.ToLower(owner + "/" + repo)
	st.tags[k] = append(st.tags[k], t)
}

// Releases returns a copy of owner/repo's releases as they are now (bodies
// included, after any PATCH), in the order they were added.
func (s *Server) Releases(owner, repo string) []Release {
	st := s.rel
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []Release
	for _, r := range st.releases[strings.ToLower(owner+"/"+repo)] {
		out = append(out, *r)
	}
	return out
}

// registerReleaseRoutes mounts the release, tag and commit endpoints on mux.
// Routes are relative to the API root (the path prefix is already stripped).
func (s *Server) registerReleaseRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /repos/{owner}/{repo}/releases", s.inRepo(s.handleListReleases))
	mux.HandleFunc("GET /repos/{owner}/{repo}/releases/tags/{tag...}", s.inRepo(s.handleReleaseByTag))
	mux.HandleFunc("GET /repos/{owner}/{repo}/releases/{id}", s.inRepo(s.handleReleaseByID))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/releases/{id}", s.inRepo(s.handleEditRelease))
	mux.HandleFunc("GET /repos/{owner}/{repo}/tags", s.inRepo(s.handleListTags))
	mux.HandleFunc("GET /repos/{owner}/{repo}/git/ref/tags/{tag...}", s.inRepo(s.handleTagRef))
	mux.HandleFunc("GET /repos/{owner}/{repo}/git/tags/{sha}", s.inRepo(s.handleTagObject))
	mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}", s.inRepo(s.handleCommit))
}

// inRepo serves h with the store key (lower-case OWNER/NAME) of the
// request's repository, and 404 when the emulator knows nothing of it
// (neither issues, releases nor tags).
func (s *Server) inRepo(h func(w http.ResponseWriter, r *http.Request, key string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		k := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
		s.rel.mu.Lock()
		_, hasRel := s.rel.releases[k]
		_, hasTag := s.rel.tags[k]
		s.rel.mu.Unlock()
		if !hasRel && !hasTag && !s.data.Load().hasRepo(k) {
			writeNotFound(w)
			return
		}
		h(w, r, k)
	}
}

// sha derives a stable fake object id, so the same tag always has the same
// commit and tag object across requests and runs.
func sha(kind, repo, name string) string {
	h := sha1.Sum([]byte(kind + "\x00" + repo + "\x00" + name))
	return hex.EncodeToString(h[:])
}

// tagNodeID is the node_id of a tag's ref, the same in the tag list and
// the ref.
func tagNodeID(key, name string) string { return nodeID("REF_", int64(hash32(key+name))) }

func (s *Server) encodeRelease(key string, r *Release) map[string]any {
	var published any
	if !r.Draft && !r.PublishedAt.IsZero() {
		published = fmtTime(r.PublishedAt)
	}
	repoAPI := s.repoAPI(key)
	return map[string]any{
		"id":               r.ID,
		"node_id":          nodeID("RE_", r.ID),
		"url":              repoAPI + "/releases/" + strconv.FormatInt(r.ID, 10),
		"html_url":         "https://github.com/" + s.repoName(key) + "/releases/tag/" + r.Tag,
		"tag_name":         r.Tag,
		"target_commitish": "main",
		"name":             r.Name,
		"body":             r.Body,
		"draft":            r.Draft,
		"prerelease":       r.Prerelease,
		"created_at":       fmtTime(r.CreatedAt),
		"published_at":     published,
		"author":           jsonUser{Login: "release-bot", ID: 1, Type: "User"},
		"assets":           []any{},
		"tarball_url":      repoAPI + "/tarball/" + r.Tag,
		"zipball_url":      repoAPI + "/zipball/" + r.Tag,
	}
}

// repoName is the repository's display name: as the issues spell it when
// known, else the lower-case key.
func (s *Server) repoName(key string) string {
	if ri := s.data.Load().repos[key]; ri != nil {
		return ri.name
	}
	return key
}

// repoAPI is the API URL of the repository with store key key.
func (s *Server) repoAPI(key string) string { return s.apiRoot() + "/repos/" + s.repoName(key) }

func (s *Server) handleListReleases(w http.ResponseWriter, r *http.Request, key string) {
	authed, _ := s.authorize(r)
	s.rel.mu.Lock()
	var list []*Release
	for _, rel := range s.rel.releases[key] {
		// Drafts are listed only for users with push access.
		if rel.Draft && !authed {
			continue
		}
		c := *rel
		list = append(list, &c)
	}
	s.rel.mu.Unlock()
	// Newest created_at first, then newest ID. GitHub's order is not
	// documented (UNCONFIRMED in the facts sheet); clients must sort
	// themselves, and this one at least is stable across pages.
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].CreatedAt.After(list[j].CreatedAt)
		}
		return list[i].ID > list[j].ID
	})
	lo, hi := s.listPage(w, r, len(list))
	out := []map[string]any{}
	for _, rel := range list[lo:hi] {
		out = append(out, s.encodeRelease(key, rel))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleReleaseByTag(w http.ResponseWriter, r *http.Request, key string) {
	tag := r.PathValue("tag")
	s.rel.mu.Lock()
	var found *Release
	for _, rel := range s.rel.releases[key] {
		if rel.Tag == tag && !rel.Draft { // drafts are not served by tag
			c := *rel
			found = &c
		}
	}
	s.rel.mu.Unlock()
	if found == nil {
		writeNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.encodeRelease(key, found))
}

// handleReleaseByID serves one release; a draft only to an authenticated
// caller, as GitHub serves drafts only to users with push access.
func (s *Server) handleReleaseByID(w http.ResponseWriter, r *http.Request, key string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeNotFound(w)
		return
	}
	authed, _ := s.authorize(r)
	s.rel.mu.Lock()
	var found *Release
	for _, rel := range s.rel.releases[key] {
		if rel.ID == id && (authed || !rel.Draft) {
			c := *rel
			found = &c
		}
	}
	s.rel.mu.Unlock()
	if found == nil {
		writeNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.encodeRelease(key, found))
}

// handleEditRelease applies the body, name, draft and prerelease fields of a
// PATCH. Unlike GitHub it can only publish a draft (draft:false), not turn
// a published release back into one, and it ignores tag_name,
// target_commitish and make_latest.
func (s *Server) handleEditRelease(w http.ResponseWriter, r *http.Request, key string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeNotFound(w)
		return
	}
	if authed, _ := s.authorize(r); !authed {
		writeJSON(w, http.StatusUnauthorized, errorBody{Message: "Requires authentication", DocumentationURL: editReleaseDoc, Status: "401"})
		return
	}
	var in struct {
		Body       *string `json:"body"`
		Name       *string `json:"name"`
		Draft      *bool   `json:"draft"`
		Prerelease *bool   `json:"prerelease"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Message: "Problems parsing JSON", DocumentationURL: editReleaseDoc, Status: "400"})
		return
	}
	if in.Body != nil && utf8.RuneCountInString(*in.Body) > maxReleaseBody {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "Validation Failed",
			Errors:           []errorDetail{{Resource: "Release", Code: "custom", Field: "body", Message: "body is too long (maximum is 125000 characters)"}},
			DocumentationURL: editReleaseDoc,
			Status:           "422",
		})
		return
	}
	s.rel.mu.Lock()
	var out *Release
	for _, rel := range s.rel.releases[key] {
		if rel.ID != id {
			continue
		}
		if in.Body != nil {
			rel.Body = *in.Body
		}
		if in.Name != nil {
			rel.Name = *in.Name
		}
		if in.Prerelease != nil {
			rel.Prerelease = *in.Prerelease
		}
		if in.Draft != nil && rel.Draft && !*in.Draft {
			rel.Draft = false
			rel.PublishedAt = s.cfg.Now().UTC().Truncate(time.Second)
		}
		c := *rel
		out = &c
	}
	s.rel.mu.Unlock()
	if out == nil {
		writeNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, s.encodeRelease(key, out))
}

// findTag returns the first tag of the repository that match accepts.
func (s *Server) findTag(key string, match func(Tag) bool) (Tag, bool) {
	s.rel.mu.Lock()
	defer s.rel.mu.Unlock()
	for _, t := range s.rel.tags[key] {
		if match(t) {
			return t, true
		}
	}
	return Tag{}, false
}

func (s *Server) handleListTags(w http.ResponseWriter, r *http.Request, key string) {
	s.rel.mu.Lock()
	tags := slices.Clone(s.rel.tags[key])
	s.rel.mu.Unlock()
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].Name > tags[j].Name })
	lo, hi := s.listPage(w, r, len(tags))
	repoAPI := s.repoAPI(key)
	out := []map[string]any{}
	for _, t := range tags[lo:hi] {
		c := sha("commit", key, t.Name)
		out = append(out, map[string]any{
			"name":        t.Name,
			"commit":      map[string]string{"sha": c, "url": repoAPI + "/commits/" + c},
			"zipball_url": repoAPI + "/zipball/refs/tags/" + t.Name,
			"tarball_url": repoAPI + "/tarball/refs/tags/" + t.Name,
			"node_id":     tagNodeID(key, t.Name),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTagRef(w http.ResponseWriter, r *http.Request, key string) {
	name := r.PathValue("tag")
	t, ok := s.findTag(key, func(t Tag) bool { return t.Name == name })
	if !ok {
		writeNotFound(w)
		return
	}
	typ, obj, path := "commit", sha("commit", key, name), "/git/commits/"
	if t.Annotated {
		typ, obj, path = "tag", sha("tag", key, name), "/git/tags/"
	}
	repoAPI := s.repoAPI(key)
	writeJSON(w, http.StatusOK, map[string]any{
		"ref":     "refs/tags/" + name,
		"node_id": tagNodeID(key, name),
		"url":     repoAPI + "/git/refs/tags/" + name,
		"object":  map[string]string{"type": typ, "sha": obj, "url": repoAPI + path + obj},
	})
}

func (s *Server) handleTagObject(w http.ResponseWriter, r *http.Request, key string) {
	want := r.PathValue("sha")
	t, ok := s.findTag(key, func(t Tag) bool { return t.Annotated && sha("tag", key, t.Name) == want })
	if !ok {
		writeNotFound(w)
		return
	}
	c := sha("commit", key, t.Name)
	writeJSON(w, http.StatusOK, map[string]any{
		"sha":     want,
		"tag":     t.Name,
		"message": t.Name + "\n",
		"tagger":  map[string]string{"name": "Release Bot", "email": "release@example.com", "date": fmtTime(t.TaggerDate)},
		"object":  map[string]string{"type": "commit", "sha": c, "url": s.repoAPI(key) + "/git/commits/" + c},
	})
}

// handleCommit serves the commit a tag points at, found by its SHA or, as
// GitHub also resolves refs here, by the tag's name.
func (s *Server) handleCommit(w http.ResponseWriter, r *http.Request, key string) {
	want := r.PathValue("sha")
	t, ok := s.findTag(key, func(t Tag) bool { return t.Name == want || sha("commit", key, t.Name) == want })
	if !ok {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "No commit found for SHA: " + want,
			DocumentationURL: "https://docs.github.com/rest/commits/commits#get-a-commit",
			Status:           "422",
		})
		return
	}
	c := sha("commit", key, t.Name)
	who := map[string]string{"name": "Dev", "email": "dev@example.com", "date": fmtTime(t.CommitDate)}
	writeJSON(w, http.StatusOK, map[string]any{
		"sha":      c,
		"node_id":  nodeID("C_", int64(hash32(c))),
		"commit":   map[string]any{"author": who, "committer": who, "message": "release " + t.Name},
		"html_url": "https://github.com/" + s.repoName(key) + "/commit/" + c,
	})
}
