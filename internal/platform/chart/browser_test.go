package chart_test

import (
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/chart"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// chartPage is a page like the app's, with each chart in a figure beside its
// table.
var chartPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Diagram</title>
<link rel="stylesheet" href="/app.css"></head>
<body><main class="wrap" id="main"><h1>Diagram</h1>
{{range .}}<section><h2>{{.Title}}</h2><div class="chart-figure">{{.SVG}}<div class="table-scroll">{{.Table}}</div></div></section>
{{end}}</main></body></html>`))

type figure struct {
	Title string
	SVG   template.HTML
	Table template.HTML
}

// TestBrowser_ChartsWithTablesHaveNoViolations renders both charts, full and
// empty, with their tables in Chromium and runs axe-core on the page.
func TestBrowser_ChartsWithTablesHaveNoViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	css, err := os.ReadFile("../web/static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	target := 80.0
	run := chart.RunChart{
		ID: "serie", Title: "Andel med uppföljning inom 14 dagar", X: "Månad", Y: chart.Axis{Title: "Andel (%)"},
		Median: true, Target: &target, Locale: i18n.SV,
	}
	for i, v := range []float64{61.5, 64.2, 58.9, 66.1, 63.3, 65, 62.8, 70.4, 72.25, 74.1, 73.6, 75.9, 77.2, 76.8} {
		run.Points = append(run.Points, chart.RunPoint{Label: fmt.Sprintf("2026-%02d", i%12+1), Value: v})
	}
	matrix := chart.Scatter{
		ID: "matris", Title: "Viktighet och genomförbarhet", Locale: i18n.SV,
		X: chart.Axis{Title: "Genomförbarhet", Min: 1, Max: 5, Step: 1},
		Y: chart.Axis{Title: "Viktighet", Min: 1, Max: 5, Step: 1},
		Points: []chart.Point{
			{Label: "Hjärtsvikt", X: 4.25, Y: 4.5, Count: 12}, {Label: "KOL", X: 2.5, Y: 4.1, Count: 9},
			{Label: "Demens", X: 2.5, Y: 4.1, Count: 11}, {Label: "Artros <&>", X: 3.9, Y: 2.2, Count: 8},
		},
		Quadrants: &chart.Quadrants{X: 3, Y: 3, TopLeft: "Viktig, svår", TopRight: "Gör först", BottomLeft: "Avvakta", BottomRight: "Lätt"},
	}
	emptyRun := chart.RunChart{ID: "tom-serie", Title: "Tom serie", Locale: i18n.SV}
	emptyMatrix := chart.Scatter{ID: "tom-matris", Title: "Tom matris", Locale: i18n.SV}

	var figs []figure
	for _, c := range []interface {
		SVG() (template.HTML, error)
		Table() chart.Table
	}{matrix, run, emptyMatrix, emptyRun} {
		svg, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		tb := c.Table()
		figs = append(figs, figure{Title: tb.Caption, SVG: svg, Table: tb.HTML()})
	}
	var page strings.Builder
	if err := chartPage.Execute(&page, figs); err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/app.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		w.Write(css)
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		// The app's policy: no inline script or style, nothing from elsewhere.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page.String())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := browsertest.New(t)
	if err := b.Navigate(srv.URL + "/"); err != nil {
		t.Fatal(err)
	}
	v, err := b.Axe()
	if err != nil {
		t.Fatal(err)
	}
	if len(v) > 0 {
		t.Errorf("%s", browsertest.FormatViolations(v))
	}
	if errs := b.ConsoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if caption, err := b.Text("main table caption"); err != nil || caption != matrix.Title {
		t.Errorf("first table caption = %q, %v", caption, err)
	}
	if path := os.Getenv("CHART_SCREENSHOT"); path != "" {
		if err := b.Screenshot(path); err != nil {
			t.Error(err)
		}
	}
}
