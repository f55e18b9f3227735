package zoom

// RateLabel is the rate-limit label Zoom gives each operation. Calls are
// counted per label and per account: two LIGHT operations share the LIGHT
// budget.
type RateLabel string

// Zoom's rate-limit labels.
const (
	RateLight             RateLabel = "LIGHT"
	RateMedium            RateLabel = "MEDIUM"
	RateHeavy             RateLabel = "HEAVY"
	RateResourceIntensive RateLabel = "RESOURCE-INTENSIVE"
)
