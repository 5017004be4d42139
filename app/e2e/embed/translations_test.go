package embed_test

// The tests compare the pages with every language's catalog.
import _ "tokendesk/internal/lang/translations"
