package servicetest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of stopping.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Cleanup(func())                    {}
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = fmt.Sprintf(format, args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

// unreachable points both services at a closed loopback port.
func unreachable(t *testing.T) {
	t.Setenv(PostgresDSNEnv, "postgres://postgres:pw-secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	t.Setenv(RedisAddrEnv, "127.0.0.1:1")
}

func TestSkipWithoutServices(t *testing.T) {
	unreachable(t)
	t.Setenv("CI", "")
	t.Setenv(RequireServicesEnv, "")
	r := &recorder{TB: t}
	PostgresDSN(r)
	if r.failed != "" || !strings.Contains(r.skipped, PostgresDSNEnv) || strings.Contains(r.skipped, "pw-secret") {
		t.Errorf("PostgreSQL unreachable: skipped %q, failed %q; want a skip naming %s without the password", r.skipped, r.failed, PostgresDSNEnv)
	}
	r = &recorder{TB: t}
	RedisAddr(r)
	if r.failed != "" || !strings.Contains(r.skipped, RedisAddrEnv) {
		t.Errorf("Redis unreachable: skipped %q, failed %q; want a skip naming %s", r.skipped, r.failed, RedisAddrEnv)
	}
}

func TestFailInCI(t *testing.T) {
	for _, env := range [][2]string{{"CI", "true"}, {RequireServicesEnv, "1"}} {
		unreachable(t)
		t.Setenv("CI", "")
		t.Setenv(RequireServicesEnv, "")
		t.Setenv(env[0], env[1])
		r := &recorder{TB: t}
		PostgresDSN(r)
		if r.skipped != "" || !strings.Contains(r.failed, PostgresDSNEnv) || strings.Contains(r.failed, "pw-secret") {
			t.Errorf("%s=%s: PostgreSQL unreachable: skipped %q, failed %q; want a failure", env[0], env[1], r.skipped, r.failed)
		}
		r = &recorder{TB: t}
		RedisAddr(r)
		if r.skipped != "" || !strings.Contains(r.failed, RedisAddrEnv) {
			t.Errorf("%s=%s: Redis unreachable: skipped %q, failed %q; want a failure", env[0], env[1], r.skipped, r.failed)
		}
	}
}

func TestUniqueName(t *testing.T) {
	a, b := UniqueName("t_"), UniqueName("t_")
	if a == b || !strings.HasPrefix(a, "t_") || len(a) != 14 {
		t.Fatalf("UniqueName = %q, %q", a, b)
	}
}
