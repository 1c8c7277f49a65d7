package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
)

// resolveQuery is where every command that searches starts: it reads the
// configuration, fills the flags the user did not set from it, builds the
// query and checks the release flags, all before any request. api may be
// nil for commands without API flags.
func (app *App) resolveQuery(fs *pflag.FlagSet, qf *queryFlags, rf *releaseFlags, api *apiFlags) (filters.Query, *config.Config, error) {
	cfg, err := app.loadConfig(qf.configPath)
	if err != nil {
		return filters.Query{}, nil, err
	}
	applyQueryDefaults(fs, qf, cfg)
	if api != nil && !fs.Changed("api-url") && cfg.APIURL != "" {
		api.apiURL = cfg.APIURL
	}
	q, err := qf.query()
	if err != nil {
		return q, nil, err
	}
	if _, err := rf.check(qf); err != nil {
		return q, nil, err
	}
	return q, cfg, nil
}

// loadConfig reads --config, else the .relnotes.yml (or .github/release.yml)
// that config.Find picks in the working directory. No file is an empty
// configuration.
func (app *App) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		dir := app.WorkDir
		if dir == "" {
			var err error
			if dir, err = os.Getwd(); err != nil {
				return &config.Config{}, nil
			}
		}
		found, ok := config.Find(dir)
		if !ok {
			return &config.Config{}, nil
		}
		path = found
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(app.Stderr, "relnotes: warning: %s\n", w)
	}
	return cfg, nil
}

// applyQueryDefaults fills the query flags the user did not set from the
// configuration, so a configured repository needs only --since and --until.
func applyQueryDefaults(fs *pflag.FlagSet, f *queryFlags, cfg *config.Config) {
	set := func(name string, src []string) {
		if !fs.Changed(name) && len(src) > 0 {
			f.values[name] = slices.Clone(src)
		}
	}
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	set("repo", cfg.Repos)
	set("org", cfg.Orgs)
	set("label", cfg.Labels)
	set("exclude-label", cfg.ExcludeLabels)
	set("reason", one(cfg.Reason))
	set("kind", one(cfg.Kind))
	set("state", one(cfg.State))
	if !fs.Changed("server-url") && cfg.ServerURL != "" {
		f.serverURL = cfg.ServerURL
	}
}
