package tabular

import "testing"

func TestNewPreview(t *testing.T) {
	t.Parallel()
	var c Counts
	c.Rows, c.New, c.Changed, c.Unchanged = 700, 600, 50, 50
	for i := range PreviewShown + 3 {
		c.Errors.Add(i+2, "namn", "validation.required")
	}
	p := NewPreview(c, "personer.csv", "org.import.stale")
	if p.OK || p.ErrorCount != PreviewShown+3 || len(p.Errors) != PreviewShown || p.MoreErrors != 3 {
		t.Errorf("errors: ok %v count %d shown %d more %d", p.OK, p.ErrorCount, len(p.Errors), p.MoreErrors)
	}
	if p.Counts.Rows != 700 || p.Counts.New != 600 || p.Filename != "personer.csv" || p.StaleKey != "org.import.stale" || p.Stale {
		t.Errorf("preview = %+v", p)
	}
	if ok := NewPreview(Counts{Rows: 1, New: 1}, "", "").OK; !ok {
		t.Error("a file without problems is not OK")
	}
	tests := []struct {
		n, shown, more int
	}{{0, 0, 0}, {PreviewShown, PreviewShown, 0}, {PreviewShown + 1, PreviewShown, 1}}
	for _, tt := range tests {
		shown, more := Capped(make([]int, tt.n))
		if len(shown) != tt.shown || more != tt.more {
			t.Errorf("Capped(%d) = %d, %d; want %d, %d", tt.n, len(shown), more, tt.shown, tt.more)
		}
	}
}
