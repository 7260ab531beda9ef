package implement

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/chart"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// reportRoutes registers the compiled report (printable page, DOCX, PDF)
// and the summary page.
func (h *handler) reportRoutes() {
	s := h.web
	s.Handle("GET /inforande/{id}/rapport", Read, h.reportPage)
	s.Handle("GET /inforande/{id}/rapport.docx", Read, h.reportFile(doc.ServeDOCX, ".docx"))
	s.Handle("GET /inforande/{id}/rapport.pdf", Read, h.reportFile(doc.ServePDF, ".pdf"))
	s.Handle("GET /inforande/{id}/sammanfattning", Read, h.summaryPage)
	s.Handle("POST /inforande/{id}/sammanfattning", Read, h.saveSummary)
}

// reportTrFor is a catalogue lookup in the request's language.
func (h *handler) reportTrFor(r *http.Request) reportTr {
	loc := web.LocaleFrom(r.Context())
	return func(key string, args ...any) string { return h.web.Catalog().T(loc, key, args...) }
}

// reportFile serves an implementation's report with serve.
func (h *handler) reportFile(serve func(http.ResponseWriter, string, doc.Document) error, ext string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		rep, err := h.svc.Report(r.Context(), id)
		if err != nil {
			return err
		}
		return serve(w, ReportFileName(id, ext), ReportDocument(rep, h.reportTrFor(r), web.LocaleFrom(r.Context())))
	}
}

// ReportBlock is one part of the report as the page shows it: a heading
// (Level 2 or 3), a paragraph (its lines), a list, a table or a chart.
type ReportBlock struct {
	Level int
	Text  string
	Lines []string
	Items []string
	Table *ReportTable
	Chart template.HTML
}

// ReportTable is a table of the report as the page shows it.
type ReportTable struct {
	Caption string
	Headers []string
	Rows    [][][]string // rows of cells of lines
}

// ReportPage is the data of the printable report page.
type ReportPage struct {
	Report Report
	Doc    doc.Document
	Blocks []ReportBlock
}

// reportLines splits a text into its lines.
func reportLines(s string) []string { return strings.Split(s, "\n") }

func reportCellText(c doc.Cell, loc i18n.Locale) string {
	switch c.Kind {
	case doc.KindInt:
		return i18n.FormatInt(loc, c.Int)
	case doc.KindDate:
		if c.Date.IsZero() {
			return ""
		}
		return c.Date.String()
	}
	return c.Text
}

// reportBlocks turns the document's blocks into the page's, with the
// timeline charts after the table of actions.
func reportBlocks(d doc.Document, charts []template.HTML, actionsTitle string, loc i18n.Locale) []ReportBlock {
	var out []ReportBlock
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case doc.Heading:
			out = append(out, ReportBlock{Level: min(b.Level, 2) + 1, Text: b.Text})
		case doc.Paragraph:
			out = append(out, ReportBlock{Lines: reportLines(b.Text)})
		case doc.BulletList:
			out = append(out, ReportBlock{Items: b.Items})
		case doc.Table:
			t := &ReportTable{Caption: b.Title}
			for _, c := range b.Columns {
				t.Headers = append(t.Headers, c.Header)
			}
			for _, row := range b.Rows {
				cells := make([][]string, len(row))
				for i, c := range row {
					cells[i] = reportLines(reportCellText(c, loc))
				}
				t.Rows = append(t.Rows, cells)
			}
			out = append(out, ReportBlock{Table: t})
			if b.Title == actionsTitle {
				for _, c := range charts {
					out = append(out, ReportBlock{Chart: c})
				}
			}
		}
	}
	return out
}

// maxTimelineYears bounds the charts of the report page.
const maxTimelineYears = 5

// reportTimelines draws the actions (not cancelled) on one timeline per
// year from the first start to the last due date, at most maxTimelineYears.
func reportTimelines(w Workspace, tr reportTr, loc i18n.Locale) ([]template.HTML, error) {
	var acts []Action
	first, last := 0, 0
	for _, a := range w.Actions {
		if a.Status == ActionCancelled || a.Start.IsZero() {
			continue
		}
		acts = append(acts, a)
		if first == 0 || a.Start.Year() < first {
			first = a.Start.Year()
		}
		last = max(last, a.Due.Year(), a.Start.Year())
	}
	var out []template.HTML
	for y := first; len(acts) > 0 && y <= last && y < first+maxTimelineYears; y++ {
		tl := chart.Timeline{ID: "timeline-" + reportInt(y), Title: tr("implement.report.timeline", "year", reportInt(y)), Year: y,
			Today: w.Today, Locale: loc}
		for _, a := range acts {
			if a.Start.Year() > y || (!a.Due.IsZero() && a.Due.Year() < y) {
				continue
			}
			tl.Bars = append(tl.Bars, chart.Bar{Label: a.Title, Start: a.Start, End: a.Due,
				Status: tr("implement.report.action_status." + string(a.Status)), Late: a.Overdue(w.Today)})
		}
		svg, err := tl.SVG()
		if err != nil {
			return nil, err
		}
		out = append(out, svg)
	}
	return out, nil
}

func (h *handler) reportPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rep, err := h.svc.Report(r.Context(), id)
	if err != nil {
		return err
	}
	loc := web.LocaleFrom(r.Context())
	tr := h.reportTrFor(r)
	d := ReportDocument(rep, tr, loc)
	charts, err := reportTimelines(rep.Workspace, tr, loc)
	if err != nil {
		return err
	}
	data := ReportPage{Report: rep, Doc: d, Blocks: reportBlocks(d, charts, tr("implement.report.actions"), loc)}
	return h.render(w, r, http.StatusOK, "report_page", "implement.report.page_title", data, "title", rep.Support.Title)
}

// SummaryPage is the data of the summary page: the summary as accepted,
// a machine draft waiting for a person, and the forms of the working group.
type SummaryPage struct {
	Workspace Workspace
	SummaryOn date.Date
	CanEdit   bool // a member of the working group (or the coordinator), not yet introduced
	CanDraft  bool // and a drafter is configured
	Form      *web.Form
	Conflict  bool
}

// summaryFields orders the error summary as the page shows the forms.
var summaryFields = []string{"conflict", "draft_text", "draft", "text", "action", "version"}

func (h *handler) summaryData(r *http.Request, id int64, form *web.Form) (SummaryPage, error) {
	rep, err := h.svc.Report(r.Context(), id)
	if err != nil {
		return SummaryPage{}, err
	}
	m := rep.Implementation
	p := SummaryPage{Workspace: rep.Workspace, SummaryOn: rep.SummaryOn, Form: form,
		CanEdit: rep.Rights.Edit && m.IntroducedOn.IsZero(), Conflict: form.ErrorFor("conflict") != nil}
	p.CanDraft = p.CanEdit && h.svc.CanDraft()
	if form.Get("version") == "" {
		form.SetVersion(m.Version)
	}
	if _, ok := form.Values["text"]; !ok {
		form.Set("text", m.Summary)
	}
	if _, ok := form.Values["draft_text"]; !ok {
		form.Set("draft_text", m.SummaryDraft)
	}
	form.SortErrors(summaryFields...)
	return p, nil
}

func (h *handler) renderSummary(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) error {
	data, err := h.summaryData(r, id, form)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "summary_page", "implement.report.summary_title", data, "title", data.Workspace.Support.Title)
}

func (h *handler) summaryPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderSummary(w, r, http.StatusOK, id, web.NewForm())
}

func (h *handler) saveSummary(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	action := form.Get("action")
	var flash string
	switch action {
	case "draft":
		_, err = h.svc.DraftSummary(ctx, id, version)
		flash = "implement.report.drafted"
	case string(SummaryAccept):
		_, err = h.svc.SaveSummary(ctx, id, SummaryInput{Action: SummaryAccept, Text: form.Get("draft_text"), Version: version})
		flash = "implement.report.accepted"
	case string(SummaryDiscard):
		_, err = h.svc.SaveSummary(ctx, id, SummaryInput{Action: SummaryDiscard, Version: version})
		flash = "implement.report.discarded"
	default:
		_, err = h.svc.SaveSummary(ctx, id, SummaryInput{Action: SummarySave, Text: form.Get("text"), Version: version})
		flash = "implement.report.saved"
	}
	if err == nil {
		h.web.AddFlash(r, "success", flash)
		return web.Redirect(w, r, "/inforande/"+web.IDText(id)+"/sammanfattning")
	}
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, errs.ErrConflict):
		form.AddError("conflict", "implement.report.conflict")
		form.Values.Del("version")
		status = http.StatusConflict
	case errors.Is(err, ErrNoDrafter):
		form.AddError("draft", "implement.report.no_drafter")
		status = http.StatusServiceUnavailable
	case isUnavailable(err):
		h.web.Logger().WarnContext(ctx, "drafting a summary failed", "implementation", id, "error", err.Error())
		form.AddError("draft", "implement.report.draft_failed")
		status = http.StatusServiceUnavailable
	default:
		v, ok := errs.AsValidation(err)
		if !ok {
			return err
		}
		for _, f := range v.Fields {
			if f.Name == "text" && (action == string(SummaryAccept) || action == string(SummaryDiscard)) {
				f.Name = "draft_text"
			}
			form.AddError(f.Name, f.Key, f.Args...)
		}
	}
	return h.renderSummary(w, r, status, id, form)
}
