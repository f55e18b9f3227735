package zoomtest

import (
	"crypto/rand"
	"encoding/base64"
	mathrand "math/rand/v2"

	"github.com/zoomkit/zoomkit/zoom"
)

// idGen forms ids as Zoom forms them, from a seeded generator so that runs
// repeat. It is used under the server's mutex.
type idGen struct {
	r     *mathrand.Rand
	uuids int
}

func newIDGen(seed uint64) *idGen {
	return &idGen{r: mathrand.New(mathrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *idGen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

// meetingID returns a meeting or webinar id of 10 or 11 digits.
func (g *idGen) meetingID() zoom.ID {
	if g.r.IntN(2) == 0 {
		return zoom.ID(1_000_000_000 + g.r.Int64N(9_000_000_000))
	}
	return zoom.ID(10_000_000_000 + g.r.Int64N(90_000_000_000))
}

// uuid returns a meeting-instance UUID: 24 characters of standard base64
// ending in "==". One in four starts with "/" and one in four contains
// "//", so that clients exercise Zoom's double encoding.
func (g *idGen) uuid() string {
	b := []byte(base64.StdEncoding.EncodeToString(g.bytes(16)))
	g.uuids++
	switch g.uuids % 4 {
	case 1:
		b[0] = '/'
	case 3:
		b[7], b[8] = '/', '/'
	}
	return string(b)
}

// userID returns a 22-character URL-safe base64 id, as Zoom's user,
// registrant, group and panelist ids.
func (g *idGen) userID() string {
	return base64.RawURLEncoding.EncodeToString(g.bytes(16))
}

// digits returns a numeric string of n digits (participant ids, pins).
func (g *idGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// password returns a meeting passcode of 6 to 10 characters.
func (g *idGen) password() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 6+g.r.IntN(3))
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// secretToken returns an unguessable token (access and refresh tokens,
// authorization codes, page tokens): those come from crypto/rand, not from
// the seed.
func secretToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
