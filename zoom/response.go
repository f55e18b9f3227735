package zoom

import (
	"net/http"
	"time"
)

// Response wraps the HTTP response of a call with what Zoom adds to it.
// Its body has been read and closed.
type Response struct {
	*http.Response
	// NextPageToken continues a list; empty on the last page.
	NextPageToken string
	// TotalRecords is the list's total_records, when Zoom sends it.
	TotalRecords int
	// TrackingID is the x-zm-trackingid header: give it to Zoom support.
	TrackingID string
	// RateLimit holds the X-RateLimit-* headers.
	RateLimit RateLimit
	// DecodeWarnings lists the fields of the decoded value left at their
	// zero value because Zoom sent another JSON type than documented. The
	// call still succeeded: decoding is lenient field by field.
	DecodeWarnings []DecodeWarning
}

func newResponse(r *http.Response) *Response {
	return &Response{
		Response:   r,
		TrackingID: r.Header.Get(hdrTrackingID),
		RateLimit:  parseRateLimit(r.Header, time.Now()),
	}
}
