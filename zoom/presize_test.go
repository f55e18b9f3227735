package zoom

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// usersPage is a users list page of n users with the fields Zoom sends.
func usersPage(n int) map[string]any {
	users := make([]map[string]any, n)
	for i := range users {
		users[i] = map[string]any{
			"id": fmt.Sprintf("u%03d", i), "email": fmt.Sprintf("user%d@example.com", i),
			"first_name": "Ada", "last_name": "Lovelace", "type": 2, "status": "active",
			"group_ids": []string{"g1"}, "created_at": "2026-01-02T03:04:05Z",
		}
	}
	return map[string]any{"page_size": n, "total_records": n, "next_page_token": "", "users": users}
}

// A List call asked for a page of N sizes its items slice for N before
// decoding, so a 300-user page is not grown by doubling (three times the
// bytes); the values are the same as without it.
func TestListPresizesItemsFromPageSize(t *testing.T) {
	c := replyWith(t, usersPage(300))
	l, _, err := c.Users.List(t.Context(), &ListUsersOptions{PageSize: 300})
	require.NoError(t, err)
	require.Len(t, l.Users, 300)
	assert.Equal(t, 300, cap(l.Users), "sized once from page_size")
	assert.Equal(t, "u299", l.Users[299].ID)
	assert.Equal(t, []string{"g1"}, l.Users[299].GroupIDs)

	// A page size over the bound still decodes every item (the slice grows).
	c = replyWith(t, usersPage(301))
	l, _, err = c.Users.List(t.Context(), &ListUsersOptions{PageSize: 2000})
	require.NoError(t, err)
	require.Len(t, l.Users, 301)
	assert.Equal(t, "u300", l.Users[300].ID)

	// Without a page size nothing is allocated up front.
	c = replyWith(t, usersPage(0))
	l, _, err = c.Users.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, l.Users)
}
