package implement

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// StoredComparison is another region's exchange file imported into an
// implementation, as stored.
type StoredComparison struct {
	ID               int64     `json:"id"`
	ImplementationID int64     `json:"implementation_id"`
	SourceRegion     string    `json:"source_region" doc:"The name of the region that exported the file"`
	SchemaVersion    string    `json:"schema_version"`
	Payload          string    `json:"-"`
	SHA256           string    `json:"sha256" doc:"SHA-256 of the imported file, hex"`
	ImportedBy       string    `json:"imported_by"`
	ImportedAt       time.Time `json:"imported_at"`
}

// Exchange returns the stored file.
func (c StoredComparison) Exchange() (Exchange, error) {
	var x Exchange
	if err := json.Unmarshal([]byte(c.Payload), &x); err != nil {
		return Exchange{}, fmt.Errorf("comparison %d: payload: %w", c.ID, err)
	}
	return x, nil
}

// ComparisonSummary is one imported comparison in a list.
type ComparisonSummary struct {
	StoredComparison
	HealthcareRegion string    `json:"healthcare_region"`
	SupportTitle     string    `json:"support_title"`
	ExportedAt       time.Time `json:"exported_at"`
}

// Imported is the result of an import: the stored comparison and the
// recommendation codes of the file that match none of ours.
type Imported struct {
	Comparison StoredComparison `json:"comparison"`
	Unmatched  []string         `json:"unmatched" doc:"Codes of the file's recommendations without a match here (empty codes as \"\")"`
}

// Export builds the exchange file of an implementation the user may read;
// system names the exporting software and its version.
func (s *Service) Export(ctx context.Context, id int64, system string) (Exchange, error) {
	w, err := s.Workspace(ctx, id)
	if err != nil {
		return Exchange{}, err
	}
	region, hr, err := homeRegion(ctx, s.db)
	if err != nil {
		return Exchange{}, err
	}
	return NewExchange(w, region, hr, system, s.now()), nil
}

// ImportComparison stores another region's exchange file for comparison
// (the working group's step): only a file that passes ParseExchange against
// the implementation's current template, and not the same file twice. On
// any problem nothing is stored.
func (s *Service) ImportComparison(ctx context.Context, id int64, content []byte) (Imported, error) {
	var out Imported
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		t, err := findTemplate(ctx, tx, m.TemplateID)
		if err != nil {
			return nil, err
		}
		x, err := ParseExchange(content, t)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(content)
		c := StoredComparison{ImplementationID: id, SourceRegion: x.Source.Region, SchemaVersion: x.SchemaVersion,
			Payload: string(content), SHA256: hex.EncodeToString(sum[:]), ImportedBy: audit.DisplayName(ctx)}
		switch prev, err := findComparisonBySHA(ctx, tx, id, c.SHA256); {
		case err == nil:
			var dup ExchangeErrors
			dup.add("", "implement.exchange.duplicate", "region", prev.SourceRegion, "date", s.day(prev.ImportedAt))
			return nil, &dup
		case !errors.Is(err, errs.ErrNotFound):
			return nil, err
		}
		recs, err := catalog.RecommendationsIn(ctx, tx, m.SupportID)
		if err != nil {
			return nil, err
		}
		ours := map[string]bool{}
		for _, r := range recs {
			if r.Code != "" {
				ours[r.Code] = true
			}
		}
		out.Unmatched = []string{}
		for _, r := range x.Recommendations {
			if !ours[r.Code] {
				out.Unmatched = append(out.Unmatched, r.Code)
			}
		}
		if c.ID, err = insertComparison(ctx, tx, c, now); err != nil {
			return nil, err
		}
		if out.Comparison, err = findComparison(ctx, tx, id, c.ID); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityComparison, EntityID: c.ID, Action: audit.Create, After: out.Comparison}}, nil
	})
	return out, err
}

func (s *Service) day(t time.Time) string { return date.Of(t, i18n.Stockholm()).String() }

// Comparisons lists the comparisons imported into an implementation the
// user may read, newest first.
func (s *Service) Comparisons(ctx context.Context, id int64) ([]ComparisonSummary, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	cs, err := listComparisons(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	out := make([]ComparisonSummary, 0, len(cs))
	for _, c := range cs {
		x, err := c.Exchange()
		if err != nil {
			return nil, err
		}
		out = append(out, ComparisonSummary{StoredComparison: c, HealthcareRegion: x.Source.HealthcareRegion,
			SupportTitle: x.Support.Title, ExportedAt: x.ExportedAt})
	}
	return out, nil
}

// ComparisonView is an imported comparison beside the implementation's own
// gap analyses.
type ComparisonView struct {
	Comparison StoredComparison `json:"comparison"`
	Ours       Exchange         `json:"ours" doc:"The implementation's own analyses, as it would export them now"`
	Theirs     Exchange         `json:"theirs" doc:"The imported file"`
	Compared
	Rights Rights `json:"-"`
}

// Comparison returns one imported comparison beside the implementation's
// own analyses, if the user may read the implementation.
func (s *Service) Comparison(ctx context.Context, id, cid int64, system string) (ComparisonView, error) {
	ours, err := s.Export(ctx, id, system)
	if err != nil {
		return ComparisonView{}, err
	}
	_, r, err := s.Implementation(ctx, id)
	if err != nil {
		return ComparisonView{}, err
	}
	c, err := findComparison(ctx, s.db, id, cid)
	if err != nil {
		return ComparisonView{}, err
	}
	theirs, err := c.Exchange()
	if err != nil {
		return ComparisonView{}, err
	}
	return ComparisonView{Comparison: c, Ours: ours, Theirs: theirs, Compared: Compare(ours, theirs), Rights: r}, nil
}

// DeleteComparison removes an imported comparison (the working group's step).
func (s *Service) DeleteComparison(ctx context.Context, id, cid int64) error {
	return s.change(ctx, func(tx *db.Tx, _ time.Time) ([]audit.Change, error) {
		if _, err := editable(ctx, tx, id); err != nil {
			return nil, err
		}
		before, err := findComparison(ctx, tx, id, cid)
		if err != nil {
			return nil, err
		}
		if err := deleteComparison(ctx, tx, id, cid); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityComparison, EntityID: cid, Action: audit.Delete, Before: before}}, nil
	})
}
