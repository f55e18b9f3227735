package scope

import "testing"

func TestNoDuplicates(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Documents() {
		for _, k := range []string{"src " + d.Source, "file " + d.File} {
			if seen[k] {
				t.Errorf("document %s twice", k)
			}
			seen[k] = true
		}
		for _, tag := range d.Tags {
			if !Covers(d.File, tag) {
				t.Errorf("Covers(%q, %q) = false", d.File, tag)
			}
		}
	}
	for _, e := range Events() {
		if seen["event "+e.Name] {
			t.Errorf("event %s twice", e.Name)
		}
		seen["event "+e.Name] = true
	}
	if len(Events()) != 138 { // every event of Zoom's four webhook documents (see webhook's TestEveryDocumentedEventIsTyped)
		t.Errorf("%d events, want 138", len(Events()))
	}
	if got := EventDocuments(); len(got) != 4 || got[0] != "Meetings" || got[2] != "Accounts" || got[3] != "Marketplace" {
		t.Errorf("EventDocuments() = %v", got)
	}
}
