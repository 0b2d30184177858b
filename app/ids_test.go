package app

import (
	"slices"
	"strings"
	"testing"
)

// freshIDs draws ids that are new, distinct from each other and from
// those that exist, in ascending order: an import gives them out down the
// file, so a new event's people reach the store's view in its key order.
func TestFreshIDsAreNewDistinctAndAscending(t *testing.T) {
	taken := func(id string) bool { return id[len(id)-1] < 'M' } // about half of all ids
	ids := freshIDs("P", 20_000, taken)
	if len(ids) != 20_000 || !slices.IsSorted(ids) {
		t.Fatalf("%d ids, sorted: %v", len(ids), slices.IsSorted(ids))
	}
	for i, id := range ids {
		if !strings.HasPrefix(id, "P") || len(id) != 9 || taken(id) {
			t.Fatalf("id %q", id)
		}
		if i > 0 && ids[i-1] == id {
			t.Fatalf("%q given twice", id)
		}
	}
}
