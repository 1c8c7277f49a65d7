package templates

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	opt := Options{Sections: []Section{{Title: "Bugs", Labels: []string{"bug"}}, {Title: "All", Labels: []string{"*"}}}}
	tests := []struct {
		name, src, wantErr string
	}{
		{"every field", `{{range .Sections}}{{.Title}}{{range .Issues}}{{.Ref}} {{.Link}} {{.Title}} {{.Number}} {{join ", " .Labels}} {{.Milestone}} {{.Type}} {{.Author}} {{.ClosedAt}}{{if .IsPR}} pr{{end}}{{end}}{{end}}{{.Count}}{{.LeftOut}}{{.Changelog.URL}}`, ""},
		{"field typo in a section", `{{range .Sections}}{{range .Issues}}{{.Titel}}{{end}}{{end}}`, "Titel"},
		{"field typo on a pull request", `{{range .Sections}}{{range .Issues}}{{if .IsPR}}{{.Autor}}{{end}}{{end}}{{end}}`, "Autor"},
		{"top-level typo", `{{.Cuont}}`, "Cuont"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate("t.tmpl", tt.src)
			if err != nil {
				t.Fatal(err)
			}
			o := opt
			o.Format, o.Template = FormatTemplate, tmpl
			err = Check(o)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			var te *TemplateError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Check = %v, want a *TemplateError naming %q", err, tt.wantErr)
			}
		})
	}
	if err := Check(Options{Format: FormatMarkdown}); err != nil {
		t.Errorf("Check without a template: %v", err)
	}
}
