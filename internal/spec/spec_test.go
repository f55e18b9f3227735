package spec

import "testing"

func TestLoad(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Operations); got != 183 {
		t.Errorf("operations = %d, want 183", got)
	}
	op, params, err := s.Find("GET", "/users/email")
	if err != nil || op.ID != "userEmail" || len(params) != 0 {
		t.Errorf("Find(/users/email) = %v, %v, %v", op, params, err)
	}
	op, params, err = s.Find("GET", "/meetings/123")
	if err != nil || op.ID != "meeting" || params["meetingId"] != "123" {
		t.Errorf("Find(/meetings/123) = %v, %v, %v", op, params, err)
	}
	if s.ByID("meetingCreate") == nil {
		t.Error("ByID(meetingCreate) = nil")
	}
}
