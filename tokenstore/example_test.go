package tokenstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
)

func ExampleNewEncrypted() {
	key := make([]byte, tokenstore.KeySize)
	_, _ = rand.Read(key) // in production: from a secret manager
	keys, err := tokenstore.NewKeyring("2026-01", map[string][]byte{"2026-01": key})
	if err != nil {
		fmt.Println(err)
		return
	}
	inner := tokenstore.NewMemory()
	store, err := tokenstore.NewEncrypted(inner, keys)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	_ = store.Put(ctx, "user-1", &tokenstore.Token{AccessToken: "secret-at", RefreshToken: "secret-rt"})

	raw, _ := inner.Get(ctx, "user-1")
	fmt.Println("inner store holds key id:", tokenstore.KeyID(raw))
	tok, _ := store.Get(ctx, "user-1")
	fmt.Println("decrypted:", tok.RefreshToken == "secret-rt")
	_, coordinated := store.(tokenstore.CoordinatedStore)
	fmt.Println("coordinated:", coordinated)
	// Output:
	// inner store holds key id: 2026-01
	// decrypted: true
	// coordinated: true
}

func ExampleToken_String() {
	tok := tokenstore.Token{AccessToken: "at", RefreshToken: "rt", TokenType: "bearer", Expiry: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	fmt.Println(tok)
	fmt.Printf("%#v\n", tok)
	// Output:
	// tokenstore.Token{AccessToken:REDACTED RefreshToken:REDACTED TokenType:bearer Expiry:2030-01-01T00:00:00Z Scope:""}
	// tokenstore.Token{AccessToken:REDACTED RefreshToken:REDACTED TokenType:bearer Expiry:2030-01-01T00:00:00Z Scope:""}
}

func ExampleMemory_CompareAndSwap() {
	ctx := context.Background()
	s := tokenstore.NewMemory()
	v1, _ := s.CompareAndSwap(ctx, "acct", 0, &tokenstore.Token{AccessToken: "a"})
	_, err := s.CompareAndSwap(ctx, "acct", 0, &tokenstore.Token{AccessToken: "b"})
	fmt.Println(v1, err)
	// Output: 1 tokenstore: memory compare-and-swap: tokenstore: version conflict
}
