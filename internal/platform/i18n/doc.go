// Package i18n provides the message catalogue and locale formatting for the
// two languages Kunskapsnav speaks: Swedish (the default) and English. Messages
// live in one flat JSON file per language under catalog/, with {name}
// placeholders and CLDR plural forms; Check and TemplateKeys let tests prove
// every key exists in both languages. Dates, times and numbers are formatted
// per locale in the Europe/Stockholm time zone.
package i18n
