package releases

import (
	"fmt"
	"strings"
)

// UnifiedDiff returns a unified diff (3 lines of context) from a to b with
// the given file names, or "" when they are equal. It compares lines with a
// longest-common-subsequence table, which is fine for release bodies (at most
// a few thousand lines).
func UnifiedDiff(a, b, nameA, nameB string) string {
	if a == b {
		return ""
	}
	al, bl := splitLines(a), splitLines(b)
	ops := diffLines(al, bl)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", nameA, nameB)
	const ctx = 3
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk runs from ctx lines before the first change to ctx lines
		// after the last change that is within 2*ctx of the next one.
		startOp := max(i-ctx, 0)
		endOp := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				endOp = j
			} else if j-endOp > 2*ctx {
				break
			}
		}
		stopOp := min(endOp+ctx+1, len(ops))
		aStart, bStart := ops[startOp].ai, ops[startOp].bi
		var aN, bN int
		var body strings.Builder
		for _, op := range ops[startOp:stopOp] {
			switch op.kind {
			case ' ':
				aN++
				bN++
			case '-':
				aN++
			case '+':
				bN++
			}
			body.WriteByte(op.kind)
			body.WriteString(op.text)
			if !strings.HasSuffix(op.text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(aStart, aN), hunkRange(bStart, bN))
		sb.WriteString(body.String())
		i = stopOp
	}
	return sb.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

type diffOp struct {
	kind   byte // ' ', '-', '+'
	text   string
	ai, bi int // line index in a and b before this op
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines keeps the common head and tail out of the quadratic table: a
// release body usually changes only between its markers.
func diffLines(a, b []string) []diffOp {
	var ops []diffOp
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		ops = append(ops, diffOp{' ', a[p], p, p})
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	n, m := len(a)-q, len(b)-q
	// lcs[i-p][j-p] is the length of the common subsequence of a[i:n], b[j:m].
	lcs := make([][]int32, n-p+1)
	for i := range lcs {
		lcs[i] = make([]int32, m-p+1)
	}
	for i := n - 1; i >= p; i-- {
		for j := m - 1; j >= p; j-- {
			if a[i] == b[j] {
				lcs[i-p][j-p] = lcs[i-p+1][j-p+1] + 1
			} else {
				lcs[i-p][j-p] = max(lcs[i-p+1][j-p], lcs[i-p][j-p+1])
			}
		}
	}
	i, j := p, p
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i], i, j})
			i++
			j++
		case i < n && (j == m || lcs[i-p+1][j-p] >= lcs[i-p][j-p+1]):
			ops = append(ops, diffOp{'-', a[i], i, j})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j], i, j})
			j++
		}
	}
	for k := 0; k < q; k++ {
		ops = append(ops, diffOp{' ', a[n+k], n + k, m + k})
	}
	return ops
}
