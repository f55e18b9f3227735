package zoom

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
)

// Query parameters are encoded as go-querystring encodes them (it stays the
// encoder of record), but from a plan made once per options type: the
// struct tags are read and split on the first call with a type, not on
// every call, and the parameters are written straight into the URL. A type
// the plan does not cover (slices, nested structs, custom encoders other
// than Date and Time) is handed to go-querystring whole.

// queryCache holds one plan per options type. The zero value is ready.
type queryCache struct{ plans sync.Map } // reflect.Type → *queryPlan

// queryPlan encodes one struct type; fallback means go-querystring does.
type queryPlan struct {
	fields   []queryField // sorted by name, as url.Values.Encode sorts
	fallback bool
}

type queryFieldKind uint8

const (
	qString queryFieldKind = iota
	qInt
	qUint
	qBool
	qDate
	qTime
	qSprint // fmt.Sprint, as go-querystring writes what it does not know
)

type queryField struct {
	index     int
	name      string // already query-escaped
	omitEmpty bool
	ptr       bool // a pointer to the kind; nil writes "name="
	boolInt   bool // the "int" option: true is 1, false is 0
	kind      queryFieldKind
}

var (
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	errorType     = reflect.TypeFor[error]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
	encoderType   = reflect.TypeFor[query.Encoder]()
	dateType      = reflect.TypeFor[Date]()
	timeType      = reflect.TypeFor[Time]()
)

func (qc *queryCache) plan(t reflect.Type) *queryPlan {
	if p, ok := qc.plans.Load(t); ok {
		return p.(*queryPlan)
	}
	p, _ := qc.plans.LoadOrStore(t, newQueryPlan(t))
	return p.(*queryPlan)
}

func newQueryPlan(t reflect.Type) *queryPlan {
	fb := &queryPlan{fallback: true}
	var fields []queryField
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			return fb // embedded structs: go-querystring's rules
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("url")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := queryField{index: i, name: url.QueryEscape(name)}
		for o := range strings.SplitSeq(opts, ",") {
			switch o {
			case "omitempty":
				f.omitEmpty = true
			case "int":
				f.boolInt = true
			case "", "omitzero": // omitzero: not a go-querystring option
			default:
				return fb
			}
		}
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			f.ptr, ft = true, ft.Elem()
		}
		switch {
		case ft == dateType && !f.ptr:
			f.kind = qDate
		case ft == timeType && !f.ptr:
			f.kind = qTime
		case ft.Implements(encoderType) || reflect.PointerTo(ft).Implements(encoderType):
			return fb
		default:
			switch ft.Kind() {
			case reflect.String:
				f.kind = qString
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				f.kind = qInt
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				f.kind = qUint
			case reflect.Bool:
				f.kind = qBool
			case reflect.Float32, reflect.Float64:
				f.kind = qSprint
			default: // slices, arrays, maps, structs, interfaces, pointers to pointers
				return fb
			}
			if ft.Implements(stringerType) || ft.Implements(errorType) || ft.Implements(formatterType) {
				f.kind = qSprint // fmt.Sprint calls the method
			}
		}
		if f.boolInt && f.kind != qBool {
			return fb
		}
		fields = append(fields, f)
	}
	slices.SortStableFunc(fields, func(a, b queryField) int { return strings.Compare(a.name, b.name) })
	return &queryPlan{fields: fields}
}

// appendQuery writes q's parameters to b, after a "?", as
// "?" + query.Values(q).Encode() would, and nothing for none.
func (qc *queryCache) appendQuery(b *strings.Builder, q any) error {
	v := reflect.ValueOf(q)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fallbackQuery(b, q)
	}
	p := qc.plan(v.Type())
	if p.fallback {
		return fallbackQuery(b, q)
	}
	sep := byte('?')
	var num [24]byte
	for i := range p.fields {
		f := &p.fields[i]
		fv := v.Field(f.index)
		if f.ptr {
			if fv.IsNil() {
				if !f.omitEmpty {
					b.WriteByte(sep)
					sep = '&'
					b.WriteString(f.name)
					b.WriteByte('=')
				}
				continue
			}
			fv = fv.Elem()
		}
		var s string
		var raw []byte
		switch f.kind {
		case qString:
			s = fv.String()
			if f.omitEmpty && !f.ptr && s == "" {
				continue
			}
		case qInt:
			n := fv.Int()
			if f.omitEmpty && !f.ptr && n == 0 {
				continue
			}
			raw = strconv.AppendInt(num[:0], n, 10)
		case qUint:
			n := fv.Uint()
			if f.omitEmpty && !f.ptr && n == 0 {
				continue
			}
			raw = strconv.AppendUint(num[:0], n, 10)
		case qBool:
			t := fv.Bool()
			if f.omitEmpty && !f.ptr && !t {
				continue
			}
			switch {
			case f.boolInt && t:
				s = "1"
			case f.boolInt:
				s = "0"
			default:
				s = strconv.FormatBool(t)
			}
		case qDate:
			var d Date
			if fv.CanAddr() {
				d = *fv.Addr().Interface().(*Date) // no boxing
			} else {
				d = fv.Interface().(Date)
			}
			if d.IsZero() {
				continue // Date.EncodeValues writes nothing for the zero date
			}
			// As Date.String: through time.Date, which normalises.
			raw = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).AppendFormat(num[:0], time.DateOnly)
		case qTime:
			var t Time
			if fv.CanAddr() {
				t = *fv.Addr().Interface().(*Time)
			} else {
				t = fv.Interface().(Time)
			}
			if t.IsZero() {
				continue // Time.EncodeValues writes nothing for the zero time
			}
			raw = t.UTC().AppendFormat(num[:0], "2006-01-02T15:04:05Z")
		case qSprint:
			if f.omitEmpty && !f.ptr && fv.IsZero() {
				continue
			}
			s = fmt.Sprint(fv.Interface())
		}
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(f.name)
		b.WriteByte('=')
		if raw != nil {
			writeQueryEscaped(b, raw)
		} else {
			writeQueryEscaped(b, s)
		}
	}
	return nil
}

func fallbackQuery(b *strings.Builder, q any) error {
	vals, err := query.Values(q)
	if err != nil {
		return err
	}
	if len(vals) > 0 {
		b.WriteByte('?')
		b.WriteString(vals.Encode())
	}
	return nil
}

// writeQueryEscaped writes url.QueryEscape(s) to b without allocating.
func writeQueryEscaped[T string | []byte](b *strings.Builder, s T) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}
