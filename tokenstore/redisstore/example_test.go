package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/tokenstore"
	"github.com/zoomkit/zoomkit/tokenstore/redisstore"
)

// The example needs a Redis server, so it has no Output and does not run;
// TestExample runs the same steps against the test server.
func Example() {
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer client.Close()
	fmt.Println(example(ctx, client, "myapp:zoom:"))
}

// example is the body of Example.
func example(ctx context.Context, client redis.UniversalClient, prefix string) string {
	store, err := redisstore.New(client, redisstore.WithPrefix(prefix))
	if err != nil {
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
	held := store.AcquireLease(ctx, "account-42", "replica-b", 90*time.Second)
	_, version, err := store.Load(ctx, "account-42")
	if err != nil {
		log.Fatal(err)
	}
	refreshed := &tokenstore.Token{AccessToken: "at-2", RefreshToken: "rt-2", TokenType: "bearer", Expiry: time.Date(2030, 1, 1, 11, 0, 0, 0, time.UTC)}
	newVersion, err := store.CompareAndSwap(ctx, "account-42", version, refreshed)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.ReleaseLease(ctx, "account-42", "replica-a"); err != nil {
		log.Fatal(err)
	}
	// A writer holding the old version is rejected.
	_, stale := store.CompareAndSwap(ctx, "account-42", version, grant)
	tok, err := store.Get(ctx, "account-42")
	if err != nil {
		log.Fatal(err)
	}
	return fmt.Sprintf("replica-b: %v\nversion %d -> %d\nstale write: %v\n%v",
		errors.Is(held, tokenstore.ErrLeaseHeld), version, newVersion, errors.Is(stale, tokenstore.ErrConflict), tok)
}

func TestExample(t *testing.T) {
	got := example(t.Context(), newClient(t), uniquePrefix(t))
	want := `replica-b: true
version 1 -> 2
stale write: true
tokenstore.Token{AccessToken:REDACTED RefreshToken:REDACTED TokenType:bearer Expiry:2030-01-01T11:00:00Z Scope:""}`
	require.Equal(t, want, got, "example output")
}

func ExampleDeduper() {
	ctx := context.Background()
	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer client.Close()
	// Pass dedup to the webhook handler; every replica shares the Redis.
	dedup, err := redisstore.NewDeduper(client, redisstore.WithPrefix("myapp:"))
	if err != nil {
		log.Fatal(err)
	}
	key := "zoom:meeting.started:1700000000000:uuid=abc"
	first, _ := dedup.Claim(ctx, key, 24*time.Hour)
	redelivery, _ := dedup.Claim(ctx, key, 24*time.Hour)
	fmt.Println(first, redelivery) // true false
	// The app's handler failed: forget the delivery so a retry is handled.
	_ = dedup.Release(ctx, key)
}
