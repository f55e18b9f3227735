package redisstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRedisKeyInjective: every (prefix, kind, key) triple built from parts
// that spell markers, escapes and separators gets a name of its own.
func TestRedisKeyInjective(t *testing.T) {
	parts := []string{"", "a", ":", "b:", "token:", "lease:", "dedup:", "~", "~74", "to", "ken:", "x", "7e", "d"}
	var words []string
	for _, p := range parts {
		for _, q := range parts {
			words = append(words, p+q)
		}
	}
	seen := make(map[string][3]string)
	for _, prefix := range words {
		for _, kind := range []string{kindToken, kindLease, kindDedup} {
			for _, key := range words {
				name := redisKey(prefix, kind, key)
				triple := [3]string{prefix, kind, key}
				if prev, dup := seen[name]; dup {
					require.Equal(t, prev, triple, "both map to %q", name)
				}
				seen[name] = triple
			}
		}
	}
}

// TestRedisKeyUnchangedForPlainKeys: keys that were never ambiguous keep the
// name earlier releases gave them.
func TestRedisKeyUnchangedForPlainKeys(t *testing.T) {
	for _, key := range []string{"acct", "acct:user", "zoom:meeting.started:1700000000000:uuid=abc==", "a~b", "tok:en"} {
		assert.Equal(t, "zoomkit:token:"+key, redisKey("zoomkit:", kindToken, key), "redisKey(%q)", key)
	}
}
