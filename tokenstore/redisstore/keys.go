package redisstore

import (
	"encoding/hex"
	"strings"
)

// Kinds of Redis keys. Each is followed by the (escaped) store key.
const (
	kindToken = "token:"
	kindLease = "lease:"
	kindDedup = "dedup:"
)

// escapedMark starts an escaped key.
const escapedMark = "~"

// redisKey returns prefix+kind+escapeKey(key).
//
// The name is unambiguous whatever the prefixes of other stores on the same
// Redis: two (prefix, kind, key) triples give the same name only if they are
// equal. The reason is that an escaped key never contains a kind marker
// ("token:", "lease:" or "dedup:"), and no suffix of one marker begins
// another; so in any name the marker that ends the prefix is its last one,
// which fixes where the prefix ends.
func redisKey(prefix, kind, key string) string {
	return prefix + kind + escapeKey(key)
}

// escapeKey returns key unchanged (so that records written by releases
// before escaping was introduced keep their names) unless key contains a
// kind marker or starts with "~": then "~" followed by the hex of key, which
// has neither.
func escapeKey(key string) string {
	if !strings.HasPrefix(key, escapedMark) &&
		!strings.Contains(key, kindToken) &&
		!strings.Contains(key, kindLease) &&
		!strings.Contains(key, kindDedup) {
		return key
	}
	return escapedMark + hex.EncodeToString([]byte(key))
}
