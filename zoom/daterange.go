package zoom

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// dateRule is Zoom's documented window for an operation's from/to dates.
type dateRule struct {
	required bool // from and to must be given
	maxDays  int  // 0: the range may span at most one calendar month
	lookback int  // from must be within this many months before today (0: no limit)
	notToday bool // data is complete only up to yesterday
}

// checkDateRange refuses a from/to window outside the operation's
// documented limits. q is the operation's query options (a pointer to a
// struct whose fields tagged url:"from" and url:"to" are Dates), possibly nil.
func checkDateRange(op *operation, q any, now time.Time) error {
	rule, ok := dateRules[op.ID]
	if !ok {
		return nil
	}
	from, to := dateFields(q)
	if from.IsZero() || to.IsZero() {
		if rule.required {
			return &ArgumentError{Operation: op.ID, Arg: "from/to", Reason: "are required (dates, at most one month apart)"}
		}
		if from.IsZero() && to.IsZero() {
			return nil
		}
	}
	today := DateOf(now.UTC())
	if !from.IsZero() && !to.IsZero() {
		if to.Before(from) {
			return &ArgumentError{Operation: op.ID, Arg: "to", Reason: fmt.Sprintf("(%s) is before from (%s)", to, from)}
		}
		limit := DateOf(from.Time(time.UTC).AddDate(0, 1, 0))
		what := "one month"
		if rule.maxDays > 0 {
			limit = from.AddDays(rule.maxDays)
			what = fmt.Sprintf("%d days", rule.maxDays)
		}
		if limit.Before(to) {
			return &ArgumentError{Operation: op.ID, Arg: "from/to", Reason: fmt.Sprintf("span %s to %s: Zoom allows at most %s per request", from, to, what)}
		}
	}
	if rule.lookback > 0 && !from.IsZero() {
		oldest := DateOf(today.Time(time.UTC).AddDate(0, -rule.lookback, 0))
		if from.Before(oldest) {
			return &ArgumentError{Operation: op.ID, Arg: "from", Reason: fmt.Sprintf("(%s) is more than %d months ago: Zoom keeps this report for %d months", from, rule.lookback, rule.lookback)}
		}
	}
	if rule.notToday && !to.IsZero() && !to.Before(today) {
		return &ArgumentError{Operation: op.ID, Arg: "to", Reason: fmt.Sprintf("(%s) must be before today: this report covers days up to yesterday", to)}
	}
	return nil
}

// dateFields finds the Date fields tagged url:"from" and url:"to" in q.
func dateFields(q any) (from, to Date) {
	v := reflect.ValueOf(q)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("url"), ",")
		d, ok := v.Field(i).Interface().(Date)
		if !ok {
			continue
		}
		switch name {
		case "from":
			from = d
		case "to":
			to = d
		}
	}
	return
}
