// Package changelog fetches every issue behind a filters.Query through the
// GitHub REST API, with no result cap, and aggregates one or many
// repositories into a Changelog: plain data that renderers consume.
package changelog
