package redisstore

import (
	"errors"
	"fmt"
	"unicode"
)

// DefaultPrefix is the default key prefix.
const DefaultPrefix = "zoomkit:"

// maxPrefix bounds the length of a key prefix.
const maxPrefix = 256

// Option configures a [Store] or a [Deduper].
type Option func(*config) error

type config struct {
	prefix string
}

// WithPrefix sets the prefix of every Redis key the Store or Deduper uses
// (default [DefaultPrefix]). A Store uses prefix+"token:"+key for the token
// and prefix+"lease:"+key for the refresh lease; a Deduper uses
// prefix+"dedup:"+key (a key that could make these names ambiguous is
// escaped: see the package documentation, Keys). Stores with different
// prefixes never share a Redis key, even when one prefix starts with the
// other. The prefix may be empty; it must be at most 256 bytes of printable
// characters without spaces.
func WithPrefix(prefix string) Option {
	return func(c *config) error {
		if len(prefix) > maxPrefix {
			return fmt.Errorf("redisstore: key prefix longer than %d bytes", maxPrefix)
		}
		for _, r := range prefix {
			if !unicode.IsPrint(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
				return fmt.Errorf("redisstore: invalid key prefix %q: want printable characters without spaces", prefix)
			}
		}
		c.prefix = prefix
		return nil
	}
}

func newConfig(opts []Option) (*config, error) {
	c := &config{prefix: DefaultPrefix}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("redisstore: nil Option")
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}
