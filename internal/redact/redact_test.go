package redact

import (
	"fmt"
	"testing"
)

func TestURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"https://zoom.us/j/123":                "https://zoom.us/j/123",
		"https://zoom.us/j/123?pwd=abc":        "https://zoom.us/j/123?pwd=REDACTED",
		"https://zoom.us/j/123?pwd=abc#ok":     "https://zoom.us/j/123?pwd=REDACTED#ok",
		"https://zoom.us/j/1?from=addon&PWD=a": "https://zoom.us/j/1?from=addon&PWD=REDACTED",
		"https://zoom.us/w/1?tk=t.k&uname=ann": "https://zoom.us/w/1?tk=REDACTED&uname=ann",
		"https://zoom.us/s/1?zak=z&x":          "https://zoom.us/s/1?zak=REDACTED&x",
		"https://x/d?access_token=a&token=b":   "https://x/d?access_token=REDACTED&token=REDACTED",
		"https://zoom.us/j/1?pwd=&pwdx=1":      "https://zoom.us/j/1?pwd=&pwdx=1",
		"https://zoom.us/j/1?pwd=REDACTED":     "https://zoom.us/j/1?pwd=REDACTED",
		"not a url ? pwd=x":                    "not a url ? pwd=x",
	} {
		if got := URL(in); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestString(t *testing.T) {
	if String("") != "" || String("x") != Text {
		t.Fatal(String(""), String("x"))
	}
}

type thing struct{ A, B string }

type thingView thing

func (x thing) Format(f fmt.State, verb rune) {
	Format(f, verb, "redact.thing", thingView{A: x.A, B: String(x.B)})
}

func TestFormat(t *testing.T) {
	x := thing{"a", "secret"}
	for verb, want := range map[string]string{
		"%v":   "{a REDACTED}",
		"%+v":  "{A:a B:REDACTED}",
		"%#v":  `redact.thing{A:"a", B:"REDACTED"}`,
		"%s":   "{a REDACTED}",
		"%12v": "{           a     REDACTED}",
		"%q":   `{"a" "REDACTED"}`,
	} {
		if got := fmt.Sprintf(verb, x); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
		if got := fmt.Sprintf(verb, &x); got != want {
			t.Errorf("%s of a pointer: %q, want %q", verb, got, want)
		}
	}
}
