package stdlite

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "line\nbreak\ttab\r", "\x00\x1f", "<a href='x'>&</a>", "ü→😀", "bad\xffutf8", "\u2028\u2029"} {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\s/", "<script>&amp;", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "é 李 😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}
