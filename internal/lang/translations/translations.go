// Package translations holds the catalogs of every language but English,
// which package lang holds. Importing it installs them:
//
//	import _ "tokendesk/internal/lang/translations"
//
// Only the Worker (its relay answers plain form posts in the page's
// language) and the site generator import it. The page's wasm does not, so
// it compiles in English only and reads its page's catalog from the page
// (lang.SetCatalog); an English visit downloads no other language.
package translations

import "tokendesk/internal/lang"

// catalogs are the translations, by language.
var catalogs = [...]struct {
	lang    lang.Lang
	catalog *lang.Catalog
}{
	{lang.ES, &catalogES},
	{lang.DE, &catalogDE},
	{lang.FR, &catalogFR},
	{lang.PtBR, &catalogPtBR},
	{lang.RU, &catalogRU},
	{lang.ZhHans, &catalogZhHans},
	{lang.JA, &catalogJA},
	{lang.KO, &catalogKO},
}

func init() {
	for _, c := range catalogs {
		lang.Install(c.lang, c.catalog)
	}
}
