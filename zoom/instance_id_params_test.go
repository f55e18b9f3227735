package zoom

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/zoomkit/zoomkit/internal/spec"
)

// Every operation whose meeting or webinar id path parameter the
// documents say also takes a UUID takes an InstanceID (a numeric id via
// LatestOf, or a UUID); the others take an ID (issue 16, item 7).
func TestUUIDPathParametersTakeInstanceID(t *testing.T) {
	s, err := spec.Load()
	require.NoError(t, err)
	c, _ := setup(t)
	services := reflect.ValueOf(c).Elem()
	instance := 0
	for _, m := range apiMethods(t) {
		if m.Iterator {
			continue
		}
		op := s.ByID(m.OpID)
		require.NotNil(t, op, m.OpID)
		takesUUID, hasID := false, false
		for _, p := range append(op.Item.Parameters, op.Op.Parameters...) {
			switch p.Value.Name {
			case "meetingId", "webinarId", "meetingUUID", "webinarUUID":
			default:
				continue
			}
			if p.Value.In != "path" {
				continue
			}
			hasID = true
			if strings.Contains(strings.ToUpper(p.Value.Description), "UUID") || strings.HasSuffix(p.Value.Name, "UUID") {
				takesUUID = true
			}
		}
		if !hasID {
			continue
		}
		meth := services.FieldByName(strings.TrimSuffix(m.Service, "Service")).MethodByName(m.Name)
		require.True(t, meth.IsValid(), "%s.%s", m.Service, m.Name)
		var kinds []reflect.Type
		for i := range meth.Type().NumIn() {
			switch at := meth.Type().In(i); at {
			case reflect.TypeFor[ID](), reflect.TypeFor[InstanceID]():
				kinds = append(kinds, at)
			}
		}
		want := reflect.TypeFor[ID]()
		if takesUUID {
			want = reflect.TypeFor[InstanceID]()
			instance++
		}
		if assert.NotEmpty(t, kinds, "%s.%s (%s) takes no meeting or webinar id", m.Service, m.Name, op.ID) {
			assert.Equal(t, want, kinds[0], "%s.%s (%s): the documents say UUID: %v", m.Service, m.Name, op.ID, takesUUID)
		}
	}
	assert.GreaterOrEqual(t, instance, 30, "operations that take a UUID")
}

// Webinars.Get takes the webinar's id or the UUID of one occurrence, the
// UUID double-escaped where Zoom asks for it, as the meeting calls do.
func TestWebinarsGetByUUID(t *testing.T) {
	t.Parallel()
	var cases []apiCase
	for _, id := range instanceIDs {
		cases = append(cases, apiCase{
			name: id.name,
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.Webinars.Get(ctx, id.id, nil)
			},
			resp:   []byte(`{"id":95204914252,"uuid":"ajXp112QmuoKj4854875==","topic":"Launch"}`),
			method: "GET", path: "/webinars/" + id.seg,
			check: func(t *testing.T, out any) {
				w := out.(*Webinar)
				assert.EqualValues(t, 95204914252, w.ID)
				assert.Equal(t, "Launch", w.Topic)
			},
		})
	}
	runCases(t, cases)
}
