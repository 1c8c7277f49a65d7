package ghemu

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Release is a GitHub release as the emulator serves it.
type Release struct {
	ID         int64 // assigned by AddRelease when zero
	Tag        string
	Name       string
	Body       string
	Draft      bool
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

// releaseStore holds the emulator's releases, tags and commits, per
// repository (lower-case OWNER/NAME). It has its own lock so the release
// endpoints never contend with the issue dataset.
type releaseStore struct {
	mu       sync.Mutex
	nextID   int64
	releases map[string][]*Release
	tags     map[string][]Tag
}

func (st *releaseStore) init() {
	if st.releases == nil {
		st.releases = map[string][]*Release{}
		st.tags = map[string][]Tag{}
		st.nextID = 1000
	}
}

// AddRelease adds a release to owner/repo and returns its ID. Times are
// truncated to seconds; a zero CreatedAt becomes PublishedAt.
func (s *Server) AddRelease(owner, repo string, r Release) int64 {
	st := s.rel
	st.mu.Lock()
	defer st.mu.Unlock()
	st.init()
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
	st.init()
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
	mux.HandleFunc("GET /repos/{owner}/{repo}/releases", s.handleListReleases)
	mux.HandleFunc("GET /repos/{owner}/{repo}/releases/tags/{tag...}", s.handleReleaseByTag)
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/releases/{id}", s.handleEditRelease)
	mux.HandleFunc("GET /repos/{owner}/{repo}/tags", s.handleListTags)
	mux.HandleFunc("GET /repos/{owner}/{repo}/git/ref/tags/{tag...}", s.handleTagRef)
	mux.HandleFunc("GET /repos/{owner}/{repo}/git/tags/{sha}", s.handleTagObject)
	mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}", s.handleCommit)
}

// repoKey returns the store key of the request's repository, and false
// when the emulator knows nothing of it (neither issues nor releases).
func (s *Server) repoKey(r *http.Request) (string, bool) {
	k := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
	s.rel.mu.Lock()
	_, hasRel := s.rel.releases[k]
	_, hasTag := s.rel.tags[k]
	s.rel.mu.Unlock()
	return k, hasRel || hasTag || s.data.hasRepo(k)
}

// sha derives a stable fake object id, so the same tag always has the same
// commit and tag object across requests and runs.
func sha(kind, repo, name string) string {
	h := sha1.Sum([]byte(kind + "\x00" + repo + "\x00" + name))
	return hex.EncodeToString(h[:])
}

func (s *Server) apiRoot() string { return strings.TrimSuffix(s.base.String(), "/") }

func (s *Server) encodeRelease(repo string, r *Release) map[string]any {
	api := s.apiRoot()
	var published any
	if !r.Draft && !r.PublishedAt.IsZero() {
		published = fmtTime(r.PublishedAt)
	}
	full := s.repoName(repo)
	return map[string]any{
		"id":               r.ID,
		"node_id":          nodeID("RE_", r.ID),
		"url":              api + "/repos/" + full + "/releases/" + strconv.FormatInt(r.ID, 10),
		"html_url":         "https://github.com/" + full + "/releases/tag/" + r.Tag,
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
		"tarball_url":      api + "/repos/" + full + "/tarball/" + r.Tag,
		"zipball_url":      api + "/repos/" + full + "/zipball/" + r.Tag,
	}
}

// repoName is the repository's display name: as the issues spell it when
// known, else the lower-case key.
func (s *Server) repoName(key string) string {
	if ri := s.data.repos[key]; ri != nil {
		return ri.name
	}
	return key
}

func (s *Server) handleListReleases(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
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
	// Newest first, as GitHub lists them.
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].CreatedAt.Equal(list[j].CreatedAt) {
			return list[i].CreatedAt.After(list[j].CreatedAt)
		}
		return list[i].ID > list[j].ID
	})
	perPage, page := s.pageParams(r.URL.Query())
	last := (len(list) + perPage - 1) / perPage
	s.setLinks(w, r, page, last)
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < len(list) && i < page*perPage; i++ {
		out = append(out, s.encodeRelease(key, list[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleReleaseByTag(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
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

func (s *Server) handleEditRelease(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if !ok || err != nil {
		writeNotFound(w)
		return
	}
	if authed, _ := s.authorize(r); !authed {
		writeJSON(w, http.StatusUnauthorized, errorBody{Message: "Requires authentication", DocumentationURL: "https://docs.github.com/rest/releases/releases#update-a-release", Status: "401"})
		return
	}
	var in struct {
		Body       *string `json:"body"`
		Name       *string `json:"name"`
		Draft      *bool   `json:"draft"`
		Prerelease *bool   `json:"prerelease"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{Message: "Problems parsing JSON", Status: "400"})
		return
	}
	if in.Body != nil && utf8.RuneCountInString(*in.Body) > maxReleaseBody {
		writeJSON(w, http.StatusUnprocessableEntity, errorBody{
			Message:          "Validation Failed",
			Errors:           []errorDetail{{Resource: "Release", Code: "custom", Field: "body", Message: "body is too long (maximum is 125000 characters)"}},
			DocumentationURL: "https://docs.github.com/rest/releases/releases#update-a-release",
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

func (s *Server) tagsOf(key string) []Tag {
	s.rel.mu.Lock()
	defer s.rel.mu.Unlock()
	return append([]Tag(nil), s.rel.tags[key]...)
}

func (s *Server) handleListTags(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
	tags := s.tagsOf(key)
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].Name > tags[j].Name })
	perPage, page := s.pageParams(r.URL.Query())
	s.setLinks(w, r, page, (len(tags)+perPage-1)/perPage)
	api, full := s.apiRoot(), s.repoName(key)
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < len(tags) && i < page*perPage; i++ {
		c := sha("commit", key, tags[i].Name)
		out = append(out, map[string]any{
			"name":        tags[i].Name,
			"commit":      map[string]string{"sha": c, "url": api + "/repos/" + full + "/commits/" + c},
			"zipball_url": api + "/repos/" + full + "/zipball/refs/tags/" + tags[i].Name,
			"tarball_url": api + "/repos/" + full + "/tarball/refs/tags/" + tags[i].Name,
			"node_id":     nodeID("REF_", int64(hash32(key+tags[i].Name))),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTagRef(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
	name := r.PathValue("tag")
	for _, t := range s.tagsOf(key) {
		if t.Name != name {
			continue
		}
		api, full := s.apiRoot(), s.repoName(key)
		typ, obj := "commit", sha("commit", key, name)
		path := "/git/commits/"
		if t.Annotated {
			typ, obj, path = "tag", sha("tag", key, name), "/git/tags/"
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"ref":     "refs/tags/" + name,
			"node_id": nodeID("REF_", int64(hash32(key+name))),
			"url":     api + "/repos/" + full + "/git/refs/tags/" + name,
			"object":  map[string]string{"type": typ, "sha": obj, "url": api + "/repos/" + full + path + obj},
		})
		return
	}
	writeNotFound(w)
}

func (s *Server) handleTagObject(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
	want := r.PathValue("sha")
	for _, t := range s.tagsOf(key) {
		if !t.Annotated || sha("tag", key, t.Name) != want {
			continue
		}
		c := sha("commit", key, t.Name)
		writeJSON(w, http.StatusOK, map[string]any{
			"sha":     want,
			"tag":     t.Name,
			"message": t.Name + "\n",
			"tagger":  map[string]string{"name": "Release Bot", "email": "release@example.com", "date": fmtTime(t.TaggerDate)},
			"object":  map[string]string{"type": "commit", "sha": c, "url": s.apiRoot() + "/repos/" + s.repoName(key) + "/git/commits/" + c},
		})
		return
	}
	writeNotFound(w)
}

func (s *Server) handleCommit(w http.ResponseWriter, r *http.Request) {
	key, ok := s.repoKey(r)
	if !ok {
		writeNotFound(w)
		return
	}
	want := r.PathValue("sha")
	for _, t := range s.tagsOf(key) {
		c := sha("commit", key, t.Name)
		if c != want && t.Name != want {
			continue
		}
		who := map[string]string{"name": "Dev", "email": "dev@example.com", "date": fmtTime(t.CommitDate)}
		writeJSON(w, http.StatusOK, map[string]any{
			"sha":      c,
			"node_id":  nodeID("C_", int64(hash32(c))),
			"commit":   map[string]any{"author": who, "committer": who, "message": "release " + t.Name},
			"html_url": "https://github.com/" + s.repoName(key) + "/commit/" + c,
		})
		return
	}
	writeJSON(w, http.StatusUnprocessableEntity, errorBody{Message: "No commit found for SHA: " + want, Status: "422"})
}
