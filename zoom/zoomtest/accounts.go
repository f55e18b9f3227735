package zoomtest

import (
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
