// Package changelog is relnotes' plain data model: the issues behind a
// query and the Changelog that renderers consume, built by New from issues
// fetched (package changelog/fetch) or read from saved JSON (ReadIssues).
// It holds no clients and makes no network calls.
package changelog
