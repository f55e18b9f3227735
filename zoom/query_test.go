package zoom

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// optionsTypes returns the query options type of every operation: each
// pointer-to-struct parameter named *Options of a service method.
func optionsTypes(t *testing.T) []reflect.Type {
	t.Helper()
	c, err := NewClient(WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})))
	require.NoError(t, err)
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	cv := reflect.ValueOf(c).Elem()
	for i := range cv.NumField() {
		f := cv.Field(i)
		if f.Kind() != reflect.Pointer || !strings.HasSuffix(f.Type().Elem().Name(), "Service") {
			continue
		}
		st := f.Type()
		for m := range st.NumMethod() {
			mt := st.Method(m).Type
			for p := range mt.NumIn() {
				in := mt.In(p)
				if in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct &&
					strings.HasSuffix(in.Elem().Name(), "Options") && !seen[in.Elem()] {
					seen[in.Elem()] = true
					out = append(out, in.Elem())
				}
			}
		}
	}
	return out
}

// fill sets every field of the struct v points to from seed: 0 leaves
// zero values, other seeds set values (with characters that need escaping
// in strings, and pointers to zero values when seed is 2).
func fill(v reflect.Value, seed int) {
	v = v.Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		set := f
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			set = f.Elem()
			if seed == 2 {
				continue // a pointer to the zero value
			}
		}
		switch {
		case set.Type() == dateType:
			set.Set(reflect.ValueOf(Date{2026, time.Month(1 + (i+seed)%12), 1 + i%28}))
		case set.Type() == timeType:
			set.Set(reflect.ValueOf(NewTime(time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600)))))
		default:
			switch set.Kind() {
			case reflect.String:
				set.SetString([]string{"", "a b&c=d/é?", "user@example.com", "next+token/=="}[(i+seed)%4])
			case reflect.Int, reflect.Int64, reflect.Int32:
				set.SetInt(int64((i + seed) % 3 * 150))
			case reflect.Bool:
				set.SetBool((i+seed)%2 == 0)
			}
		}
	}
}

// TestQueryEncodingMatchesGoQuerystring checks, for the options type of
// every operation, that the cached encoder writes what go-querystring
// writes.
func TestQueryEncodingMatchesGoQuerystring(t *testing.T) {
	var qc queryCache
	types := optionsTypes(t)
	require.Greater(t, len(types), 50, "options types found")
	for _, typ := range types {
		for seed := range 4 {
			v := reflect.New(typ)
			if seed > 0 {
				fill(v, seed)
			}
			want, err := query.Values(v.Interface())
			require.NoError(t, err)
			var b strings.Builder
			require.NoError(t, qc.appendQuery(&b, v.Interface()))
			wantS := ""
			if len(want) > 0 {
				wantS = "?" + want.Encode()
			}
			assert.Equal(t, wantS, b.String(), "%s seed %d", typ.Name(), seed)
			// A struct value (not addressable) encodes the same.
			b.Reset()
			require.NoError(t, qc.appendQuery(&b, v.Elem().Interface()))
			assert.Equal(t, wantS, b.String(), "%s seed %d by value", typ.Name(), seed)
		}
		assert.False(t, qc.plan(typ).fallback, "%s falls back to go-querystring", typ.Name())
	}
}

type stringerKind int

func (k stringerKind) String() string { return [...]string{"zero", "one"}[k] }

func TestQueryEncodingOptionsAndFallbacks(t *testing.T) {
	var qc queryCache
	type embedded struct {
		E string `url:"e"`
	}
	cases := []any{
		&struct {
			B  bool   `url:"b,int"`
			BF bool   `url:"bf,int"`
			P  *bool  `url:"p"`
			U  uint16 `url:"u,omitempty"`
			F  float64
			S  stringerKind `url:"s"`
			x  string
			D  string `url:"-"`
		}{B: true, U: 7, F: 1.5, S: 1, x: "hidden"},
		&struct {
			L []string `url:"l,comma"`
		}{L: []string{"a", "b"}},
		&struct {
			embedded
			N int `url:"n"`
		}{embedded{"x"}, 3},
		(*ListUsersOptions)(nil),
	}
	for _, q := range cases {
		want, err := query.Values(q)
		require.NoError(t, err)
		var b strings.Builder
		require.NoError(t, qc.appendQuery(&b, q))
		wantS := ""
		if len(want) > 0 {
			wantS = "?" + want.Encode()
		}
		assert.Equal(t, wantS, b.String(), "%T", q)
	}
	var b strings.Builder
	assert.Error(t, qc.appendQuery(&b, 42), "not a struct: go-querystring's error")
}

func BenchmarkQueryEncoding(b *testing.B) {
	opts := &ListWebinarParticipantsReportOptions{PageSize: 300, NextPageToken: "Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3"}
	b.Run("cached", func(b *testing.B) {
		var qc queryCache
		var sb strings.Builder
		b.ReportAllocs()
		for b.Loop() {
			sb.Reset()
			sb.Grow(128) // as newRequest sizes the URL
			_ = qc.appendQuery(&sb, opts)
		}
	})
	b.Run("go-querystring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _ := query.Values(opts)
			_ = v.Encode()
		}
	})
}
