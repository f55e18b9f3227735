// Module peer benchmarks zoomkit against zoom-lib-golang. It is a module of
// its own so that the peer never enters zoomkit's module graph.
module github.com/zoomkit/zoomkit/internal/bench/peer

go 1.25.0

replace github.com/zoomkit/zoomkit => ../../..

require (
	github.com/zoom-lib-golang/zoom-lib-golang v1.0.2
	github.com/zoomkit/zoomkit v0.0.0-00010101000000-000000000000
	golang.org/x/oauth2 v0.36.0
)

require (
	github.com/golang-jwt/jwt/v4 v4.0.0 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)
