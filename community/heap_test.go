package community_test

import (
	"runtime"
)

var sink any

// keep keeps v alive up to here.
func keep(v any) { sink = v; sink = nil }

// liveHeap returns the bytes in live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
