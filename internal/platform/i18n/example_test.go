package i18n_test

import (
	"fmt"
	"testing/fstest"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func ExampleCatalog_T() {
	c, err := i18n.LoadFS(fstest.MapFS{
		"sv.json": {Data: []byte(`{"audit.count": "{n} händelser sedan {date}"}`)},
		"en.json": {Data: []byte(`{"audit.count": "{n} events since {date}"}`)},
	})
	if err != nil {
		panic(err)
	}
	since := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	fmt.Println(c.T(i18n.EN, "audit.count", "n", 12345, "date", since))
	fmt.Println(c.T(i18n.EN, "no.such.key"))
	// Output:
	// 12,345 events since 23 Nov 2026
	// ⟦no.such.key⟧
}

func ExampleCatalog_N() {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	fmt.Println(c.N(i18n.SV, "common.items", 1))
	fmt.Println(c.N(i18n.EN, "common.items", 3))
	// Output:
	// 1 post
	// 3 items
}

func ExampleNegotiate() {
	fmt.Println(i18n.Negotiate("en-US,en;q=0.9,sv;q=0.8"))
	fmt.Println(i18n.Negotiate("de-DE,fr;q=0.5"))
	// Output:
	// en
	// sv
}

func ExampleFormatDecimal() {
	fmt.Printf("%q\n", i18n.FormatDecimal(i18n.SV, 1234.5, 1))
	fmt.Println(i18n.FormatDecimal(i18n.EN, 1234.5, 1))
	// Output:
	// "1\u00a0234,5"
	// 1,234.5
}
