package e2e

// The tests compare the pages with every language's catalog.
import _ "tokendesk/internal/lang/translations"
