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

func TestCanonicalPage(t *testing.T) {
	for _, tt := range []struct {
		path, lang, want string
		ok               bool
	}{
		{"", "", "/", true},
		{"/index.html", "", "/", true},
		{"/de/", "", "/de/", true},
		{"/embed.html", "", "/embed", true},
		{"/embed/", "ko", "/ko/embed", true},
		{"/embed", "PT-br", "/pt-BR/embed", true},
		{"/embed", "xx", "/embed", true},
		{"/de/embed", "fr", "/de/embed", true},
		{"/?lang=de", "", "", false},
		{"/", "de", "/", true},
		{"/check", "", "/", true},
		{"/ja/embed/check.html", "", "/ja/embed", true},
		{"/embed/check", "de", "/embed", true},
		{"/auth/token", "", "", false},
		{"/dex/", "", "", false},
	} {
		if got, ok := CanonicalPage(tt.path, tt.lang); got != tt.want || ok != tt.ok {
			t.Errorf("CanonicalPage(%q, %q) = %q, %v; want %q, %v", tt.path, tt.lang, got, ok, tt.want, tt.ok)
		}
	}
}
