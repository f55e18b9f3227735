package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore"
	"github.com/zoomkit/zoomkit/tokenstore/sqlstore/sqlite"
)

func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sqlite.Open(filepath.Join(dir, "tokens.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	store, err := sqlstore.New(db, sqlstore.WithTable("zoom_tokens"))
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	// The OAuth callback stores the grant.
	grant := &tokenstore.Token{AccessToken: "at-1", RefreshToken: "rt-1", TokenType: "bearer", Expiry: time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)}
	if err := store.Put(ctx, "account-42", grant); err != nil {
		log.Fatal(err)
	}

	// A refresh, as oauth.TokenSource does it: lease, re-read, swap, release.
	if err := store.AcquireLease(ctx, "account-42", "replica-a", 90*time.Second); err != nil {
		log.Fatal(err)
	}
	err = store.AcquireLease(ctx, "account-42", "replica-b", 90*time.Second)
	fmt.Println("replica-b:", errors.Is(err, tokenstore.ErrLeaseHeld))
	_, version, err := store.Load(ctx, "account-42")
	if err != nil {
		log.Fatal(err)
	}
	refreshed := &tokenstore.Token{AccessToken: "at-2", RefreshToken: "rt-2", TokenType: "bearer", Expiry: time.Date(2030, 1, 1, 11, 0, 0, 0, time.UTC)}
	newVersion, err := store.CompareAndSwap(ctx, "account-42", version, refreshed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("version", version, "->", newVersion)
	if err := store.ReleaseLease(ctx, "account-42", "replica-a"); err != nil {
		log.Fatal(err)
	}

	// A writer holding the old version is rejected.
	_, err = store.CompareAndSwap(ctx, "account-42", version, grant)
	fmt.Println("stale write:", errors.Is(err, tokenstore.ErrConflict))
	tok, err := store.Get(ctx, "account-42")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok) // tokens print without their secrets
	// Output:
	// replica-b: true
	// version 1 -> 2
	// stale write: true
	// tokenstore.Token{AccessToken:REDACTED RefreshToken:REDACTED TokenType:bearer Expiry:2030-01-01T11:00:00Z Scope:""}
}

func ExampleDeduper() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(filepath.Join(dir, "app.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// Pass dedup to the webhook handler; every replica shares the table.
	dedup, err := sqlstore.NewDeduper(db)
	if err != nil {
		log.Fatal(err)
	}
	if err := dedup.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	key := "zoom:meeting.started:1700000000000:uuid=abc"
	first, _ := dedup.Claim(ctx, key, 24*time.Hour)
	redelivery, _ := dedup.Claim(ctx, key, 24*time.Hour)
	fmt.Println(first, redelivery)
	// The app's handler failed: forget the delivery so a retry is handled.
	_ = dedup.Release(ctx, key)
	retry, _ := dedup.Claim(ctx, key, 24*time.Hour)
	fmt.Println(retry)
	// Output:
	// true false
	// true
}
