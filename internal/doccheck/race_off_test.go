//go:build !race

package doccheck

var buildFlags []string
