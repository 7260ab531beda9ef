package tabular

// Counts are what an import found in a file: its data rows, how many of
// them add, change or leave a record as it is, every problem by row (a file
// with any is not imported), and whether it was written.
type Counts struct {
	Rows      int // data rows in the file
	New       int
	Changed   int
	Unchanged int
	Errors    Errors
	Committed bool
}

// OK reports whether the file can be imported as it is.
func (c Counts) OK() bool { return c.Errors.Len() == 0 }

// PreviewShown is how many problems and changes a preview page lists; the
// rest are counted, and the API returns them all.
const PreviewShown = 500

// Preview is what every import's preview page shows, for the shared
// "importcounts" and "importerrors" page partials: the counts (int64 for the
// templates' num), the first problems and how many more there are, and, when
// a confirmation failed because the data changed since the preview, the
// message that says so.
type Preview struct {
	Filename   string
	Counts     struct{ Rows, New, Changed, Unchanged int64 }
	OK         bool
	ErrorCount int
	Errors     []RowError
	MoreErrors int
	Stale      bool   // a confirmation failed: the file no longer passes against the data as it is now
	StaleKey   string // the message of a stale preview, naming what changed
}

// NewPreview lays out c for a preview page; staleKey is the message shown
// when the preview is marked Stale.
func NewPreview(c Counts, filename, staleKey string) Preview {
	p := Preview{Filename: filename, OK: c.OK(), ErrorCount: c.Errors.Len(), StaleKey: staleKey}
	p.Counts.Rows, p.Counts.New, p.Counts.Changed, p.Counts.Unchanged = int64(c.Rows), int64(c.New), int64(c.Changed), int64(c.Unchanged)
	p.Errors, p.MoreErrors = Capped(c.Errors.List)
	return p
}

// Capped returns the first PreviewShown items of list and how many more
// there are.
func Capped[T any](list []T) ([]T, int) {
	if len(list) <= PreviewShown {
		return list, 0
	}
	return list[:PreviewShown], len(list) - PreviewShown
}
