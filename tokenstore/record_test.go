package tokenstore_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zoomkit/zoomkit/tokenstore"
)

func TestEncodeDecodeRecord(t *testing.T) {
	tok := &tokenstore.Token{AccessToken: "CANARY-AT", RefreshToken: "CANARY-RT", TokenType: "bearer"}
	b, err := tokenstore.EncodeRecord(tok)
	require.NoError(t, err)
	got, err := tokenstore.DecodeRecord(1, 1, b)
	require.NoError(t, err, "round trip: %+v %v", got, err)
	require.Equal(t, "CANARY-AT", got.AccessToken, "round trip: %+v %v", got, err)
	require.Equal(t, "CANARY-RT", got.RefreshToken, "round trip: %+v %v", got, err)
	_, err = tokenstore.EncodeRecord(nil)
	require.ErrorIs(t, err, tokenstore.ErrNilToken, "nil token")
	_, err = tokenstore.EncodeRecord(&tokenstore.Token{RefreshToken: "x"})
	require.ErrorIs(t, err, tokenstore.ErrInvalidArgument, "empty access token")
	for name, tc := range map[string]struct {
		schema int64
		data   []byte
	}{
		"newer schema":    {2, b},
		"invalid schema":  {0, b},
		"no data":         {1, nil},
		"malformed":       {1, []byte(`{"access_token":"CANARY-AT"`)},
		"no access token": {1, []byte(`{"refresh_token":"CANARY-RT"}`)},
		"null":            {1, []byte(`null`)},
	} {
		_, err := tokenstore.DecodeRecord(tc.schema, 1, tc.data)
		assert.ErrorIs(t, err, tokenstore.ErrCorrupt, name)
		if err != nil {
			assert.NotContains(t, err.Error(), "CANARY", "%s: error quotes the record", name)
		}
	}
}
