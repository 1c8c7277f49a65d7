package english_test

import (
	"fmt"

	"github.com/relnotes/relnotes/internal/english"
)

func ExamplePlural() {
	fmt.Println(english.Plural(1, "issue"))
	fmt.Println(english.Plural(42, "issue"))
	fmt.Println(english.Plural(0, "item"))
	// Output:
	// 1 issue
	// 42 issues
	// 0 items
}
