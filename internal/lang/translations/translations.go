//go:build !catalogs_from_page

package tokendesk

// CatalogsFromPage reports whether this build reads the page's language's
// catalog from the page (see Lang). Here every catalog is compiled in.
const CatalogsFromPage = false

var catalogs = [numLangs]*[numKeys]string{
	EN:     &catalogEN,
	ES:     &catalogES,
	DE:     &catalogDE,
	FR:     &catalogFR,
	PtBR:   &catalogPtBR,
	RU:     &catalogRU,
	ZhHans: &catalogZhHans,
	JA:     &catalogJA,
	KO:     &catalogKO,
}
