package templates

import (
	"bufio"
	"encoding/json"
	"io"
)

// jsonWriter writes indented JSON piece by piece, byte for byte as
// json.Encoder with SetIndent("", "  ") writes the whole value, so that a
// large document streams to its writer. The first error sticks.
type jsonWriter struct {
	w     *bufio.Writer
	err   error
	first bool // no member written yet in the current object or array
}

func newJSONWriter(w io.Writer) *jsonWriter { return &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)} }

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as a member's value at indentation indent.
func (j *jsonWriter) value(v any, indent string) {
	if j.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, indent, "  ")
	if err != nil {
		j.err = err
		return
	}
	_, j.err = j.w.Write(b)
}

// object writes an object whose members body writes at indent+"  ".
func (j *jsonWriter) object(indent string, body func()) {
	j.raw("{")
	j.first = true
	body()
	if !j.first {
		j.raw("\n" + indent)
	}
	j.raw("}")
	j.first = false
}

// key starts a member of the current object.
func (j *jsonWriter) key(name, indent string) {
	if !j.first {
		j.raw(",")
	}
	j.first = false
	j.raw("\n" + indent + `"` + name + `": `)
}

// field writes a member name: v at indent.
func (j *jsonWriter) field(name string, v any, indent string) {
	j.key(name, indent)
	j.value(v, indent)
}

// doc writes the members of the json format's document at indent.
func (j *jsonWriter) doc(d jsonDoc, indent string) {
	if cl := d.Changelog; cl != nil {
		j.field("query", cl.Query, indent)
		j.field("url", cl.URL, indent)
		j.field("window", cl.Window, indent)
		j.field("repositories", cl.Repositories, indent)
		j.field("total", cl.Total, indent)
		j.field("dropped", cl.Dropped, indent)
		j.key("issues", indent)
		if cl.Issues == nil {
			j.raw("null")
		} else if len(cl.Issues) == 0 {
			j.raw("[]")
		} else {
			j.raw("[")
			inner := indent + "  "
			for i := range cl.Issues {
				if i > 0 {
					j.raw(",")
				}
				j.raw("\n" + inner)
				j.value(&cl.Issues[i], inner)
			}
			j.raw("\n" + indent + "]")
		}
		j.field("generated_at", cl.GeneratedAt, indent)
		if len(cl.Warnings) > 0 {
			j.field("warnings", cl.Warnings, indent)
		}
	}
	j.field("sections", d.Sections, indent)
	j.field("left_out", d.LeftOut, indent)
}

func (j *jsonWriter) flush() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}
