// Package spec embeds the trimmed copies of Zoom's OpenAPI documents that the
// zoom package is generated from, and validates requests and responses
// against them. The tests of package zoom and the fake Zoom server
// (zoom/zoomtest) use it, so both hold the client to the same documents.
//
// The documents are made from Zoom's API-hub documents by
// internal/gen/trimspec (see there); they keep Zoom's text unchanged. Which
// documents and tags they hold is declared once, in internal/gen/scope.
package spec

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/zoomkit/zoomkit/internal/gen/scope"
)

//go:embed *.json
var files embed.FS

// Files names the embedded documents, in a fixed order (the scope's).
var Files = scope.Files()

// InScope reports whether the operations tagged tag in the document file
// (one of Files) are covered by package zoom: the trimmed documents keep
// only operations with such a tag, though an operation may carry others.
func InScope(file, tag string) bool { return scope.Covers(file, tag) }

// Data returns the bytes of the embedded document name (one of Files).
func Data(name string) ([]byte, error) { return files.ReadFile(name) }

// Operation is one operation of the documents.
type Operation struct {
	File   string // document (one of Files)
	Method string // upper-case HTTP method
	Path   string // path template, such as /meetings/{meetingId}
	ID     string // operationId
	Tags   []string
	Doc    *openapi3.T
	Item   *openapi3.PathItem
	Op     *openapi3.Operation

	segs []string
}

// Spec is the parsed documents.
type Spec struct {
	Docs       map[string]*openapi3.T
	Operations []*Operation // sorted by path, then method
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load parses the embedded documents (once; the result is shared and must
// not be modified).
func Load() (*Spec, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func load() (*Spec, error) {
	s := &Spec{Docs: map[string]*openapi3.T{}}
	for _, f := range Files {
		data, err := files.ReadFile(f)
		if err != nil {
			return nil, err
		}
		l := openapi3.NewLoader()
		doc, err := l.LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("spec: %s: %w", f, err)
		}
		s.Docs[f] = doc
		for path, item := range doc.Paths.Map() {
			for _, m := range methods {
				op := item.GetOperation(m)
				if op == nil {
					continue
				}
				s.Operations = append(s.Operations, &Operation{
					File: f, Method: m, Path: path, ID: op.OperationID, Tags: op.Tags,
					Doc: doc, Item: item, Op: op, segs: strings.Split(strings.Trim(path, "/"), "/"),
				})
			}
		}
	}
	slices.SortFunc(s.Operations, func(a, b *Operation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return s, nil
}

// Find returns the operation for method and an (escaped) request path
// relative to the API base (such as "/meetings/85746065"), with its path
// parameters, unescaped. Literal segments win over parameters, so
// /users/email is not /users/{userId}.
func (s *Spec) Find(method, escapedPath string) (*Operation, map[string]string, error) {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	var best *Operation
	bestScore := -1
	var bestParams map[string]string
	for _, op := range s.Operations {
		if op.Method != method || len(op.segs) != len(segs) {
			continue
		}
		score := 0
		params := map[string]string{}
		ok := true
		for i, t := range op.segs {
			if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
				params[t[1:len(t)-1]] = segs[i]
				continue
			}
			if t != segs[i] {
				ok = false
				break
			}
			score++
		}
		if ok && score > bestScore {
			best, bestScore, bestParams = op, score, params
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("spec: no operation for %s %s", method, escapedPath)
	}
	return best, bestParams, nil
}

// ByID returns the operation with the given operationId, or nil.
func (s *Spec) ByID(id string) *Operation {
	for _, op := range s.Operations {
		if op.ID == id {
			return op
		}
	}
	return nil
}

// Route returns the kin-openapi route of op.
func (op *Operation) Route() *routers.Route {
	return &routers.Route{Spec: op.Doc, Path: op.Path, PathItem: op.Item, Method: op.Method, Operation: op.Op}
}

// ValidateRequest validates r (its body is read and replaced) against the
// operation its method and path name. basePath is the part of the URL path
// before the API paths ("/v2" for https://api.zoom.us/v2). Authentication
// is not checked. It returns the operation found.
func (s *Spec) ValidateRequest(ctx context.Context, r *http.Request, basePath string) (*Operation, error) {
	p := r.URL.EscapedPath()
	if !strings.HasPrefix(p, basePath) {
		return nil, fmt.Errorf("spec: path %q is not under %q", p, basePath)
	}
	op, params, err := s.Find(r.Method, strings.TrimPrefix(p, basePath))
	if err != nil {
		return nil, err
	}
	for k, v := range params {
		// Zoom double-encodes some UUIDs; the validator sees one decoding.
		if u, err := unescape(v); err == nil {
			params[k] = u
		}
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      op.Route(),
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return op, fmt.Errorf("spec: %s %s (%s): %w", op.Method, op.Path, op.ID, err)
	}
	return op, nil
}

// ValidateResponse validates a JSON response body for op and status against
// the documents. A status the operation does not document is not an
// error.
func (s *Spec) ValidateResponse(ctx context.Context, op *Operation, status int, body []byte) error {
	req, _ := http.NewRequestWithContext(ctx, op.Method, "https://api.zoom.us/v2"+op.Path, nil)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   op.Route(),
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: status,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			MultiError: true,
		},
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return fmt.Errorf("spec: response %d of %s %s (%s): %w", status, op.Method, op.Path, op.ID, err)
	}
	return nil
}

func unescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			var v byte
			for _, c := range []byte(s[i+1 : i+3]) {
				v <<= 4
				switch {
				case '0' <= c && c <= '9':
					v |= c - '0'
				case 'a' <= c && c <= 'f':
					v |= c - 'a' + 10
				case 'A' <= c && c <= 'F':
					v |= c - 'A' + 10
				default:
					return "", fmt.Errorf("bad escape in %q", s)
				}
			}
			b.WriteByte(v)
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), nil
}
