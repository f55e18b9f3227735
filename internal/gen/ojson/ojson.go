// Package ojson decodes and encodes JSON documents keeping the order of
// object members, which encoding/json's maps lose. The generator and the
// spec trimmer use it so that generated structs list fields in the order of
// the OpenAPI documents.
package ojson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Kind is the JSON type of a Node.
type Kind int

// The JSON kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Member is one member of an object.
type Member struct {
	Key   string
	Value *Node
}

// Node is a JSON value.
type Node struct {
	Kind    Kind
	Bool    bool
	Number  json.Number
	String  string
	Array   []*Node
	Members []Member
}

// Parse decodes one JSON document.
func Parse(data []byte) (*Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := parse(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("ojson: trailing data after document")
	}
	return n, nil
}

func parse(dec *json.Decoder) (*Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &Node{Kind: Null}, nil
	case bool:
		return &Node{Kind: Bool, Bool: t}, nil
	case json.Number:
		return &Node{Kind: Number, Number: t}, nil
	case string:
		return &Node{Kind: String, String: t}, nil
	case json.Delim:
		switch t {
		case '[':
			n := &Node{Kind: Array}
			for dec.More() {
				c, err := parse(dec)
				if err != nil {
					return nil, err
				}
				n.Array = append(n.Array, c)
			}
			_, err := dec.Token()
			return n, err
		case '{':
			n := &Node{Kind: Object}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				c, err := parse(dec)
				if err != nil {
					return nil, err
				}
				n.Members = append(n.Members, Member{Key: kt.(string), Value: c})
			}
			_, err := dec.Token()
			return n, err
		}
	}
	return nil, fmt.Errorf("ojson: unexpected token %v", tok)
}

// Get returns the member named key of an object, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// Path follows keys from n; nil when one is missing.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
	}
	return n
}

// Str returns the string member key, or "".
func (n *Node) Str(key string) string {
	if c := n.Get(key); c != nil && c.Kind == String {
		return c.String
	}
	return ""
}

// Truthy reports whether member key is the boolean true.
func (n *Node) Truthy(key string) bool {
	c := n.Get(key)
	return c != nil && c.Kind == Bool && c.Bool
}

// Interface converts n to encoding/json's generic values (numbers as
// json.Number).
func (n *Node) Interface() any {
	switch n.Kind {
	case Bool:
		return n.Bool
	case Number:
		return n.Number
	case String:
		return n.String
	case Array:
		a := make([]any, len(n.Array))
		for i, c := range n.Array {
			a[i] = c.Interface()
		}
		return a
	case Object:
		m := make(map[string]any, len(n.Members))
		for _, mb := range n.Members {
			m[mb.Key] = mb.Value.Interface()
		}
		return m
	}
	return nil
}

// Encode writes n as indented JSON (one space per level), members in order.
func (n *Node) Encode(w *bytes.Buffer, indent int) {
	pad := func(d int) {
		w.WriteByte('\n')
		for range d {
			w.WriteByte(' ')
		}
	}
	switch n.Kind {
	case Null:
		w.WriteString("null")
	case Bool:
		w.WriteString(strconv.FormatBool(n.Bool))
	case Number:
		w.WriteString(n.Number.String())
	case String:
		writeString(w, n.String)
	case Array:
		if len(n.Array) == 0 {
			w.WriteString("[]")
			return
		}
		w.WriteByte('[')
		for i, c := range n.Array {
			if i > 0 {
				w.WriteByte(',')
			}
			pad(indent + 1)
			c.Encode(w, indent+1)
		}
		pad(indent)
		w.WriteByte(']')
	case Object:
		if len(n.Members) == 0 {
			w.WriteString("{}")
			return
		}
		w.WriteByte('{')
		for i, m := range n.Members {
			if i > 0 {
				w.WriteByte(',')
			}
			pad(indent + 1)
			writeString(w, m.Key)
			w.WriteString(": ")
			m.Value.Encode(w, indent+1)
		}
		pad(indent)
		w.WriteByte('}')
	}
}

func writeString(w *bytes.Buffer, s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	w.Write(bytes.TrimRight(b.Bytes(), "\n"))
}

// Elems returns the elements of the array member key (nil if absent).
func (n *Node) Elems(key string) []*Node {
	if c := n.Get(key); c != nil {
		return c.Array
	}
	return nil
}

// Fields returns the members of the object member key (nil if absent).
func (n *Node) Fields(key string) []Member {
	if c := n.Get(key); c != nil {
		return c.Members
	}
	return nil
}
