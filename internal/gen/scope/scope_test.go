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
	if len(Events()) != 36 {
		t.Errorf("%d events, want 36", len(Events()))
	}
	if got := EventDocuments(); len(got) != 3 || got[0] != "Meetings" || got[2] != "Marketplace" {
		t.Errorf("EventDocuments() = %v", got)
	}
}
