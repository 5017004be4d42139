package translations

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"tokendesk/internal/lang"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// Every catalog has a sentence for every key, with the English
// placeholders, each exactly as often.
func TestCatalogsComplete(t *testing.T) {
	english := lang.EN.Sentences()
	for _, l := range lang.All {
		sentences := l.Sentences()
		for k := lang.FirstKey; k <= lang.LastKey; k++ {
			s := sentences[k]
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s has no sentence", l.Tag(), k)
				continue
			}
			want := placeholder.FindAllString(english[k], -1)
			got := placeholder.FindAllString(s, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s has placeholders %v, English has %v", l.Tag(), k, got, want)
			}
			if s != strings.TrimSpace(s) {
				t.Errorf("%s: %s has leading or trailing space: %q", l.Tag(), k, s)
			}
		}
	}
}

// Numbers in sentences are grouped by thousands as each language writes them.
func TestTextGroupsThousands(t *testing.T) {
	tests := []struct {
		lang lang.Lang
		want string
	}{
		{lang.EN, "Shorten your comment to 1,000 characters or fewer (it has 1,234)."},
		{lang.DE, "Kürzen Sie Ihren Kommentar auf höchstens 1.000 Zeichen (er hat 1.234)."},
		{lang.FR, "Raccourcissez votre commentaire à 1\u202f000 caractères au maximum (il en a 1\u202f234)."},
	}
	for _, tt := range tests {
		if got := tt.lang.Text(lang.KeyCommentTooLong, "max", "1000", "n", "1234"); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang.Tag(), got, tt.want)
		}
	}
}
