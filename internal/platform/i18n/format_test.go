package i18n_test

import (
	"math"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestFormatInt_ThousandsSeparatorPerLocale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n      int64
		sv, en string
	}{
		{0, "0", "0"},
		{7, "7", "7"},
		{999, "999", "999"},
		{1000, "1" + nbsp + "000", "1,000"},
		{12345, "12" + nbsp + "345", "12,345"},
		{123456, "123" + nbsp + "456", "123,456"},
		{1234567, "1" + nbsp + "234" + nbsp + "567", "1,234,567"},
		{-1, "-1", "-1"},
		{-999, "-999", "-999"},
		{-12345, "-12" + nbsp + "345", "-12,345"},
		{math.MaxInt64, "9" + nbsp + "223" + nbsp + "372" + nbsp + "036" + nbsp + "854" + nbsp + "775" + nbsp + "807", "9,223,372,036,854,775,807"},
		{math.MinInt64, "-9" + nbsp + "223" + nbsp + "372" + nbsp + "036" + nbsp + "854" + nbsp + "775" + nbsp + "808", "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if got := i18n.FormatInt(i18n.SV, tt.n); got != tt.sv {
			t.Errorf("FormatInt(sv, %d) = %q, want %q", tt.n, got, tt.sv)
		}
		if got := i18n.FormatInt(i18n.EN, tt.n); got != tt.en {
			t.Errorf("FormatInt(en, %d) = %q, want %q", tt.n, got, tt.en)
		}
	}
}

func TestFormatDecimal_DecimalMarkPerLocale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f        float64
		decimals int
		sv, en   string
	}{
		{1234.5, 1, "1" + nbsp + "234,5", "1,234.5"},
		{1234.5, -1, "1" + nbsp + "234,5", "1,234.5"},
		{1234.5, 0, "1" + nbsp + "235", "1,235"}, // half away from zero, as in a spreadsheet
		{2.5, 0, "3", "3"},
		{-2.5, 0, "-3", "-3"},
		{0.125, 2, "0,13", "0.13"},
		{1.005, 2, "1,01", "1.01"}, // rounds the digits people see, not the binary fraction
		{1.004, 2, "1,00", "1.00"},
		{999.95, 1, "1" + nbsp + "000,0", "1,000.0"},
		{12, 3, "12,000", "12.000"},
		{1e-7, -1, "0,0000001", "0.0000001"},
		{1e21, -1, "1" + nbsp + "000" + nbsp + "000" + nbsp + "000" + nbsp + "000" + nbsp + "000" + nbsp + "000" + nbsp + "000", "1,000,000,000,000,000,000,000"},
		{1234.56, 1, "1" + nbsp + "234,6", "1,234.6"},
		{0.5, 2, "0,50", "0.50"},
		{0, 2, "0,00", "0.00"},
		{0.1, -1, "0,1", "0.1"},
		{-1234567.891, 2, "-1" + nbsp + "234" + nbsp + "567,89", "-1,234,567.89"},
		{-0.001, 2, "0,00", "0.00"}, // no minus before a rounded zero
		{math.Copysign(0, -1), 1, "0,0", "0.0"},
		{99.999, 2, "100,00", "100.00"},
		{1e6, 0, "1" + nbsp + "000" + nbsp + "000", "1,000,000"},
		{math.NaN(), 2, "NaN", "NaN"},
		{math.Inf(1), 2, "∞", "∞"},
		{math.Inf(-1), 2, "-∞", "-∞"},
	}
	for _, tt := range tests {
		if got := i18n.FormatDecimal(i18n.SV, tt.f, tt.decimals); got != tt.sv {
			t.Errorf("FormatDecimal(sv, %v, %d) = %q, want %q", tt.f, tt.decimals, got, tt.sv)
		}
		if got := i18n.FormatDecimal(i18n.EN, tt.f, tt.decimals); got != tt.en {
			t.Errorf("FormatDecimal(en, %v, %d) = %q, want %q", tt.f, tt.decimals, got, tt.en)
		}
	}
}

func TestFormatDate_InStockholmPerLocale(t *testing.T) {
	t.Parallel()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name               string
		t                  time.Time
		svDate, enDate     string
		svDateTime, enTime string
	}{
		{"winter afternoon", time.Date(2026, 11, 23, 13, 5, 0, 0, time.UTC),
			"2026-11-23", "23 Nov 2026", "2026-11-23 14:05", "23 Nov 2026, 14:05"},
		{"summer time is UTC+2", time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC),
			"2026-07-01", "1 Jul 2026", "2026-07-01 14:00", "1 Jul 2026, 14:00"},
		{"late UTC evening is the next day in Stockholm", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC),
			"2027-01-01", "1 Jan 2027", "2027-01-01 00:30", "1 Jan 2027, 00:30"},
		{"other zones are converted", time.Date(2026, 3, 4, 20, 15, 59, 0, newYork),
			"2026-03-05", "5 Mar 2026", "2026-03-05 02:15", "5 Mar 2026, 02:15"},
		{"seconds are dropped, not rounded", time.Date(2026, 5, 9, 8, 7, 59, 999, time.UTC),
			"2026-05-09", "9 May 2026", "2026-05-09 10:07", "9 May 2026, 10:07"},
		{"day after spring forward", time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC),
			"2026-03-29", "29 Mar 2026", "2026-03-29 03:00", "29 Mar 2026, 03:00"},
	}
	for _, tt := range tests {
		checks := []struct{ fn, got, want string }{
			{"FormatDate(sv)", i18n.FormatDate(i18n.SV, tt.t), tt.svDate},
			{"FormatDate(en)", i18n.FormatDate(i18n.EN, tt.t), tt.enDate},
			{"FormatDateTime(sv)", i18n.FormatDateTime(i18n.SV, tt.t), tt.svDateTime},
			{"FormatDateTime(en)", i18n.FormatDateTime(i18n.EN, tt.t), tt.enTime},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: %s = %q, want %q", tt.name, c.fn, c.got, c.want)
			}
		}
	}
}

func TestStockholm_IsEuropeStockholm(t *testing.T) {
	t.Parallel()
	loc := i18n.Stockholm()
	if loc.String() != "Europe/Stockholm" {
		t.Errorf("Stockholm() = %q, want Europe/Stockholm", loc)
	}
	if i18n.Stockholm() != loc {
		t.Error("Stockholm() returns a new location each call")
	}
	for _, tt := range []struct {
		month  time.Month
		offset int
	}{{time.January, 3600}, {time.July, 7200}} {
		if _, got := time.Date(2026, tt.month, 15, 12, 0, 0, 0, loc).Zone(); got != tt.offset {
			t.Errorf("offset in %v = %ds, want %ds", tt.month, got, tt.offset)
		}
	}
}
