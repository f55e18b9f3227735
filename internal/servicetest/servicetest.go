// Package servicetest connects tests to the PostgreSQL and Redis servers they
// need, or skips them.
//
// The servers are named by environment variables:
//
//	ZOOMKIT_TEST_POSTGRES_DSN  default postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	ZOOMKIT_TEST_REDIS_ADDR    default 127.0.0.1:6379
//
// When a server cannot be reached, the test is skipped with a message naming
// the variable, unless CI is set (non-empty) or ZOOMKIT_REQUIRE_SERVICES=1, in
// which case the test fails: in CI the services are required.
//
// Tests in different packages run in parallel against the same servers, so
// every test takes its own table name or key prefix from [UniqueName].
//
// The package imports no database driver or client (tests of the SQLite
// store must not compile the PostgreSQL driver, nor the PostgreSQL store's
// tests the Redis client): it probes the servers over plain TCP, and the
// caller connects with its own driver (package pgtest opens PostgreSQL
// through pgx).
package servicetest

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// Environment variables read by this package.
const (
	PostgresDSNEnv     = "ZOOMKIT_TEST_POSTGRES_DSN"
	RedisAddrEnv       = "ZOOMKIT_TEST_REDIS_ADDR"
	RequireServicesEnv = "ZOOMKIT_REQUIRE_SERVICES"
)

// Defaults used when the environment variables are unset.
const (
	DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	DefaultRedisAddr   = "127.0.0.1:6379"
)

// connectTimeout bounds the reachability probe.
const connectTimeout = 3 * time.Second

// Required reports whether unreachable services fail tests instead of
// skipping them: CI is non-empty or ZOOMKIT_REQUIRE_SERVICES=1.
func Required() bool {
	return os.Getenv("CI") != "" || os.Getenv(RequireServicesEnv) == "1"
}

func unavailable(tb testing.TB, what, where, env string, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%s not reachable at %s: %v (services are required: CI or %s=1 is set; set %s to point the tests at a server)",
			what, where, err, RequireServicesEnv, env)
		return
	}
	tb.Skipf("%s not reachable at %s (%v); set %s to run these tests", what, where, err, env)
}

// PostgresDSN returns the DSN of the test PostgreSQL server after checking
// that its address accepts TCP connections, or skips (fails in CI) the test.
// A server that answers but refuses the login fails the test when it
// connects, instead of skipping it.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(PostgresDSNEnv)
	if dsn == "" {
		dsn = DefaultPostgresDSN
	}
	err := dialPostgres(dsn)
	if err != nil {
		unavailable(tb, "PostgreSQL", RedactDSN(dsn), PostgresDSNEnv, err)
	}
	return dsn
}

// dialPostgres connects to the host and port of a URL-style DSN (default
// port 5432) and closes the connection.
func dialPostgres(dsn string) error {
	u, err := parseURL(dsn)
	if err != nil || u == nil {
		return fmt.Errorf("%s is not a postgres:// URL", PostgresDSNEnv)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	conn, err := net.DialTimeout("tcp", host, connectTimeout)
	if err != nil {
		return err
	}
	return conn.Close()
}

// RedisAddr returns the address of the test Redis server after checking that
// it answers PING, or skips (fails in CI) the test.
func RedisAddr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv(RedisAddrEnv)
	if addr == "" {
		addr = DefaultRedisAddr
	}
	if err := pingRedis(addr); err != nil {
		unavailable(tb, "Redis", addr, RedisAddrEnv, err)
	}
	return addr
}

// UniqueName returns prefix followed by a random suffix of lower-case hex
// digits: a table name or key prefix no other test uses.
func UniqueName(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("servicetest: random: %v", err))
	}
	return prefix + hex.EncodeToString(b[:])
}

// RedactDSN returns dsn with the password of a URL-style DSN hidden.
func RedactDSN(dsn string) string {
	u, err := parseURL(dsn)
	if err != nil || u == nil {
		return dsn
	}
	return u.Redacted()
}

func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return nil, err
	}
	return u, nil
}

// pingRedis sends PING over a plain connection: a probe without go-redis's
// dial retries, so that an absent server is detected at once. Any reply
// means the server is there (an authentication error then fails the tests
// instead of skipping them).
func pingRedis(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, connectTimeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(connectTimeout)); err != nil {
		return err
	}
	if _, err := conn.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line == "" || (line[0] != '+' && line[0] != '-') {
		return fmt.Errorf("unexpected reply to PING: %q", strings.TrimSpace(line))
	}
	return nil
}
