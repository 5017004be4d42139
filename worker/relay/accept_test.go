package relay

import "testing"

// A browser's plain form post ranks text/html above JSON; fetch with
// Accept: application/json and curl's */* do not.
func TestPrefersHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true,
		"application/json":                    false,
		"*/*":                                 false,
		"":                                    false,
		"text/html;q=0.5, application/json":   false,
		"text/html, application/json;q=0.999": true,
		"text/*;q=0.6, application/json;q=.5": true,
		"text/html;q=bad, application/json;q=0.9": true,
		"TEXT/HTML": true,
	} {
		if got := prefersHTML(accept); got != want {
			t.Errorf("prefersHTML(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestThousandths(t *testing.T) {
	for _, tt := range []struct {
		v    string
		want int
		ok   bool
	}{
		{"1", 1000, true}, {"0", 0, true}, {"0.8", 800, true}, {".5", 500, true}, {"1.", 1000, true},
		{"0.125", 125, true}, {"0.1239", 123, true}, {"2.5", 2500, true},
		{"", 0, false}, {".", 0, false}, {"-1", 0, false}, {"1e3", 0, false}, {" 1", 0, false}, {"0.5x", 0, false}, {"1234567", 0, false},
	} {
		if got, ok := thousandths(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("thousandths(%q) = %d, %v; want %d, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}
