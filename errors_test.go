package tokendesk

import (
	"encoding/json"
	"testing"
)

func TestErrorJSONShape(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{NewError(502, CodeUpstreamFailed, "Try again."),
			`{"error":{"code":"upstream_failed","message":"Try again."}}`},
		{ValidateField(FieldName, ""),
			`{"error":{"code":"field_required","message":"Enter your name.","field":"name"}}`},
		{&Error{Status: 429, Code: CodeUpstreamRejected, Message: "Wait.", Upstream: []byte(`{"error":{"code":429,"message":"slow down"}}`)},
			`{"error":{"code":"upstream_rejected","message":"Wait.","upstream":{"error":{"code":429,"message":"slow down"}}}}`},
	}
	for _, tt := range tests {
		got := tt.err.JSON()
		var a, b any
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("JSON() is not JSON: %s", got)
		}
		json.Unmarshal([]byte(tt.want), &b)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("JSON() = %s, want %s", got, tt.want)
		}
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "line\nbreak\ttab\r", "\x00\x1f", "<a href='x'>&</a>", "ü→😀", "bad\xffutf8", "\u2028\u2029"} {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestUpstreamRejectedKey(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   Key
	}{
		{400, KeyUpstreamRejected},
		{401, KeyUpstreamRefused},
		{403, KeyUpstreamRefused},
		{404, KeyUpstreamRejected},
		{422, KeyUpstreamRejected},
		{429, KeyUpstreamBusy},
	} {
		if got := UpstreamRejectedKey(tt.status); got != tt.want {
			t.Errorf("UpstreamRejectedKey(%d) = %v, want %v", tt.status, got, tt.want)
		}
	}
}
