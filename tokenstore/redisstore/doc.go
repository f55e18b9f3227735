// Package redisstore is a [tokenstore.CoordinatedStore] on Redis (go-redis
// v9: a single server, Sentinel or Cluster through redis.UniversalClient).
// Several replicas of an integration share one Zoom grant through it without
// ever racing on the rotating refresh token: the oauth package's TokenSource
// takes the key's refresh lease, re-reads the token, redeems the refresh
// token and writes the new token with a compare-and-swap on the version it
// read. A replica whose lease expired while it was paused can therefore never
// overwrite a newer token. The package also has a [Deduper] for webhook
// redeliveries.
//
// # Usage
//
//	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	store, err := redisstore.New(client, redisstore.WithPrefix("myapp:zoom:"))
//	...
//	ts, err := oauthConfig.TokenSource(store, accountID)
//
// # Keys
//
// With the default prefix [DefaultPrefix], a token lives in the hash
// "zoomkit:token:{key}" (fields v: version, s: schema version, d: the token
// as JSON), its refresh lease in the string "zoomkit:lease:{key}" (the
// owner, with a PX expiry) and a webhook claim in "zoomkit:dedup:{key}". No
// command or script touches two keys, so the store works on Redis Cluster.
//
// Names are unambiguous across stores: stores with nested prefixes (say
// "app:" and "app:token:") never read, overwrite or lock each other's
// records. To that end a key that contains "token:", "lease:" or "dedup:",
// or that starts with "~", is written as "~" followed by its hex encoding
// ("zoomkit:token:~746f6b656e3a78" for the key "token:x"); every other key
// is written as is, exactly where earlier releases wrote it, so grants they
// stored are still found. Earlier releases wrote the rare keys that are now
// escaped under the ambiguous name, which may hold another store's record;
// such a record is not read (copy it to the new name once, by hand, if it
// is yours), and replicas of an earlier release use another lease for such
// a key than upgraded ones: if your keys are of that kind, upgrade every
// replica at once.
//
// A Delete removes the token fields but keeps the version, so versions never
// repeat. A record whose schema version is higher than [SchemaVersion]
// (written by a newer release), whose JSON is damaged, whose access token is
// empty or that is not a hash reads back as an error wrapping
// [tokenstore.ErrCorrupt], never as a token. Tokens are secrets: they never
// appear in errors.
//
// # Leases
//
// A lease is taken with SET NX PX with the owner as value, inside a Lua
// script that instead extends the lease (PEXPIRE) when the owner already
// holds it; release is a Lua script that deletes the lease only if the owner
// still holds it. Scripts run with EVALSHA, falling back to EVAL when the
// script cache was flushed. Expiry is measured by the
// Redis server's clock only, so replicas whose clocks disagree still agree
// on who holds a lease, and a holder that crashes or loses its connection
// lets the lease expire on its own. Compare-and-swap is a Lua script too.
//
// Redis without persistence loses tokens on restart, and a failover to a
// replica that had not yet received the last write loses that write: since
// Zoom rotates refresh tokens, a lost write means a dead grant. Use a
// persistent Redis (AOF with appendfsync everysec or always) for the token
// store; the Deduper has no such requirement.
//
// # Reliability
//
// What holds, given a Redis that keeps its writes: a token write is one
// atomic script, so a reader sees the old record or the new one; a
// compare-and-swap succeeds only on the version it names, so a replica whose
// lease expired never overwrites a newer token; a lease is held by one owner
// at a time by the server's clock and expires on its own; a Deduper claim is
// one SET NX PX, so of several replicas claiming one delivery exactly one
// wins until the claim expires or is released. Stores and Dedupers with
// different prefixes never share a Redis key (see Keys). What does not hold:
// a write acknowledged by a primary that fails over before replicating it is
// lost, and Redis without persistence loses everything on restart.
package redisstore
