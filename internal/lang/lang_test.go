package lang

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every Key's String is its constant's name, which tests print: a key
// added without go generate would print as Key(n).
func TestKeysHaveNames(t *testing.T) {
	name := regexp.MustCompile(`^Key[A-Z][A-Za-z0-9]*$`)
	seen := map[string]bool{}
	for k := FirstKey; k <= LastKey; k++ {
		if s := k.String(); !name.MatchString(s) || seen[s] {
			t.Errorf("key %d is named %q: run go generate ./internal/lang", k, s)
		}
		seen[k.String()] = true
	}
}

// Every key is used by Go code outside the catalogs and the tests: the
// contract, the app, the relay or the Worker.
func TestNoUnusedKey(t *testing.T) {
	var src strings.Builder
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "dist", "build", "testdata", ".git":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.HasPrefix(path, "../../internal/lang/") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src.Write(b)
		src.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	used := regexp.MustCompile(`\bKey[A-Z][A-Za-z0-9]*\b`).FindAllString(src.String(), -1)
	for k := FirstKey; k <= LastKey; k++ {
		if name := k.String(); !slices.Contains(used, name) {
			t.Errorf("%s is in every catalog but no code uses it: use it or remove it", name)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		tag  string
		want Lang
		ok   bool
	}{
		{"en", EN, true},
		{"en-GB", EN, true},
		{"es-419", ES, true},
		{"de-AT", DE, true},
		{"DE", DE, true},
		{"fr-CA", FR, true},
		{"pt-BR", PtBR, true},
		{"pt_br", PtBR, true},
		{"pt", PtBR, true},
		{"pt-PT", PtBR, true},
		{"ru-RU", RU, true},
		{"zh-Hans", ZhHans, true},
		{"zh-Hans-CN", ZhHans, true},
		{"zh-CN", ZhHans, true},
		{"zh", ZhHans, true},
		{"zh-TW", EN, false},
		{"zh-Hant", EN, false},
		{"ja-JP", JA, true},
		{"ko-KR", KO, true},
		{"it", EN, false},
		{"", EN, false},
		{"  ", EN, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.tag)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %s, %v; want %s, %v", tt.tag, got.Tag(), ok, tt.want.Tag(), tt.ok)
		}
	}
}

func TestPaths(t *testing.T) {
	tests := []struct {
		path string
		lang Lang
		page string
	}{
		{"/", EN, "/"},
		{"/embed", EN, "/embed"},
		{"/de/", DE, "/"},
		{"/de", DE, "/"},
		{"/de/embed", DE, "/embed"},
		{"/pt-BR/embed", PtBR, "/embed"},
		{"/zh-Hans/", ZhHans, "/"},
		{"/dex/", EN, "/dex/"},
		{"/auth/token", EN, "/auth/token"},
	}
	for _, tt := range tests {
		l, page := SplitPath(tt.path)
		if l != tt.lang || page != tt.page {
			t.Errorf("SplitPath(%q) = %s, %q; want %s, %q", tt.path, l.Tag(), page, tt.lang.Tag(), tt.page)
		}
		if tt.path != "/de" && tt.page != "/dex/" && tt.lang.PagePath(tt.page) != tt.path {
			t.Errorf("%s.PagePath(%q) = %q, want %q", tt.lang.Tag(), tt.page, tt.lang.PagePath(tt.page), tt.path)
		}
	}
}

func TestTextFillsAndGroups(t *testing.T) {
	want := "Shorten your comment to 1,000 characters or fewer (it has 1,234)."
	if got := EN.Text(KeyCommentTooLong, "max", "1000", "n", "1234"); got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestOfTag(t *testing.T) {
	for tag, want := range map[string]Lang{"de": DE, "DE": DE, "pt-br": PtBR, "zh-hans": ZhHans, "en": EN} {
		if got, ok := OfTag(tag); !ok || got != want {
			t.Errorf("OfTag(%q) = %s, %v", tag, got.Tag(), ok)
		}
	}
	for _, tag := range []string{"", "de-AT", "pt", "zh", "zh-CN", "xx"} {
		if _, ok := OfTag(tag); ok {
			t.Errorf("OfTag(%q) matched: ?lang= takes the desk's own tags only", tag)
		}
	}
}
