package webhook

// The generated payload types that hold a secret (a password, a host key,
// a recording passcode, a pwd in a join URL) print through redacted copies:
// see their LogValue and Format methods in events_gen.go.

// redactor is a generated type that holds a secret.
type redactor[T any] interface{ redacted() T }

func redactSlice[T redactor[T]](s []T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = v.redacted()
	}
	return out
}

// redactEach returns a copy of s with f applied to each element: the redacted copy of a list of
// zoom models that an event reuses (see redactZoom* in events_gen.go).
func redactEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
