package i18n_test

import (
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestSupported_SwedishFirstThenEnglish(t *testing.T) {
	t.Parallel()
	got := i18n.Supported()
	if want := []i18n.Locale{i18n.SV, i18n.EN}; !slices.Equal(got, want) {
		t.Errorf("Supported() = %v, want %v", got, want)
	}
	if got[0] != i18n.Default {
		t.Errorf("Supported()[0] = %v, want Default %v", got[0], i18n.Default)
	}
	got[0] = "xx" // callers may not change the package's list
	if i18n.Supported()[0] != i18n.SV {
		t.Error("changing the returned slice changed Supported()")
	}
}

func TestParse_AcceptsTagsOfSupportedLanguages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   i18n.Locale
		wantOK bool
	}{
		{"sv", i18n.SV, true},
		{"sv-SE", i18n.SV, true},
		{"sv_SE", i18n.SV, true},
		{"SV-se", i18n.SV, true},
		{"sv-FI", i18n.SV, true},
		{" sv ", i18n.SV, true},
		{"en", i18n.EN, true},
		{"en-GB", i18n.EN, true},
		{"en-US", i18n.EN, true},
		{"EN", i18n.EN, true},
		{"en-Latn-GB", i18n.EN, true},
		{"en-GB-oxendict", i18n.EN, true},
		{"", "", false},
		{"de", "", false},
		{"nb-NO", "", false},
		{"*", "", false},
		{"s", "", false},
		{"svenska", "", false},
		{"sv-", "", false},
		{"sv--SE", "", false},
		{"sv-SE!", "", false},
		{"sv SE", "", false},
		{"en-toolongsubtag", "", false},
		{"e1", "", false},
		{"sv;q=1", "", false},
	}
	for _, tt := range tests {
		got, ok := i18n.Parse(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestNegotiate_PicksBestSupportedLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   i18n.Locale
	}{
		{"empty header falls back to Swedish", "", i18n.SV},
		{"blank header", "  ,  , ", i18n.SV},
		{"swedish", "sv", i18n.SV},
		{"english", "en", i18n.EN},
		{"english with region", "en-GB", i18n.EN},
		{"typical english browser", "en-US,en;q=0.9", i18n.EN},
		{"typical swedish browser", "sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7", i18n.SV},
		{"swede with english browser", "en-US,en;q=0.9,sv;q=0.8", i18n.EN},
		{"unsupported only", "de-DE,de;q=0.9,fr;q=0.8", i18n.SV},
		{"unsupported first then english", "de-DE,de;q=0.9,en;q=0.5", i18n.EN},
		{"higher q wins over order", "sv;q=0.3,en;q=0.8", i18n.EN},
		{"equal q keeps header order", "en;q=0.5,sv;q=0.5", i18n.EN},
		{"equal q keeps header order swedish", "sv;q=0.5,en;q=0.5", i18n.SV},
		{"q=0 means not acceptable", "en;q=0", i18n.SV},
		{"swedish refused", "sv;q=0,en;q=0.1", i18n.EN},
		{"everything refused falls back", "sv;q=0,en;q=0", i18n.SV},
		{"best q of a language listed twice", "en-GB;q=0.2,sv;q=0.5,en;q=0.9", i18n.EN},
		{"wildcard means default", "*", i18n.SV},
		{"wildcard after unsupported", "de,*;q=0.5", i18n.SV},
		{"wildcard covers unlisted english", "sv;q=0,*;q=0.5", i18n.EN},
		{"listed beats lower wildcard", "en;q=0.9,*;q=0.1", i18n.EN},
		{"wildcard beats lower listed", "en;q=0.1,*;q=0.9", i18n.SV},
		{"spaces and case", " EN-gb ; Q=0.9 , sv ; q=0.8 ", i18n.EN},
		{"q with three decimals", "sv;q=0.499,en;q=0.5", i18n.EN},
		{"q of 1.000", "sv;q=0.9,en;q=1.000", i18n.EN},
		{"q above 1 ignores the range", "sv;q=0.5,en;q=2", i18n.SV},
		{"negative q ignores the range", "sv;q=0.5,en;q=-1", i18n.SV},
		{"q with four decimals ignores the range", "sv;q=0.5,en;q=0.1234", i18n.SV},
		{"q=1.5 ignores the range", "sv;q=0.5,en;q=1.5", i18n.SV},
		{"empty q ignores the range", "sv;q=0.5,en;q=", i18n.SV},
		{"non-numeric q ignores the range", "sv;q=0.5,en;q=abc", i18n.SV},
		{"NaN q ignores the range", "sv;q=0.5,en;q=NaN", i18n.SV},
		{"other parameters are ignored", "en;level=1;q=0.9,sv;q=0.8", i18n.EN},
		{"malformed tag is skipped", "en!!,sv;q=0.1", i18n.SV},
		{"underscore region", "en_GB", i18n.EN},
		{"norwegian is not swedish", "nb,en;q=0.5", i18n.EN},
		{"garbage", ";;;,,,=;q", i18n.SV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := i18n.Negotiate(tt.header); got != tt.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}
