package tokendesk

import "strings"

// Themes for /embed?theme=. The Worker writes the theme onto <html> as
// data-theme so it applies without JavaScript, and the app does the same
// after a navigation; both read the query with Theme. Anything else is
// auto: prefers-color-scheme.
const (
	ThemeLight = "light"
	ThemeDark  = "dark"
	ThemeAuto  = "auto"
)

// Theme returns ThemeLight, ThemeDark or ThemeAuto for the value of the
// theme query parameter.
func Theme(v string) string {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case ThemeLight:
		return ThemeLight
	case ThemeDark:
		return ThemeDark
	}
	return ThemeAuto
}
