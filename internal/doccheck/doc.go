// Package doccheck holds the tests that keep README.md and docs/ true to the
// code: every test they cite exists, and every relative link resolves.
package doccheck
