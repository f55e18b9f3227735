package webhook

//go:generate go run ../internal/webhookgen -spec testdata/spec -out events_gen.go
