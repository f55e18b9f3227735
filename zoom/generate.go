package zoom

// The models and service methods in zz_*.go are generated from the trimmed
// OpenAPI documents in internal/spec by internal/gen/zoomgen. The trimmed
// documents are made by hand from Zoom's full documents with
// internal/gen/trimspec (see its doc comment).

//go:generate go run ../internal/gen/zoomgen -spec ../internal/spec -out .
