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

func init() {
	lang.Install(lang.ES, &catalogES)
	lang.Install(lang.DE, &catalogDE)
	lang.Install(lang.FR, &catalogFR)
	lang.Install(lang.PtBR, &catalogPtBR)
	lang.Install(lang.RU, &catalogRU)
	lang.Install(lang.ZhHans, &catalogZhHans)
	lang.Install(lang.JA, &catalogJA)
	lang.Install(lang.KO, &catalogKO)
}
