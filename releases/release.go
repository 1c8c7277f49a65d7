package releases

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
)

// Origin says where a release's time came from; explain and notes print it.
type Origin string

// Origins.
const (
	OriginPublished    Origin = "release published_at"
	OriginAnnotatedTag Origin = "annotated tag date"
	OriginCommit       Origin = "commit date"
	OriginFile         Origin = "releases file"
	OriginNow          Origin = "now (draft release, not yet published)"
	OriginUnknown      Origin = "" // a tag whose date has not been looked up
)

// Release is one version of the project with the instant it shipped.
//
// Time is UTC with whole seconds (GitHub's resolution); the zero Time means
// the date is not known yet (a draft, or a tag a Source lists without looking
// up its date; see TagDater).
type Release struct {
	Tag        string
	Time       time.Time
	Draft      bool
	Prerelease bool // the GitHub flag or a semantic-version prerelease part
	Origin     Origin
	// HasRelease is false for a tag without a GitHub release.
	HasRelease bool
}

// Stable reports whether r can be a "previous stable release": neither a
// draft nor a prerelease.
func (r Release) Stable() bool { return !r.Draft && !r.Prerelease && !IsPrerelease(r.Tag) }

// Source lists a project's releases. Implementations return them in any
// order; times are UTC truncated to seconds.
type Source interface {
	Releases(ctx context.Context) ([]Release, error)
}

// TagDater is implemented by sources that list tags without their dates and
// can look one up on demand; Plan calls it only for the tags it needs, so a
// repository with hundreds of tags costs a few requests.
type TagDater interface {
	TagTime(ctx context.Context, tag string) (time.Time, Origin, error)
}

// version is a parsed tag: prefix is what comes before the number ("" for
// "v1.2.3" and "1.2.3", "api-" for "api-v1.2.3"), so that only tags of one
// family are compared.
type version struct {
	prefix string
	v      *semver.Version
}

// pep440ish matches "4.2.3rc1" and "1.0b2", which semver rejects, so that
// their prerelease part is still recognised.
var pep440ish = regexp.MustCompile(`^(\d+(?:\.\d+)*)((?:a|b|rc|alpha|beta|pre|dev)\.?\d*)$`)

// parseVersion reads a tag as a semantic version, leniently: a leading "v"
// is allowed, any other non-digit prefix becomes the tag family, and "4.2"
// means 4.2.0. ok is false for tags with no version number.
func parseVersion(tag string) (version, bool) {
	i := strings.IndexAny(tag, "0123456789")
	if i < 0 {
		return version{}, false
	}
	prefix, rest := tag[:i], tag[i:]
	prefix = strings.TrimSuffix(strings.TrimSuffix(prefix, "v"), "V")
	if m := pep440ish.FindStringSubmatch(rest); m != nil {
		rest = m[1] + "-" + m[2]
	}
	v, err := semver.NewVersion(rest)
	if err != nil {
		return version{}, false
	}
	return version{prefix: prefix, v: v}, true
}

// IsPrerelease reports whether tag has a semantic-version prerelease part:
// true for "4.2.3-rc1", "v1.0.0-beta.2" and "4.2.3rc1", false for "4.2.3" and
// for tags that are not versions.
func IsPrerelease(tag string) bool {
	v, ok := parseVersion(tag)
	return ok && v.v.Prerelease() != ""
}

// Sort orders releases the way people read a release list: by version
// within a tag family, families and unversioned tags by time, then by tag.
// Undated releases sort by version only. It sorts in place.
func Sort(rels []Release) {
	o := newOrder()
	sort.SliceStable(rels, func(i, j int) bool { return o.less(rels[i], rels[j]) })
}

// order compares releases, remembering parsed tags: parsing a version is a
// regular-expression match, and sorting compares each tag many times.
type order struct {
	parsed map[string]parsedTag
}

type parsedTag struct {
	v  version
	ok bool
}

func newOrder() *order { return &order{parsed: map[string]parsedTag{}} }

func (o *order) parse(tag string) (version, bool) {
	p, hit := o.parsed[tag]
	if !hit {
		p.v, p.ok = parseVersion(tag)
		o.parsed[tag] = p
	}
	return p.v, p.ok
}

// stable is Release.Stable with the parse remembered.
func (o *order) stable(r Release) bool {
	if r.Draft || r.Prerelease {
		return false
	}
	v, ok := o.parse(r.Tag)
	return !ok || v.v.Prerelease() == ""
}

func (o *order) less(a, b Release) bool {
	va, oka := o.parse(a.Tag)
	vb, okb := o.parse(b.Tag)
	if oka && okb && va.prefix == vb.prefix {
		if c := va.v.Compare(vb.v); c != 0 {
			return c < 0
		}
	}
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return a.Tag < b.Tag
}

// MainLine returns the stable releases each of which has a higher version
// than every stable release of its family published before it, in time
// order. Their windows tile time (see the package documentation). Undated
// releases are left out.
func MainLine(rels []Release) []Release {
	o := newOrder()
	var out []Release
	for _, r := range rels {
		if !o.stable(r) || r.Time.IsZero() {
			continue
		}
		top := true
		for _, e := range rels {
			if e.Tag != r.Tag && o.stable(e) && !e.Time.IsZero() && o.sameFamily(e, r) && o.before(e, r) && !o.versionLess(e, r) {
				top = false
				break
			}
		}
		if top {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return o.before(out[i], out[j]) })
	return out
}

// before reports whether a was published before b; on the same instant the
// lower version counts as earlier, so that two releases from one script run
// still have an order.
func (o *order) before(a, b Release) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	return o.versionLess(a, b)
}

// versionLess compares two tags by version when both are versions of one
// family; otherwise by time, which is all there is to go by.
func (o *order) versionLess(a, b Release) bool {
	va, oka := o.parse(a.Tag)
	vb, okb := o.parse(b.Tag)
	if oka && okb && va.prefix == vb.prefix {
		return va.v.LessThan(vb.v)
	}
	if oka != okb || (oka && va.prefix != vb.prefix) {
		return false
	}
	return a.Time.Before(b.Time)
}

// sameFamily reports whether a can be a previous release of b at all: same
// tag prefix, or both unversioned.
func (o *order) sameFamily(a, b Release) bool {
	va, oka := o.parse(a.Tag)
	vb, okb := o.parse(b.Tag)
	if oka != okb {
		return false
	}
	return !oka || va.prefix == vb.prefix
}
