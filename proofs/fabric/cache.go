package fabric

import "sync"

// boundedCache is a map of at most 2×gen entries, safe for concurrent use.
// Entries live in two generations: put adds to the current one, a hit in
// the previous one moves the entry to the current one, and when the
// current one holds gen entries it becomes the previous one and the old
// previous one is dropped. So an entry used at least once per gen inserts
// stays, and memory stays bounded whatever the input. mu guards cur and
// prev.
type boundedCache[K comparable, V any] struct {
	gen       int
	mu        sync.Mutex
	cur, prev map[K]V
}

func newBoundedCache[K comparable, V any](gen int) *boundedCache[K, V] {
	return &boundedCache[K, V]{gen: gen, cur: make(map[K]V)}
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.prev[k]
	if ok {
		delete(c.prev, k)
		c.putLocked(k, v)
	}
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(k, v)
}

func (c *boundedCache[K, V]) putLocked(k K, v V) {
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.gen {
		c.prev, c.cur = c.cur, make(map[K]V, c.gen)
	}
	c.cur[k] = v
}

// len returns the number of entries, for tests.
func (c *boundedCache[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.prev)
}
