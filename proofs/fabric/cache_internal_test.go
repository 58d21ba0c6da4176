package fabric

import "testing"

func TestBoundedCache(t *testing.T) {
	c := newBoundedCache[int, int](4)
	for i := range 100 {
		c.put(i, i)
		// Key 0 stays while it is used once per generation.
		if v, ok := c.get(0); !ok || v != 0 {
			t.Fatalf("after %d puts: key 0 gone", i)
		}
		if c.len() > 8 {
			t.Fatalf("after %d puts: %d entries", i, c.len())
		}
	}
	if _, ok := c.get(1); ok {
		t.Fatal("key 1 still cached")
	}
	if v, ok := c.get(99); !ok || v != 99 {
		t.Fatal("last key gone")
	}
}
