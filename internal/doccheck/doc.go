// Package doccheck holds the tests that keep README.md and docs/ true to the
// code: every test they cite exists, every relative link resolves, and every
// command they show runs and does what they say.
package doccheck
