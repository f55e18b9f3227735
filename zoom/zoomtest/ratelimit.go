package zoomtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Plan is a Zoom account plan, which sets the rate limits
// ([WithRateLimits]).
type Plan string

// Zoom's plans, as its rate-limit tables name them.
const (
	PlanFree     Plan = "free"
	PlanPro      Plan = "pro"
	PlanBusiness Plan = "business" // Business, Education, Enterprise, Partner
)

// limits are one plan's numbers.
type limits struct {
	perSecond map[string]int // per label; RESOURCE-INTENSIVE is per minute
	daily     map[string]int // per label (Free)
	heavyCap  int            // daily cap shared by HEAVY and RESOURCE-INTENSIVE
}

// planLimits returns a plan's numbers.
func planLimits(p Plan) (limits, bool) {
	switch p {
	case PlanFree:
		return limits{
			perSecond: map[string]int{"LIGHT": 4, "MEDIUM": 2, "HEAVY": 1, "RESOURCE-INTENSIVE": 10},
			daily:     map[string]int{"LIGHT": 6000, "MEDIUM": 2000, "HEAVY": 1000, "RESOURCE-INTENSIVE": 30000},
		}, true
	case PlanPro:
		return limits{
			perSecond: map[string]int{"LIGHT": 30, "MEDIUM": 20, "HEAVY": 10, "RESOURCE-INTENSIVE": 10},
			heavyCap:  30000,
		}, true
	case PlanBusiness:
		return limits{
			perSecond: map[string]int{"LIGHT": 80, "MEDIUM": 60, "HEAVY": 40, "RESOURCE-INTENSIVE": 20},
			heavyCap:  60000,
		}, true
	}
	return limits{}, false
}

// rateState counts requests.
type rateState struct {
	window  map[string]int64 // label -> current window (second, or minute)
	inWin   map[string]int   // label -> requests in the window
	day     string           // current UTC date
	daily   map[string]int   // label -> requests today
	heavy   int              // HEAVY + RESOURCE-INTENSIVE today
	perUser map[string]int   // host user id -> meeting/webinar creates and updates today
	perOp   map[string]int   // userCreate (action create), groupCreate -> requests today
	storm   int              // 429s left to answer
}

func (r *rateState) init() {
	r.window = map[string]int64{}
	r.inWin = map[string]int{}
	r.daily = map[string]int{}
	r.perUser = map[string]int{}
	r.perOp = map[string]int{}
}

// categoryName is the X-RateLimit-Category value for a label.
func categoryName(label string) string {
	switch label {
	case "RESOURCE-INTENSIVE":
		return "Resource-intensive"
	default:
		return strings.ToUpper(label[:1]) + strings.ToLower(label[1:])
	}
}

const (
	msgPerSecond = "You have reached the maximum per-second rate limit for this API. Try again later."
	msgDaily     = "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."
)

// dailyMeetingOps are counted against the host's daily create/update
// limit.
func isMeetingWrite(opID string) bool {
	switch opID {
	case "meetingCreate", "meetingUpdate", "webinarCreate", "webinarUpdate":
		return true
	}
	return false
}

// checkRate applies rate limits and 429 storms; s.mu is held. It sets the
// rate-limit headers on h.
func (s *Server) checkRate(h http.Header, info *opInfo, body []byte, params map[string]string, tok *accessToken, now time.Time) *apiError {
	rs := &s.st.rate
	if rs.storm > 0 {
		rs.storm--
		h.Set("X-RateLimit-Category", categoryName(info.label))
		h.Set("X-RateLimit-Type", "QPS")
		return fail(http.StatusTooManyRequests, 429, msgPerSecond)
	}
	// Counted per account, on its plan.
	acct := s.st.accountOf(s.st.userByID(tok.actingUser(s.st)))
	rs, plan := acct.rate, acct.plan
	if plan == "" {
		return nil
	}
	lim, _ := planLimits(plan)
	label := info.label
	h.Set("X-RateLimit-Category", categoryName(label))
	utc := now.UTC()
	day := utc.Format("2006-01-02")
	if rs.day != day {
		rs.day = day
		rs.daily = map[string]int{}
		rs.heavy = 0
		rs.perUser = map[string]int{}
		rs.perOp = map[string]int{}
	}
	midnight := time.Date(utc.Year(), utc.Month(), utc.Day()+1, 0, 0, 0, 0, time.UTC)

	// Daily limits of the plan.
	if d, ok := lim.daily[label]; ok {
		if rs.daily[label] >= d {
			h.Set("X-RateLimit-Type", "Daily-limit")
			h.Set("X-RateLimit-Limit", strconv.Itoa(d))
			h.Set("X-RateLimit-Remaining", "0")
			h.Set("Retry-After", midnight.Format(time.RFC3339))
			return fail(http.StatusTooManyRequests, 429, msgDaily)
		}
	}
	heavy := label == "HEAVY" || label == "RESOURCE-INTENSIVE"
	if heavy && lim.heavyCap > 0 && rs.heavy >= lim.heavyCap {
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.heavyCap))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", midnight.Format(time.RFC3339))
		return fail(http.StatusTooManyRequests, 429, msgDaily)
	}

	// Per-second (per-minute for RESOURCE-INTENSIVE) limits.
	win := utc.Unix()
	if label == "RESOURCE-INTENSIVE" {
		win /= 60
	}
	if rs.window[label] != win {
		rs.window[label] = win
		rs.inWin[label] = 0
	}
	qps := lim.perSecond[label]
	if rs.inWin[label] >= qps {
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", strconv.Itoa(qps))
		h.Set("X-RateLimit-Remaining", "0")
		return fail(http.StatusTooManyRequests, 429, msgPerSecond)
	}

	// The host's daily meeting create/update limit.
	if isMeetingWrite(info.op.ID) {
		if host := s.hostOf(info.op.ID, params, tok); host != "" {
			n := s.cfg.dailyMeetingLimit
			if n == 0 {
				n = 100
			}
			if rs.perUser[host] >= n {
				h.Set("X-RateLimit-Limit", strconv.Itoa(lim.daily["LIGHT"]+lim.perSecond["LIGHT"]))
				return fail(http.StatusTooManyRequests, 429,
					"You have exceeded the daily rate limit (%d) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.", n)
			}
			rs.perUser[host]++
		}
	}

	// Per-operation daily limits: users created with action "create" (by
	// plan) and groups created (100 per account).
	if n, ok := opDailyLimit(plan, info.op.ID, body); ok {
		if rs.perOp[info.op.ID] >= n {
			h.Set("X-RateLimit-Type", "Daily-limit")
			h.Set("Retry-After", midnight.Format(time.RFC3339))
			return fail(http.StatusTooManyRequests, 429, msgDaily)
		}
		rs.perOp[info.op.ID]++
	}

	rs.inWin[label]++
	rs.daily[label]++
	if heavy {
		rs.heavy++
	}
	if d, ok := lim.daily[label]; ok {
		h.Set("X-RateLimit-Limit", strconv.Itoa(d))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(d-rs.daily[label]))
	} else if heavy && lim.heavyCap > 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.heavyCap))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.heavyCap-rs.heavy))
	} else {
		h.Set("X-RateLimit-Limit", strconv.Itoa(qps))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(qps-rs.inWin[label]))
	}
	return nil
}

// hostOf names the user a meeting write is counted against.
func (s *Server) hostOf(opID string, params map[string]string, tok *accessToken) string {
	switch opID {
	case "meetingCreate", "webinarCreate":
		if u := s.st.lookupUser(decodeParam(params["userId"]), tok.actingUser(s.st)); u != nil {
			return u.ID
		}
	default:
		id := params["meetingId"]
		if id == "" {
			id = params["webinarId"]
		}
		if m, _ := s.st.findMeeting(decodeParam(id)); m != nil {
			return m.HostID
		}
	}
	return ""
}

// opDailyLimit returns the daily limit of an operation that has its own.
func opDailyLimit(plan Plan, opID string, body []byte) (int, bool) {
	switch opID {
	case "groupCreate":
		return 100, true
	case "userCreate":
		var b struct {
			Action string `json:"action"`
		}
		if json.Unmarshal(body, &b) != nil || b.Action != "create" {
			return 0, false
		}
		switch plan {
		case PlanFree:
			return 50, true
		case PlanPro:
			return 1500, true
		default:
			return 10000, true
		}
	}
	return 0, false
}
