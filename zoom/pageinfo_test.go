package zoom

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"
)

// Every generated type with a next_page_token or a total_records field fills
// the Response's NextPageToken and TotalRecords (issue 16, item 2: seven
// list types carried total_records that never reached the Response).
func TestEveryListTypeFillsResponse(t *testing.T) {
	checked := 0
	for _, rt := range generatedTypes {
		if rt.Kind() != reflect.Struct {
			continue
		}
		var tokenField, totalField string
		for i := range rt.NumField() {
			f := rt.Field(i)
			switch jsonName(f) {
			case "next_page_token":
				if f.Type.Kind() == reflect.String {
					tokenField = f.Name
				}
			case "total_records":
				if f.Type.Kind() == reflect.Int {
					totalField = f.Name
				}
			}
		}
		if tokenField == "" && totalField == "" {
			continue
		}
		checked++
		p := reflect.New(rt)
		body := map[string]any{}
		if tokenField != "" {
			body["next_page_token"] = "tok-1"
		}
		if totalField != "" {
			body["total_records"] = 42
		}
		raw, _ := json.Marshal(body)
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			t.Errorf("%s: %v", rt.Name(), err)
			continue
		}
		pi, ok := p.Interface().(pageInfo)
		if !ok {
			t.Errorf("%s has next_page_token or total_records but does not fill the Response", rt.Name())
			continue
		}
		tok, total := pi.pageInfo()
		if tokenField != "" && tok != "tok-1" {
			t.Errorf("%s: NextPageToken %q", rt.Name(), tok)
		}
		if totalField != "" && total != 42 {
			t.Errorf("%s: TotalRecords %d, want 42", rt.Name(), total)
		}
	}
	require.GreaterOrEqual(t, checked, 30, "only %d list types found: is generatedTypes complete?", checked)
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i]
		}
	}
	return tag
}
