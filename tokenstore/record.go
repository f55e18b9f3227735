package tokenstore

import (
	"encoding/json"
	"fmt"
)

// EncodeRecord returns the JSON a store keeps for tok. It refuses a nil
// token (ErrNilToken) and one with an empty access token
// (ErrInvalidArgument): such a record could never be read back as a token.
// For implementers of Store; the JSON holds the secrets, so keep it out of
// logs.
func EncodeRecord(tok *Token) ([]byte, error) {
	if tok == nil {
		return nil, ErrNilToken
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("token has an empty access token: %w", ErrInvalidArgument)
	}
	b, err := json.Marshal(tok)
	if err != nil {
		// Token has only strings and a time: the error cannot quote a secret.
		return nil, fmt.Errorf("encode token: %w", err)
	}
	return b, nil
}

// DecodeRecord reads back a record written by EncodeRecord under a store's
// schema version schema, by a store that knows versions up to known. data
// is nil when the record holds no data. It never returns a token that is
// unusable: a record from a newer schema, with an invalid version, no data,
// malformed JSON or no access token is an error wrapping ErrCorrupt, whose
// text never quotes the record (it holds secrets).
func DecodeRecord(schema, known int64, data []byte) (*Token, error) {
	switch {
	case schema > known:
		return nil, fmt.Errorf("record has schema version %d, newer than %d known to this release (upgrade zoomkit): %w", schema, known, ErrCorrupt)
	case schema < 1:
		return nil, fmt.Errorf("record has invalid schema version %d: %w", schema, ErrCorrupt)
	case data == nil:
		return nil, fmt.Errorf("record has no data: %w", ErrCorrupt)
	}
	var tok Token
	if err := json.Unmarshal(data, &tok); err != nil {
		return nil, fmt.Errorf("record is not a valid token (%d bytes of malformed JSON): %w", len(data), ErrCorrupt)
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("record has no access token: %w", ErrCorrupt)
	}
	return &tok, nil
}
