//go:build catalogs_from_page

package tokendesk

// CatalogsFromPage reports whether this build reads the page's language's
// catalog from the page (see Lang). Here only English is compiled in.
const CatalogsFromPage = true

var catalogs = [numLangs]*[numKeys]string{EN: &catalogEN}
