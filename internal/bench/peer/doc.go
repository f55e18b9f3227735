// Package peer benchmarks zoomkit against zoom-lib-golang
// (github.com/zoom-lib-golang/zoom-lib-golang v1.0.2, formerly
// himalayan-institute/zoom-lib-golang), on the workloads the peer has: Get
// meeting, Create meeting, and List users with 1 and 300 per page. Both
// call the same loopback server (internal/benchkit); the peer, whose host
// is fixed to api.zoom.us, reaches it through a RoundTripper that rewrites
// the host. Both reuse connections and decode the same bodies.
//
// This directory is a module of its own, so the peer never enters
// zoomkit's go.mod. From this directory, alternate both in one process and
// print per-block ratios (zoomkit / zoom-lib-golang) and their medians:
//
//	go test -run '^$' -v -peer.compare [-peer.blocks 10]
//
// or run the benchmarks one by one:
//
//	go test -run '^$' -bench . -benchmem
package peer
