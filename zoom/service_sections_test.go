package zoom

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The array limits Zoom's documents give new operations' bodies are
// checked before the call: one over is refused with an *ArgumentError and
// nothing is sent; the limit itself goes through.
func TestSectionBodyLimits(t *testing.T) {
	ctx := t.Context()
	polls := func(n int) *CreateBatchMeetingPollsRequest {
		b := &CreateBatchMeetingPollsRequest{}
		for range n {
			b.Polls = append(b.Polls, CreateBatchMeetingPollsRequestPoll{Title: "Q"})
		}
		return b
	}
	emails := func(n int) *CreateDataRequestRequest {
		b := &CreateDataRequestRequest{
			RequestType: CreateDataRequestRequestRequestTypeExport,
			StartDate:   "2025-08-06T17:30:00Z",
			EndDate:     "2025-08-07T17:30:00Z",
		}
		for range n {
			b.Emails = append(b.Emails, "user@example.com")
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		limit int
		call  func(c *Client, n int) error
	}{
		{"Polls.CreateBatch", 25, func(c *Client, n int) error {
			_, _, err := c.Polls.CreateBatch(ctx, 85746065, polls(n))
			return err
		}},
		{"DataRequests.Create", 10, func(c *Client, n int) error {
			_, _, err := c.DataRequests.Create(ctx, emails(n))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, rec := setupRec(t)
			err := tc.call(c, tc.limit+1)
			var ae *ArgumentError
			require.True(t, errors.As(err, &ae) && errors.Is(err, ErrInvalidArgument), "err = %v, want an *ArgumentError", err)
			assert.Empty(t, rec.requests(), "a refused body was sent")

			replyJSON(mt, http.StatusCreated, []byte(`{}`))
			require.NoError(t, tc.call(c, tc.limit))
			assert.Len(t, rec.requests(), 1)
		})
	}
}
