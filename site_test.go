package tokendesk

import "testing"

func TestTheme(t *testing.T) {
	for v, want := range map[string]string{
		"":           ThemeAuto,
		"auto":       ThemeAuto,
		"light":      ThemeLight,
		"LIGHT":      ThemeLight,
		"dark":       ThemeDark,
		" DARK ":     ThemeDark,
		"blue":       ThemeAuto,
		`"><x>`:      ThemeAuto,
		"light,dark": ThemeAuto,
	} {
		if got := Theme(v); got != want {
			t.Errorf("Theme(%q) = %s, want %s", v, got, want)
		}
	}
}
