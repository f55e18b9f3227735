package zoomtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// WithLicenses limits the account's licensed seats to n: users of type 2
// (Licensed), the owner among them, active or pending (Zoom counts the
// Pending Users list), take one each; deactivated users give theirs back.
// A create or update to type 2, an activation or an [Server.AddUser] that
// needs one more seat is refused: the API answers Zoom's 400 with code
// 3412. n must be at least 1, for the owner's seat. By default the seats
// are unlimited.
func WithLicenses(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zoomtest: WithLicenses: %d seats leave none for the owner", n)
		}
		c.seats = n
		return nil
	}
}

// Seats returns the licensed seats the account uses and its limit (0:
// unlimited, see [WithLicenses]).
func (s *Server) Seats() (used, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.seatsUsed(), s.cfg.seats
}

// holdsSeat reports whether u takes a licensed seat.
func (u *user) holdsSeat() bool { return u.Type == 2 && u.Status != "inactive" }

// seatsUsed counts the licensed seats taken.
func (st *state) seatsUsed() int {
	n := 0
	for _, u := range st.users {
		if u.holdsSeat() {
			n++
		}
	}
	return n
}

// seatFree reports whether one more user may take a licensed seat.
func (s *Server) seatFree() bool {
	return s.cfg.seats == 0 || s.st.seatsUsed() < s.cfg.seats
}

// noSeat is Zoom's answer when the account has no licensed seat left
// (userCreate's and userUpdate's documented 3412); converting names the
// update's wording.
func (s *Server) noSeat(converting bool) *apiError {
	if converting {
		return fail(http.StatusBadRequest, 3412, "Your request to convert the user type of a \"Basic\" user to a \"Licensed\" user was not approved at this time because your account has reached the permitted maximum number of \"%d\" paying users. Please purchase additional licenses or remove existing paying user(s) from your \"Users\" list or the \"Pending Users\" list before attempting to convert a user to a paying user.", s.cfg.seats)
	}
	return fail(http.StatusBadRequest, 3412, "Your request to add a new \"Licensed\" user couldn't be approved at this time because your account has reached the permitted maximum number of \"%d\" paying users. Please purchase additional licenses or contact the Zoom support team to provision additional users in your account.", s.cfg.seats)
}

// SetWebinar gives the user idOrEmail ("me" is the owner) the Webinar
// add-on, or takes it away, as an admin does in Zoom's web portal,
// without events. Only a Licensed user may hold it.
func (s *Server) SetWebinar(idOrEmail string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.lookupUser(idOrEmail, s.st.ownerID)
	if u == nil {
		return fmt.Errorf("zoomtest: SetWebinar: no user %q", idOrEmail)
	}
	if on && u.Type != 2 {
		return errors.New("zoomtest: SetWebinar: the Webinar add-on needs a Licensed user (type 2)")
	}
	u.webinar = on
	return nil
}

// webinarOnlyLicensed is Zoom's answer when the Webinar feature is enabled
// for a user who is not Licensed (userSettingsUpdate's 1122).
func webinarOnlyLicensed() *apiError {
	return fail(http.StatusBadRequest, 1122, "Webinar feature can only be enabled for Licensed or On-prem users.")
}

// PATCH /users/{userId}/settings: feature.webinar gives or takes the
// Webinar add-on (an owner's or admin's act); the rest keeps no state.
func updateUserSettings(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	var req struct {
		Feature *struct {
			Webinar *bool `json:"webinar"`
		} `json:"feature"`
	}
	_ = json.Unmarshal(c.body, &req) // validated against the document already
	if req.Feature != nil && req.Feature.Webinar != nil {
		if c.tok.kind != "account" {
			if me := c.st.userByID(c.me()); me == nil || !isAccountAdmin(me) {
				return failed(noPrivilege())
			}
		}
		if *req.Feature.Webinar && u.Type != 2 {
			return failed(webinarOnlyLicensed())
		}
		u.webinar = *req.Feature.Webinar
	}
	return c.s.cannedHandler(c.info.op)(c)
}

// GET /users/{userId}/settings: the document's answer, with the user's
// Webinar add-on in feature.webinar.
func getUserSettings(c *call) (result, *apiError) {
	u, e := c.user("userId")
	if e != nil {
		return failed(e)
	}
	res, e := c.s.cannedHandler(c.info.op)(c)
	if e != nil {
		return res, e
	}
	raw, isRaw := res.body.(json.RawMessage)
	var body map[string]any
	if !isRaw || json.Unmarshal(raw, &body) != nil {
		return res, nil
	}
	if f, has := body["feature"].(map[string]any); has {
		f["webinar"] = u.webinar
		res.body = body
	}
	return res, nil
}
