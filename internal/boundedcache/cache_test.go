package boundedcache

import (
	"sync"
	"testing"
)

func TestBounded(t *testing.T) {
	c := New[int, int](4)
	for i := range 100 {
		c.Put(i, i)
		// Key 0 stays while it is used once per generation.
		if v, ok := c.Get(0); !ok || v != 0 {
			t.Fatalf("after %d puts: key 0 gone", i)
		}
		if c.Len() > 8 {
			t.Fatalf("after %d puts: %d entries", i, c.Len())
		}
	}
	if _, ok := c.Get(1); ok {
		t.Fatal("key 1 still cached")
	}
	if v, ok := c.Get(99); !ok || v != 99 {
		t.Fatal("last key gone")
	}
	c.Put(99, -1)
	if v, _ := c.Get(99); v != -1 {
		t.Fatal("Put did not replace")
	}
}

// TestConcurrent is for -race.
func TestConcurrent(t *testing.T) {
	c := New[int, int](16)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				k := (i * (g + 1)) % 50
				if v, ok := c.Get(k); ok && v != k {
					t.Errorf("key %d holds %d", k, v)
				}
				c.Put(k, k)
			}
		}()
	}
	wg.Wait()
	if c.Len() > 32 {
		t.Fatalf("%d entries", c.Len())
	}
}

func TestBytes(t *testing.T) {
	c := NewBytes[int](2)
	k := []byte("key")
	c.Put(k, 1)
	k[0] = 'K' // the cache holds its own copy
	if _, ok := c.Get([]byte("key")); !ok {
		t.Fatal("key lost after the caller changed its slice")
	}
	if _, ok := c.Get(k); ok {
		t.Fatal("changed key found")
	}
	for i := range 10 {
		c.Put([]byte{byte(i)}, i)
		if c.Len() > 4 {
			t.Fatalf("%d entries", c.Len())
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.Get([]byte{9}) }); n != 0 {
		t.Fatalf("Get allocates %v times", n)
	}
}
