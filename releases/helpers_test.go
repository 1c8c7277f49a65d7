package releases

import (
	"fmt"
	"strconv"
)

func fmtSscanf(l string, a, b *string) (int, error) { return fmt.Sscanf(l, "@@ %s %s @@", a, b) }

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}
