package webhook

//go:generate go run ../internal/gen/zoomgen -events -spec testdata/spec -out events_gen.go
