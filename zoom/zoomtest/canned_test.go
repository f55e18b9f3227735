package zoomtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
	"github.com/zoomkit/zoomkit/zoom"
	"github.com/zoomkit/zoomkit/zoom/zoomtest"
)

// Every operation the fake does not model answers the document's success
// status with a body valid against the document, so users' code paths
// through rarely used endpoints still run.
func TestUnmodelledOperationsAnswerValidBodies(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	answers := zoomtest.UnmodelledAnswers(s)
	require.NotEmpty(t, answers)
	withBody := 0
	for id, a := range answers {
		assert.True(t, a.Status >= 200 && a.Status < 300, "%s: status %d", id, a.Status)
		if _, ok := spec.Tolerated(id, "response", a.Valid); ok {
			// Zoom's document contradicts itself (see spec.Contradictions).
			continue
		}
		assert.NoError(t, a.Valid, "%s: the canned body does not validate: %s", id, a.Body)
		if a.Body != nil {
			withBody++
		}
	}
	t.Logf("%d unmodelled operations, %d with a JSON body", len(answers), withBody)
}

// Through the real client: an unmodelled read decodes into its typed
// result, an unmodelled write succeeds.
func TestUnmodelledOperationThroughTheClient(t *testing.T) {
	s := zoomtest.NewTestServer(t)
	c := s.Client("me")
	ctx := t.Context()
	settings, _, err := c.Users.GetSettings(ctx, "me", nil)
	require.NoError(t, err)
	require.NotNil(t, settings)
	_, err = c.Users.UpdateSettings(ctx, "me", &zoom.UserSettings{}, nil)
	assert.NoError(t, err)
}
