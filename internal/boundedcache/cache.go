// Package boundedcache is a map of bounded size for memoizing pure
// functions: verified certificates, decoded anchors.
package boundedcache

import "sync"

// Cache holds at most 2×gen entries and is safe for concurrent use.
// Entries live in two generations: Put adds to the current one, a hit in
// the previous one moves the entry to the current one, and when the
// current one holds gen entries it becomes the previous one and the old
// previous one is dropped. So an entry used at least once per gen inserts
// stays, and memory stays bounded whatever the input. Get and Put are
// O(1); mu guards cur and prev.
//
// A Cache only remembers; a caller must key it by everything the cached
// value depends on.
type Cache[K comparable, V any] struct {
	gen       int
	mu        sync.Mutex
	cur, prev map[K]V
}

// New returns an empty cache of generations of gen entries (at least 1).
func New[K comparable, V any](gen int) *Cache[K, V] {
	return &Cache[K, V]{gen: max(gen, 1), cur: make(map[K]V)}
}

// Get returns the value cached for k and whether there is one.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.prev[k]
	if ok {
		delete(c.prev, k)
		c.put(k, v)
	}
	return v, ok
}

// Put caches v for k, replacing any value k had.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(k, v)
}

func (c *Cache[K, V]) put(k K, v V) {
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.gen {
		c.prev, c.cur = c.cur, make(map[K]V, c.gen)
	}
	c.cur[k] = v
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.prev)
}

// Bytes is a Cache keyed by byte strings, compared in full. Get does not
// allocate (a Cache[string, V] would copy the key on every lookup); Put
// copies the key.
type Bytes[V any] struct {
	gen       int
	mu        sync.Mutex
	cur, prev map[string]V
}

// NewBytes returns an empty Bytes cache of generations of gen entries (at
// least 1).
func NewBytes[V any](gen int) *Bytes[V] {
	return &Bytes[V]{gen: max(gen, 1), cur: make(map[string]V)}
}

// Get returns the value cached for k and whether there is one.
func (c *Bytes[V]) Get(k []byte) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[string(k)]; ok {
		return v, true
	}
	v, ok := c.prev[string(k)]
	if ok {
		delete(c.prev, string(k))
		c.put(string(k), v)
	}
	return v, ok
}

// Put caches v for a copy of k, replacing any value k had.
func (c *Bytes[V]) Put(k []byte, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(string(k), v)
}

func (c *Bytes[V]) put(k string, v V) {
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.gen {
		c.prev, c.cur = c.cur, make(map[string]V, c.gen)
	}
	c.cur[k] = v
}

// Len returns the number of entries.
func (c *Bytes[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.prev)
}
